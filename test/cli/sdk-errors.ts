/**
 * An error as the SDK v3 throws it for an AWS error response: the error code as `name`, and the HTTP status in
 * `$metadata` when the test gives one (the SDK sets it on every service exception; a test that leaves it out
 * shows what an error without it reads like).
 */
export function serviceError(name: string, message: string, httpStatusCode?: number): Error {
  return Object.assign(
    new Error(message),
    httpStatusCode === undefined ? { name } : { name, $metadata: { httpStatusCode } },
  );
}
