import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { clientPerAccount } from '../common/account-clients.js';

/**
 * The CloudTrail client, created on first use. Most invocations never call CloudTrail (a change event without
 * the delivery check makes one Config call), so its SDK package is imported only on the paths that call it:
 * esbuild keeps a dynamically imported module in the one-file bundle but runs its top level only when the
 * import runs, which keeps it out of the cold start (measured by `npm run bench`).
 */
export type LazyCloudTrailClient = () => Promise<CloudTrailClient>;

/** The AWS clients the rule's I/O functions take, so callers choose whose credentials they use. */
export interface RuleClients {
  readonly config: ConfigServiceClient;
  readonly cloudTrail: LazyCloudTrailClient;
}

// Created once per container and per credentials; the shared settings keep the SDK's default region,
// endpoint and credential chain (AWS_REGION, AWS_ENDPOINT_URL) and its standard retry mode for throttling.
const configClientFor = clientPerAccount((settings) => new ConfigServiceClient(settings));
const cloudTrailClientFor = clientPerAccount((settings): LazyCloudTrailClient => {
  let client: Promise<CloudTrailClient> | undefined;
  return () => {
    client ??= import('./cloudtrail-sdk.js').then(({ CloudTrailClient }) => new CloudTrailClient(settings));
    return client;
  };
});

/**
 * The rule's clients: without credentials the Lambda's own; with credentials (another account, for example
 * through the `ExecutionRoleName` role) clients for those credentials.
 */
export function ruleClientsFor(credentials?: AwsCredentialIdentityProvider): RuleClients {
  return { config: configClientFor(credentials), cloudTrail: cloudTrailClientFor(credentials) };
}

/** The region the clients resolved from the default chain: the region the rule evaluates. */
export function clientRegion(clients: RuleClients): Promise<string> {
  return clients.config.config.region();
}
