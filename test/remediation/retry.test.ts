import { describe, expect, it } from 'vitest';
import { RetryBoundReachedError, retryWithBackoff, SYSTEM_TIMING } from '../../remediation/retry.js';

const POLICY = { baseMs: 100, capMs: 1_000, boundMs: 5_000 };

function clock(random: number, start = 0) {
  let now = start;
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
    elapsed: () => now - start,
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

  // With random 0.999 the waits are 99, 199, 399, 799, 999, 999, 999 (4493 ms in all), then 999 again.
  it.each([
    ['ends exactly at the bound', 4_493, 8, 4_493],
    ['ends 1 ms past the bound', 4_492, 7, 3_494],
  ])('starts a wait that %s only if it does not cross it', async (_, boundMs, attempts, elapsedMs) => {
    const { timing, elapsed } = clock(0.999, 1_700_000_000_000);
    const { operation, calls } = failing(Number.POSITIVE_INFINITY);
    const error = await retryWithBackoff(operation, transient, { ...POLICY, boundMs }, timing).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RetryBoundReachedError);
    expect(error).toMatchObject({
      name: 'RetryBoundReachedError',
      message: `Gave up after ${attempts} attempts and ${elapsedMs} ms`,
      attempts,
      elapsedMs,
    });
    expect(calls()).toBe(attempts);
    expect(elapsed()).toBe(elapsedMs);
  });

  it('measures the bound from the first attempt, not from the epoch', async () => {
    const { timing, sleeps } = clock(0.999, 1_700_000_000_000);
    expect(await retryWithBackoff(failing(2).operation, transient, POLICY, timing)).toEqual({
      value: 'done',
      attempts: 3,
    });
    expect(sleeps).toEqual([99, 199]);
  });
});

describe('SYSTEM_TIMING', () => {
  it('reads the wall clock', () => {
    const before = Date.now();
    const now = SYSTEM_TIMING.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('draws uniform numbers in [0, 1)', () => {
    const draws = Array.from({ length: 100 }, () => SYSTEM_TIMING.random());
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it('sleeps for the given time', async () => {
    const before = Date.now();
    await expect(SYSTEM_TIMING.sleep(20)).resolves.toBeUndefined();
    expect(Date.now() - before).toBeGreaterThanOrEqual(19);
  });
});
