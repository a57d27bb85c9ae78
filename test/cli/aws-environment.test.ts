import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertProfileExists, fallbackRegion, ProfileNotFoundError } from '../../cli/aws-environment.js';

describe('fallbackRegion', () => {
  it.each([
    ['nothing set', {}, undefined],
    ['AWS_DEFAULT_REGION alone', { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
    // The SDK reads AWS_REGION itself and it wins, as in the AWS CLI.
    [
      'AWS_REGION and AWS_DEFAULT_REGION',
      { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' },
      undefined,
    ],
    ['AWS_REGION alone', { AWS_REGION: 'us-east-1' }, undefined],
    ['an empty AWS_REGION', { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['an empty AWS_DEFAULT_REGION', { AWS_DEFAULT_REGION: '' }, undefined],
  ])('with %s gives %s', (_name, env, region) => {
    expect(fallbackRegion(env)).toBe(region);
  });
});

describe('assertProfileExists', () => {
  let directory: string;
  let files: { AWS_CONFIG_FILE: string; AWS_SHARED_CREDENTIALS_FILE: string };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'clg-profiles-'));
    files = {
      AWS_CONFIG_FILE: join(directory, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(directory, 'credentials'),
    };
    // The shapes the AWS CLI writes: `[profile NAME]` in config (and `[default]`), `[NAME]` in credentials.
    await writeFile(
      files.AWS_CONFIG_FILE,
      '[default]\nregion = us-east-1\n\n[profile audit]\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = eu-west-1\n',
    );
    await writeFile(files.AWS_SHARED_CREDENTIALS_FILE, '[keys-only]\naws_access_key_id = AKIAEXAMPLE\n');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it.each([
    ['a profile of the config file', 'audit'],
    ['a profile of the credentials file only', 'keys-only'],
    ['the default profile', 'default'],
  ])('accepts %s', async (_name, profile) => {
    await expect(assertProfileExists(profile, files)).resolves.toBeUndefined();
    await expect(assertProfileExists(undefined, { ...files, AWS_PROFILE: profile })).resolves.toBeUndefined();
  });

  it('checks nothing when no profile is named, even without any file', async () => {
    const nowhere = {
      AWS_CONFIG_FILE: join(directory, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(directory, 'none'),
    };
    await expect(assertProfileExists(undefined, nowhere)).resolves.toBeUndefined();
  });

  it.each([
    ['--profile', 'nobody', {}, '--profile'],
    ['AWS_PROFILE', undefined, { AWS_PROFILE: 'nobody' }, 'AWS_PROFILE'],
    // `profile audit` is how the config file spells the section, not the profile's name.
    ['--profile with the section spelling', 'profile audit', {}, '--profile'],
    ['--profile naming an sso-session', 'corp', {}, '--profile'],
  ])(
    'names a profile given with %s that neither file holds, in the AWS CLI words',
    async (_name, flag, env, named) => {
      const profile = flag ?? 'nobody';
      const check = assertProfileExists(flag, { ...files, ...env });
      await expect(check).rejects.toThrow(ProfileNotFoundError);
      await expect(check).rejects.toThrow(
        `The config profile (${profile}) could not be found: neither ${files.AWS_CONFIG_FILE} nor ${files.AWS_SHARED_CREDENTIALS_FILE} has it. Check the name given with ${named} (aws configure list-profiles lists them), or set AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE to the files that hold it.`,
      );
    },
  );

  it('prefers --profile to AWS_PROFILE, as the SDK does', async () => {
    await expect(assertProfileExists('audit', { ...files, AWS_PROFILE: 'nobody' })).resolves.toBeUndefined();
  });
});
