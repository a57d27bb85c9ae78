import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, inject, it } from 'vitest';
import { createBucket, isReadOnly, recordedRequests, resetEmulator } from './emulator.js';
import { findMotoServer } from './moto-server.js';

describe('the end-to-end harness', () => {
  const endpoint = inject('motoEndpoint');

  it('fails with the install command when moto_server is not on PATH', async () => {
    await expect(findMotoServer('/nonexistent-dir')).rejects.toThrow(
      'moto_server was not found on PATH. The end-to-end tier needs it: install it with pip install "moto[server]" (moto 5), then run npm run test:e2e again.',
    );
  });

  it('serves AWS on loopback and records each request with its service, region and operation', async () => {
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    await createBucket(endpoint, 'harness-bucket');
    await new CloudTrailClient({ region: 'eu-west-1' }).send(
      new CreateTrailCommand({ Name: 'harness', S3BucketName: 'harness-bucket' }),
    );
    await expect(new IAMClient({}).send(new GetRoleCommand({ RoleName: 'absent' }))).rejects.toThrow(
      'Role absent not found',
    );
    const requests = await recordedRequests(endpoint);
    expect(requests.map(({ service, region, operation }) => ({ service, region, operation }))).toEqual([
      { service: undefined, region: undefined, operation: undefined },
      { service: 'cloudtrail', region: 'eu-west-1', operation: 'CreateTrail' },
      { service: 'iam', region: 'us-east-1', operation: 'GetRole' },
    ]);
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({ Name: 'harness', S3BucketName: 'harness-bucket' });
  });

  it.each([
    ['GetTrail', true],
    ['DescribeLogGroups', true],
    ['ListRolePolicies', true],
    ['CreateRole', false],
    ['UpdateTrail', false],
    ['Getaway', false],
    [undefined, false],
  ])('isReadOnly(%s) is %s', (operation, expected) => {
    expect(isReadOnly(operation)).toBe(expected);
  });

  it('reset empties every backend and the recording', async () => {
    await createBucket(endpoint, 'harness-bucket');
    const cloudTrail = new CloudTrailClient({});
    await cloudTrail.send(new CreateTrailCommand({ Name: 'harness', S3BucketName: 'harness-bucket' }));
    await resetEmulator(endpoint);
    expect(await recordedRequests(endpoint)).toEqual([]);
    expect((await cloudTrail.send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
  });
});
