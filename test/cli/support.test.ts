import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { clientPerRegion } from '../../cli/clients.js';
import { mapWithLimit } from '../../cli/concurrency.js';

describe('mapWithLimit', () => {
  function deferred() {
    let resolve: (value: string) => void = () => {};
    let reject: (error: Error) => void = () => {};
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('keeps at most `limit` tasks in flight and the results in input order', async () => {
    const tasks = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const result = mapWithLimit([0, 1, 2], 2, (index) => {
      started.push(index);
      return (tasks[index] as ReturnType<typeof deferred>).promise;
    });
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    tasks[1]?.resolve('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    tasks[2]?.resolve('c');
    tasks[0]?.resolve('a');
    await expect(result).resolves.toEqual(['a', 'b', 'c']);
  });

  it('rejects with the first failure and starts no task after it', async () => {
    const tasks = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const result = mapWithLimit([0, 1, 2], 2, (index) => {
      started.push(index);
      return (tasks[index] as ReturnType<typeof deferred>).promise;
    });
    tasks[0]?.reject(new Error('denied'));
    await expect(result).rejects.toThrow('denied');
    tasks[1]?.resolve('b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
  });

  it('resolves to an empty list for no items', async () => {
    await expect(mapWithLimit([], 4, async () => 'x')).resolves.toEqual([]);
  });
});

describe('clientPerRegion', () => {
  it('creates one client per region, reused, and one for the default chain', async () => {
    const clientIn = clientPerRegion('cloudtrail', (config) => new CloudTrailClient(config));
    expect(clientIn('eu-west-1')).toBe(clientIn('eu-west-1'));
    expect(clientIn()).toBe(clientIn());
    expect(clientIn('eu-west-1')).not.toBe(clientIn('us-east-1'));
    await expect(clientIn('eu-west-1').config.region()).resolves.toBe('eu-west-1');
    await expect(clientIn().config.region()).resolves.toBe('us-east-1');
    expect(clientIn('eu-west-1').config.retryMode).toBe('standard');
  });

  it('passes the profile and the logger to every client it creates', () => {
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const clientIn = clientPerRegion('cloudtrail', (config) => new CloudTrailClient(config), {
      profile: 'audit',
      logger,
    });
    expect(clientIn('eu-west-1').config.profile).toBe('audit');
    expect(clientIn('eu-west-1').config.logger).toBe(logger);
  });
});
