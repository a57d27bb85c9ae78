import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** Credentials as every SDK client accepts them: static keys (a CLI, a benchmark) or a provider (AssumeRole). */
export type SdkCredentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Settings every SDK client of the project shares; region and endpoint stay with the SDK's default chain. */
export interface SdkClientSettings {
  readonly retryMode: 'standard';
  readonly credentials?: SdkCredentials;
}

/**
 * Client settings for the given credentials: `undefined` keeps the default credential chain (the key is then
 * left out rather than set to `undefined`, so nothing overrides the chain).
 */
export function sdkClientSettings(credentials: SdkCredentials | undefined): SdkClientSettings {
  return credentials ? { retryMode: 'standard', credentials } : { retryMode: 'standard' };
}

/**
 * Memoizes one SDK client per credentials: one for the Lambda's own account and one per member-account
 * provider (providers are themselves shared per account and role), so a warm container creates each client once.
 */
export function clientPerAccount<C>(
  create: (settings: SdkClientSettings) => C,
): (credentials: SdkCredentials | undefined) => C {
  let own: C | undefined;
  const byCredentials = new WeakMap<SdkCredentials, C>();
  return (credentials) => {
    if (!credentials) {
      own ??= create(sdkClientSettings(undefined));
      return own;
    }
    let client = byCredentials.get(credentials);
    if (!client) {
      client = create(sdkClientSettings(credentials));
      byCredentials.set(credentials, client);
    }
    return client;
  };
}
