/**
 * How long the command line waits for AWS, as the AWS CLI's `--cli-connect-timeout` and `--cli-read-timeout`
 * say it ("The maximum socket connect time in seconds", "The maximum socket read time in seconds", 60 each by
 * default: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html). Pure: numbers in,
 * SDK settings and bounds out.
 */

/** The AWS CLI's default connect timeout, in seconds. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 60;
/** The AWS CLI's default read timeout, in seconds. */
export const DEFAULT_READ_TIMEOUT_SECONDS = 60;
/** The SDK's default number of attempts of a call in standard retry mode (AWS_MAX_ATTEMPTS changes it). */
const SDK_DEFAULT_MAX_ATTEMPTS = 3;
/**
 * Allowance for each wait between two attempts of a call that timed out. The SDK's standard mode waits a random
 * time under 50 ms x 2^retry for such an error (@smithy/core retry, DefaultRetryBackoffStrategy): under 1 s up
 * to the fifth attempt.
 */
const RETRY_WAIT_ALLOWANCE_MS = 1_000;

export interface Timeouts {
  /** Longest wait for the connection to an endpoint, in seconds. */
  readonly connectSeconds: number;
  /** Longest silence while waiting for an answer, in seconds. */
  readonly readSeconds: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectSeconds: DEFAULT_CONNECT_TIMEOUT_SECONDS,
  readSeconds: DEFAULT_READ_TIMEOUT_SECONDS,
};

/** The SDK's `requestHandler` options (NodeHttpHandler's) that apply the timeouts to one attempt. */
export interface RequestHandlerTimeouts {
  readonly connectionTimeout: number;
  readonly socketTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: true;
}

/**
 * `connectionTimeout` is the connect timeout, `socketTimeout` (the socket's inactivity) the read timeout, as in
 * the AWS CLI. An answer that keeps trickling in never trips the read timeout, so `requestTimeout`, with
 * `throwOnRequestTimeout` (without it the SDK only logs a warning), also ends an attempt after connect + read
 * timeout in all: that is what makes {@link callBoundMs} a bound.
 */
export function requestHandlerTimeouts(timeouts: Timeouts): RequestHandlerTimeouts {
  return {
    connectionTimeout: timeouts.connectSeconds * 1000,
    socketTimeout: timeouts.readSeconds * 1000,
    requestTimeout: (timeouts.connectSeconds + timeouts.readSeconds) * 1000,
    throwOnRequestTimeout: true,
  };
}

/**
 * The longest one AWS call can take before it fails: every attempt ends within connect + read timeout, and the
 * SDK makes `maxAttempts` of them with a short wait in between. With the defaults (60 s, 60 s, 3 attempts): 362 s;
 * an endpoint that accepts the connection and never answers fails after about 3 x 60 s.
 */
export function callBoundMs(timeouts: Timeouts, maxAttempts: number = SDK_DEFAULT_MAX_ATTEMPTS): number {
  const attempt = (timeouts.connectSeconds + timeouts.readSeconds) * 1000;
  return maxAttempts * attempt + (maxAttempts - 1) * RETRY_WAIT_ALLOWANCE_MS;
}
