import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { describe, expect, inject, it } from 'vitest';
import { createBucket, recordedRequests, resetEmulator } from './emulator.js';
import { findMotoServer } from './moto-server.js';

describe('the end-to-end harness', () => {
  const endpoint = inject('motoEndpoint');

  it('fails with the install command when moto_server is not on PATH', async () => {
    await expect(findMotoServer('/nonexistent-dir')).rejects.toThrow(
      'moto_server was not found on PATH. The end-to-end tier needs it: install it with pip install "moto[server]" (moto 5), then run npm run test:e2e again.',
    );
  });

  it('serves AWS on loopback and records each request with its target and region', async () => {
    expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    await createBucket(endpoint, 'harness-bucket');
    await new CloudTrailClient({ region: 'eu-west-1' }).send(
      new CreateTrailCommand({ Name: 'harness', S3BucketName: 'harness-bucket' }),
    );
    const requests = await recordedRequests(endpoint);
    expect(requests.map(({ target, region }) => ({ target, region }))).toEqual([
      { target: undefined, region: undefined },
      {
        target: 'CloudTrail_20131101.CreateTrail',
        region: 'eu-west-1',
      },
    ]);
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({ Name: 'harness', S3BucketName: 'harness-bucket' });
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
