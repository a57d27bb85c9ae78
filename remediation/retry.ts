import { setTimeout as delay } from 'node:timers/promises';

/** Time as the retry loop sees it; injectable so tests and the benchmark run on a simulated clock. */
export interface RetryTiming {
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since the Unix epoch (compared with IAM's CreateDate of a role). */
  readonly now: () => number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

export const SYSTEM_TIMING: RetryTiming = {
  sleep: async (ms) => {
    await delay(ms);
  },
  now: () => Date.now(),
  random: () => Math.random(),
};

export interface BackoffPolicy {
  /** Ceiling of the first wait. */
  readonly baseMs: number;
  /** Largest ceiling of a single wait. */
  readonly capMs: number;
  /** No wait starts that would end later than this after the first attempt. */
  readonly boundMs: number;
}

export interface RetryOutcome<T> {
  readonly value: T;
  readonly attempts: number;
}

/** Thrown by retryWithBackoff when the next wait would cross the bound; carries the last error. */
export class RetryBoundReachedError extends Error {
  readonly attempts: number;
  readonly elapsedMs: number;

  constructor(attempts: number, elapsedMs: number, cause: unknown) {
    super(`Gave up after ${attempts} attempts and ${elapsedMs} ms`, { cause });
    this.name = 'RetryBoundReachedError';
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/** Ceiling of the wait after failed attempt `attempt` (1-based): min(cap, base * 2^(attempt - 1)). */
export function backoffCeilingMs(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
}

/**
 * Runs `operation` until it succeeds, retrying only errors `isTransient` accepts (told which attempt failed,
 * from 1), waiting with exponential
 * backoff and full jitter (a uniform wait in [0, min(cap, base * 2^n))). Total time is bounded: a wait that
 * would end past `boundMs` after the first attempt is not started and RetryBoundReachedError is thrown instead.
 * Other errors propagate unchanged.
 */
export async function retryWithBackoff<T>(
  operation: () => Promise<T>,
  isTransient: (error: unknown, attempt: number) => boolean,
  policy: BackoffPolicy,
  timing: RetryTiming,
): Promise<RetryOutcome<T>> {
  const start = timing.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await operation(), attempts: attempt };
    } catch (error) {
      if (!isTransient(error, attempt)) throw error;
      const wait = Math.floor(timing.random() * backoffCeilingMs(policy, attempt));
      const elapsed = timing.now() - start;
      if (elapsed + wait > policy.boundMs) throw new RetryBoundReachedError(attempt, elapsed, error);
      await timing.sleep(wait);
    }
  }
}
