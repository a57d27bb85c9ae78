import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { describe, expect, it } from 'vitest';
import { clientPerRegion } from '../../cli/clients.js';
import { limiter, mapWithLimit } from '../../cli/concurrency.js';

function deferred() {
  let resolve: (value: string) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithLimit', () => {
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

describe('limiter', () => {
  it('runs at most `limit` tasks at once, the rest in the order they came, each as soon as a slot frees', async () => {
    const gate = limiter(2);
    const tasks = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const results = tasks.map((task, index) =>
      gate(() => {
        started.push(index);
        return task.promise;
      }),
    );
    await settled();
    expect(started).toEqual([0, 1]);
    tasks[1]?.resolve('b');
    await settled();
    expect(started).toEqual([0, 1, 2]);
    tasks[0]?.resolve('a');
    await settled();
    expect(started).toEqual([0, 1, 2, 3]);
    tasks[2]?.resolve('c');
    tasks[3]?.resolve('d');
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails only the task that failed and hands its slot on', async () => {
    const gate = limiter(1);
    const failing = gate(() => Promise.reject(new Error('denied')));
    const next = gate(async () => 'next');
    await expect(failing).rejects.toThrow('denied');
    await expect(next).resolves.toBe('next');
  });

  it('gives a freed slot to the task waiting for it, not to one handed in at that moment', async () => {
    const gate = limiter(1);
    const first = deferred();
    let running = 0;
    let most = 0;
    const track = (promise: Promise<string>) => async () => {
      running += 1;
      most = Math.max(most, running);
      try {
        return await promise;
      } finally {
        running -= 1;
      }
    };
    const results = [gate(track(first.promise)), gate(track(Promise.resolve('waiting')))];
    first.resolve('first');
    // Handed in while the first task's slot passes to the waiting one.
    results.push(gate(track(Promise.resolve('newcomer'))));
    await expect(Promise.all(results)).resolves.toEqual(['first', 'waiting', 'newcomer']);
    expect(most).toBe(1);
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

  it('gives a client asked for without a region the fallback region (AWS_DEFAULT_REGION), and keeps a named one', async () => {
    const clientIn = clientPerRegion('cloudtrail', (config) => new CloudTrailClient(config), {
      fallbackRegion: 'ap-southeast-2',
    });
    await expect(clientIn().config.region()).resolves.toBe('ap-southeast-2');
    await expect(clientIn('eu-west-1').config.region()).resolves.toBe('eu-west-1');
  });

  it.each([
    [undefined, { connectionTimeout: 60_000, socketTimeout: 60_000, requestTimeout: 120_000 }],
    [
      { connectSeconds: 5, readSeconds: 10 },
      { connectionTimeout: 5_000, socketTimeout: 10_000, requestTimeout: 15_000 },
    ],
  ])('sets the timeouts %j on the request handler of every client', async (timeouts, expected) => {
    const clientIn = clientPerRegion(
      'cloudtrail',
      (config) => new CloudTrailClient(config),
      timeouts === undefined ? {} : { timeouts },
    );
    const handler = clientIn('eu-west-1').config.requestHandler as {
      httpHandlerConfigs(): Record<string, unknown>;
      handle(request: unknown): Promise<unknown>;
    };
    // The handler resolves its settings on first use; a request to nowhere makes it do so.
    await handler
      .handle({ protocol: 'http:', hostname: '127.0.0.1', port: 9, method: 'GET', path: '/', headers: {} })
      .catch(() => {});
    expect(handler.httpHandlerConfigs()).toMatchObject({ ...expected, throwOnRequestTimeout: true });
  });
});
