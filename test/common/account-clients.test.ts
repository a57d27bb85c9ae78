import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { describe, expect, it } from 'vitest';
import { clientPerAccount, sdkClientSettings } from '../../common/account-clients.js';

const memberCredentials: AwsCredentialIdentityProvider = async () => ({
  accessKeyId: 'AKIAMEMBER',
  secretAccessKey: 'member-secret',
  sessionToken: 'member-token',
});

describe('sdkClientSettings', () => {
  it('keeps the default credential chain for the own account', () => {
    expect(sdkClientSettings(undefined)).toStrictEqual({ retryMode: 'standard' });
  });

  it('sets the member-account credentials', () => {
    expect(sdkClientSettings(memberCredentials)).toStrictEqual({
      retryMode: 'standard',
      credentials: memberCredentials,
    });
  });
});

describe('clientPerAccount', () => {
  it('creates one client for the own account and one per credentials provider', () => {
    const created: unknown[] = [];
    const client = clientPerAccount((settings) => {
      created.push(settings);
      return { settings };
    });
    const otherCredentials: AwsCredentialIdentityProvider = async () => ({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });

    const own = client(undefined);
    const member = client(memberCredentials);

    expect(client(undefined)).toBe(own);
    expect(client(memberCredentials)).toBe(member);
    expect(client(otherCredentials)).not.toBe(member);
    expect(created).toStrictEqual([
      { retryMode: 'standard' },
      { retryMode: 'standard', credentials: memberCredentials },
      { retryMode: 'standard', credentials: otherCredentials },
    ]);
  });

  it('gives an SDK client that signs with the member-account credentials', async () => {
    const client = clientPerAccount((settings) => new ConfigServiceClient(settings));

    const identity = await client(memberCredentials).config.credentials();

    expect(identity).toMatchObject({ accessKeyId: 'AKIAMEMBER', sessionToken: 'member-token' });
  });
});
