import { CloudTrailClient, type CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';

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
export type RemediationCredentials = NonNullable<CloudTrailClientConfig['credentials']>;

// Region, endpoint and (by default) credentials come from the SDK's default chain, so AWS_REGION and
// AWS_ENDPOINT_URL work; only the retry mode is set, once, for every client.
const CLIENT_CONFIG = { retryMode: 'standard' } as const;

function createClients(credentials: RemediationCredentials | undefined): RemediationClients {
  const config = credentials === undefined ? CLIENT_CONFIG : { ...CLIENT_CONFIG, credentials };
  return {
    cloudTrail: new CloudTrailClient(config),
    logs: new CloudWatchLogsClient(config),
    iam: new IAMClient(config),
    sts: new STSClient(config),
    organizations: new OrganizationsClient(config),
  };
}

let defaultClients: RemediationClients | undefined;
const clientsByCredentials = new WeakMap<object, RemediationClients>();

/**
 * The clients, created once per container: one set for the default credential chain, one per credentials
 * object (static keys or provider) passed in.
 */
export function remediationClients(credentials?: RemediationCredentials): RemediationClients {
  if (credentials === undefined) {
    defaultClients ??= createClients(undefined);
    return defaultClients;
  }
  let clients = clientsByCredentials.get(credentials);
  if (clients === undefined) {
    clients = createClients(credentials);
    clientsByCredentials.set(credentials, clients);
  }
  return clients;
}
