import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { clientPerAccount, type SdkClientSettings } from '../common/account-clients.js';
import type { OrganizationalUnitsReader } from '../common/exemption-lookup.js';

/**
 * A client created on first use. Most invocations never call CloudTrail, CloudWatch Logs or IAM (a change event
 * without the delivery check makes one Config call), so their SDK packages are imported only on the paths that
 * call them: with code splitting (infra/bundling.ts) esbuild puts a dynamically imported module in a chunk of its
 * own, read, parsed and run only when the import runs, which keeps it out of the cold start (measured by
 * `npm run bench`).
 */
export type LazyClient<C> = () => Promise<C>;
export type LazyCloudTrailClient = LazyClient<CloudTrailClient>;

/** The AWS clients the rule's I/O functions take, so callers choose whose credentials they use. */
export interface RuleClients {
  readonly config: ConfigServiceClient;
  readonly cloudTrail: LazyCloudTrailClient;
  /** For the creation time of a trail's log group (delivery check only). */
  readonly logs: LazyClient<CloudWatchLogsClient>;
  /** For the creation time of a trail's role (delivery check only). */
  readonly iam: LazyClient<IAMClient>;
}

/** One lazily created client per account, from the settings and a loader of its SDK module. */
function lazyClientPerAccount<C>(load: (settings: SdkClientSettings) => Promise<C>) {
  return clientPerAccount((settings): LazyClient<C> => {
    let client: Promise<C> | undefined;
    return () => {
      client ??= load(settings);
      return client;
    };
  });
}

// Created once per container and per credentials; the shared settings keep the SDK's default region,
// endpoint and credential chain (AWS_REGION, AWS_ENDPOINT_URL) and its standard retry mode for throttling.
const configClientFor = clientPerAccount((settings) => new ConfigServiceClient(settings));
const cloudTrailClientFor = lazyClientPerAccount((settings) =>
  import('./cloudtrail-sdk.js').then(({ CloudTrailClient }) => new CloudTrailClient(settings)),
);
const logsClientFor = lazyClientPerAccount((settings) =>
  import('./logs-sdk.js').then(({ CloudWatchLogsClient }) => new CloudWatchLogsClient(settings)),
);
const iamClientFor = lazyClientPerAccount((settings) =>
  import('./iam-sdk.js').then(({ IAMClient }) => new IAMClient(settings)),
);
const organizationsClientFor = lazyClientPerAccount((settings) =>
  import('./organizations-sdk.js').then(({ OrganizationsClient }) => new OrganizationsClient(settings)),
);

/**
 * The rule's clients: without credentials the Lambda's own; with credentials (another account, for example
 * through the `ExecutionRoleName` role) clients for those credentials.
 */
export function ruleClientsFor(credentials?: AwsCredentialIdentityProvider): RuleClients {
  return {
    config: configClientFor(credentials),
    cloudTrail: cloudTrailClientFor(credentials),
    logs: logsClientFor(credentials),
    iam: iamClientFor(credentials),
  };
}

/** The region the clients resolved from the default chain: the region the rule evaluates. */
export function clientRegion(clients: RuleClients): Promise<string> {
  return clients.config.config.region();
}

/**
 * Reads the OUs above an account with the Lambda's own credentials, never a member account's: ListParents answers
 * only the management account or a delegated administrator, where the organization hub runs. Needed only for an
 * exemption naming trails in an OU, so the Organizations SDK loads on the first read, as the other lazy clients do.
 */
export const ownOrganizationalUnits: OrganizationalUnitsReader = async (account) => {
  const [{ readOrganizationalUnits }, client] = await Promise.all([
    import('../common/organizational-units-api.js'),
    organizationsClientFor(undefined)(),
  ]);
  return readOrganizationalUnits(client, account);
};
