import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { clientPerAccount, type SdkCredentials } from '../common/account-clients.js';

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
