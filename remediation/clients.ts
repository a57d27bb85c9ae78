import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientPerAccount, type SdkCredentials } from '../common/account-clients.js';
import type { CallerContext } from './actions.js';
import { awsCall } from './aws-call.js';
import { AwsCallError } from './errors.js';

/**
 * The remediation's AWS clients and the account and region they act in. IAM: sts:GetCallerIdentity.
 */

/**
 * The AWS clients the remediation's I/O takes as an argument, so the same code runs with the Lambda's own
 * credentials, with a CLI's clients, or (cross-account mode) with credentials of another account.
 */
export interface RemediationClients {
  readonly cloudTrail: CloudTrailClient;
  readonly logs: CloudWatchLogsClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** Used only for organization trails (DescribeOrganization). */
  readonly organizations: OrganizationsClient;
}

/** Credentials as every SDK client accepts them: static keys or a provider. */
export type RemediationCredentials = SdkCredentials;

// Created once per container and per credentials, with the project's shared settings (default region,
// endpoint and credential chain, so AWS_REGION and AWS_ENDPOINT_URL work; standard retry mode).
const clientsFor = clientPerAccount(
  (settings): RemediationClients => ({
    cloudTrail: new CloudTrailClient(settings),
    logs: new CloudWatchLogsClient(settings),
    iam: new IAMClient(settings),
    sts: new STSClient(settings),
    organizations: new OrganizationsClient(settings),
  }),
);

/**
 * The clients: without credentials the Lambda's own (default chain); with credentials (static keys or a
 * provider) clients for those, each set created once per credentials object.
 */
export function remediationClients(credentials?: RemediationCredentials): RemediationClients {
  return clientsFor(credentials);
}

const callerCache = new WeakMap<RemediationClients, Promise<CallerContext>>();

async function loadCallerContext(clients: RemediationClients): Promise<CallerContext> {
  const [identity, region] = await Promise.all([
    awsCall('sts:GetCallerIdentity', 'the caller', () => clients.sts.send(new GetCallerIdentityCommand({}))),
    clients.cloudTrail.config.region(),
  ]);
  if (identity.Account === undefined) {
    throw new AwsCallError('sts:GetCallerIdentity', 'the caller', new Error('the response has no Account'));
  }
  return { account: identity.Account, region };
}

/**
 * The account (STS GetCallerIdentity) and region (the CloudTrail client's resolved region) the clients act in;
 * asked once per set of clients. A failed lookup is not cached.
 */
export function callerContext(clients: RemediationClients): Promise<CallerContext> {
  let context = callerCache.get(clients);
  if (context === undefined) {
    context = loadCallerContext(clients);
    callerCache.set(clients, context);
    context.catch(() => callerCache.delete(clients));
  }
  return context;
}
