import { AwsCallError } from './errors.js';

/**
 * How every reader and writer of the remediation makes its SDK call. Apart from clients.ts on purpose: the
 * monitoring's I/O is loaded lazily (remediate.ts), and a lazily loaded module that imported clients.ts would
 * make esbuild keep far more of the IAM and Organizations clients in the Lambda bundle.
 */

/** True when the SDK threw the AWS error `names` lists (its `name` is the error code). */
export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

/** Runs one SDK call; its failure becomes an AwsCallError naming the IAM action and the resource. */
export async function awsCall<T>(action: string, resource: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AwsCallError(action, resource, error);
  }
}
