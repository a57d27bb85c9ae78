import { describe, expect, it } from 'vitest';
import { RetryBoundReachedError, retryWithBackoff } from '../../remediation/retry.js';

const POLICY = { baseMs: 100, capMs: 1_000, boundMs: 5_000 };

function clock(random: number) {
  let now = 0;
  const sleeps: number[] = [];
  return {
    timing: {
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => random,
    },
    sleeps,
    elapsed: () => now,
  };
}

const transient = (error: unknown) => error instanceof Error && error.message === 'transient';

function failing(times: number, message = 'transient') {
  let calls = 0;
  return {
    operation: async () => {
      calls++;
      if (calls <= times) throw new Error(message);
      return 'done';
    },
    calls: () => calls,
  };
}

describe('retryWithBackoff', () => {
  it.each([
    [0, []],
    [1, [99]],
    [4, [99, 199, 399, 799]],
    [6, [99, 199, 399, 799, 999, 999]],
  ])('after %i transient errors waits full-jitter delays capped at capMs', async (times, sleeps) => {
    const { timing, sleeps: seen } = clock(0.999);
    const { operation } = failing(times);
    expect(await retryWithBackoff(operation, transient, POLICY, timing)).toEqual({
      value: 'done',
      attempts: times + 1,
    });
    expect(seen).toEqual(sleeps);
  });

  it('waits a uniform fraction of the ceiling (full jitter)', async () => {
    const { timing, sleeps } = clock(0.25);
    await retryWithBackoff(failing(3).operation, transient, POLICY, timing);
    expect(sleeps).toEqual([25, 50, 100]);
  });

  it('rethrows a non-transient error at once', async () => {
    const { timing, sleeps } = clock(0.5);
    const { operation, calls } = failing(1, 'fatal');
    await expect(retryWithBackoff(operation, transient, POLICY, timing)).rejects.toThrow('fatal');
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('never starts a wait that would end past the bound', async () => {
    const { timing, elapsed } = clock(0.999);
    const { operation, calls } = failing(Number.POSITIVE_INFINITY);
    const error = await retryWithBackoff(operation, transient, POLICY, timing).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RetryBoundReachedError);
    expect(error).toMatchObject({ attempts: calls(), elapsedMs: elapsed() });
    expect((error as Error).cause).toEqual(new Error('transient'));
    // 99 + 199 + 399 + 799 + 999 * 3 = 4493; one more 999 would cross 5000.
    expect(elapsed()).toBe(4493);
    expect(calls()).toBe(8);
  });
});
