/**
 * Regions a scan lists at once, and trails it judges at once (each, so up to twice as many calls in flight),
 * unless `--concurrency` says otherwise: quick, and clear of CloudTrail's throttling.
 */
export const DEFAULT_CONCURRENCY = 4;
/** The most `--concurrency` accepts. */
export const MAX_CONCURRENCY = 64;

/**
 * Maps `items` through `task` with at most `limit` calls in flight, keeping the input order in the result.
 * The first rejection rejects the whole map (tasks already started still finish; none is started after it).
 */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs a task once a slot is free; see {@link limiter}. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A gate that lets at most `limit` tasks run at once, started in the order they were handed in. Unlike
 * {@link mapWithLimit} it takes tasks as they come (a region's trails as soon as its list arrives), and a
 * failed task only fails its own promise.
 */
export function limiter(limit: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < limit) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task waiting, so no newcomer can take it in between.
      const next = waiting.shift();
      if (next === undefined) active -= 1;
      else next();
    }
  };
}
