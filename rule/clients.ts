import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, type ConfigServiceClientConfig } from '@aws-sdk/client-config-service';

/** The AWS clients the rule's I/O functions take, so callers choose whose credentials they use. */
export interface RuleClients {
  readonly config: ConfigServiceClient;
  readonly cloudTrail: CloudTrailClient;
}

/** Credentials for another account (for example from an assumed `ExecutionRoleName` role). */
export type RuleCredentials = NonNullable<ConfigServiceClientConfig['credentials']>;

/**
 * Retries are the SDK's job: standard mode backs off on throttling and transient errors. Region, endpoint and
 * credentials stay on the SDK's default chain so AWS_REGION and AWS_ENDPOINT_URL work unchanged.
 */
const CLIENT_CONFIG = { retryMode: 'standard', maxAttempts: 5 } as const;

let defaultClients: RuleClients | undefined;

function createClients(credentials?: RuleCredentials): RuleClients {
  const config = credentials === undefined ? CLIENT_CONFIG : { ...CLIENT_CONFIG, credentials };
  return { config: new ConfigServiceClient(config), cloudTrail: new CloudTrailClient(config) };
}

/**
 * The rule's clients. Without credentials: the Lambda's own, created once per container. With credentials
 * (another account): fresh clients, since those credentials belong to one invocation.
 */
export function ruleClientsFor(credentials?: RuleCredentials): RuleClients {
  if (credentials !== undefined) return createClients(credentials);
  defaultClients ??= createClients();
  return defaultClients;
}

/** The region the clients resolved from the default chain: the region the rule evaluates. */
export function clientRegion(clients: RuleClients): Promise<string> {
  return clients.config.config.region();
}
