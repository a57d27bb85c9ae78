import { describe, expect, it } from 'vitest';
import { remediationClients } from '../../remediation/clients.js';

describe('remediationClients', () => {
  it('creates the default clients once per container', () => {
    expect(remediationClients()).toBe(remediationClients());
  });

  it('creates one set of clients per credentials object', () => {
    const a = { accessKeyId: 'AKIAA', secretAccessKey: 'a' };
    const b = { accessKeyId: 'AKIAB', secretAccessKey: 'b' };
    expect(remediationClients(a)).toBe(remediationClients(a));
    expect(remediationClients(a)).not.toBe(remediationClients(b));
    expect(remediationClients(a)).not.toBe(remediationClients());
  });

  it.each(['cloudTrail', 'logs', 'iam', 'sts', 'organizations'] as const)(
    'configures %s with the standard retry mode and the default region chain',
    async (name) => {
      const client = remediationClients()[name];
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'standard' });
      expect(await client.config.region()).toBe('us-east-1');
    },
  );

  it('passes the given credentials to every client', async () => {
    const credentials = { accessKeyId: 'AKIAC', secretAccessKey: 'c' };
    const clients = remediationClients(credentials);
    for (const client of Object.values(clients)) {
      expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIAC' });
    }
  });
});
