import { join } from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';

/**
 * The parts of the AWS CLI's configuration chain the SDK for JavaScript does not have: AWS_DEFAULT_REGION, and
 * a named profile that the shared files do not hold, told as such.
 */

/** The environment variables read here (process.env in a real run). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The region to give clients that are asked for without one. The AWS CLI takes `--region`, then AWS_REGION, then
 * AWS_DEFAULT_REGION, then the profile's `region` ("AWS_REGION ... overrides the values in the environment
 * variable AWS_DEFAULT_REGION and the profile setting region":
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html). The SDK reads AWS_REGION and the
 * profile but not AWS_DEFAULT_REGION, so it is given explicitly, and only when AWS_REGION is not set. Pure.
 */
export function fallbackRegion(env: Environment): string | undefined {
  if (env.AWS_REGION) return undefined;
  return env.AWS_DEFAULT_REGION || undefined;
}

/** A named profile (`--profile` or AWS_PROFILE) is in neither shared file. */
export class ProfileNotFoundError extends Error {
  readonly profile: string;
  constructor(profile: string, configPath: string, credentialsPath: string, fromEnvironment: boolean) {
    const named = fromEnvironment ? 'AWS_PROFILE' : '--profile';
    // The first sentence is the AWS CLI's own (botocore's ProfileNotFound), so it is recognised and searchable.
    super(
      `The config profile (${profile}) could not be found: neither ${configPath} nor ${credentialsPath} has it. ` +
        `Check the name given with ${named} (aws configure list-profiles lists them), or set AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE to the files that hold it.`,
    );
    this.name = 'ProfileNotFoundError';
    this.profile = profile;
  }
}

/**
 * Checks, before any call, that a profile named with `--profile` (or AWS_PROFILE) exists in the shared config or
 * credentials file, read with the SDK's own parser (@smithy/core's loadSharedConfigFiles, which maps
 * `[profile NAME]` of the config file and `[NAME]` of the credentials file to NAME). Without the check the SDK
 * reports a misspelt profile as "Region is missing" or "Could not load credentials from any providers". Nothing
 * is checked when no profile is named: the default chain may rightly need no file at all.
 * @throws ProfileNotFoundError
 */
export async function assertProfileExists(flag: string | undefined, env: Environment): Promise<void> {
  const profile = flag ?? (env.AWS_PROFILE || undefined);
  if (profile === undefined) return;
  const home = (path: string) => (path.startsWith('~/') ? join(getHomeDir(), path.slice(2)) : path);
  const configPath = home(env.AWS_CONFIG_FILE || '~/.aws/config');
  const credentialsPath = home(env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials');
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    configFilepath: configPath,
    filepath: credentialsPath,
    ignoreCache: true,
  });
  if (Object.hasOwn(configFile, profile) || Object.hasOwn(credentialsFile, profile)) return;
  throw new ProfileNotFoundError(profile, configPath, credentialsPath, flag === undefined);
}
