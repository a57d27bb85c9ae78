import { sdkClientSettings } from '../common/account-clients.js';

/**
 * SDK clients of the command line, one per service and region, created on first use and reused for the life
 * of the process. Credentials, endpoint and the default region stay with the SDK's default chain
 * (AWS_PROFILE, environment, SSO, AWS_ENDPOINT_URL); `region` undefined means that default region.
 */
export function clientPerRegion<C>(
  create: (config: ReturnType<typeof sdkClientSettings> & { region?: string }) => C,
): (region?: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    const key = region ?? '';
    let client = clients.get(key);
    if (client === undefined) {
      client = create(
        region === undefined ? sdkClientSettings(undefined) : { ...sdkClientSettings(undefined), region },
      );
      clients.set(key, client);
    }
    return client;
  };
}
