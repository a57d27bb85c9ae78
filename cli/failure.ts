/**
 * What went wrong with an AWS call, told in one line an operator can act on: the operation, the region, the
 * HTTP status or error code, and advice chosen by the cause. Pure: an error in, words out.
 */

/** Why a call failed, as far as the operator's next step is concerned. */
export type FailureCause =
  | 'credentials'
  | 'permission'
  | 'throttling'
  | 'timeout'
  | 'network'
  | 'endpoint'
  | 'region'
  | 'service';

export interface AwsFailure {
  readonly cause: FailureCause;
  /** The AWS error code (`AccessDeniedException`), the network error code (`ECONNREFUSED`) or the error's name. */
  readonly code: string;
  /** The HTTP status of the response, when there was one. */
  readonly httpStatus?: number;
  /** What the service or the network said, first line only. */
  readonly detail: string;
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
  'TokenRefreshRequired',
]);
const PERMISSION_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'OptInRequired',
]);
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'RequestTimeout',
]);
const ENDPOINT_CODES = new Set(['ENOTFOUND', 'UnknownEndpoint', 'EndpointError']);

interface ErrorFields {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown; readonly attempts?: unknown };
  readonly $response?: { readonly headers?: Readonly<Record<string, unknown>> };
}

function fields(error: unknown): ErrorFields {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : {};
}

/**
 * The error the SDK or the network raised, below the wrappers the rule and the remediation add
 * (AccessDeniedError, AwsCallError and the like keep it as `cause`).
 */
export function rootAwsError(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const { $metadata, code, cause } = fields(current);
    if ($metadata !== undefined || typeof code === 'string' || cause === undefined) return current;
    current = cause;
  }
  return current;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/** A non-AWS answer (an HTML error page, a proxy's text) fails to parse: the SDK's message is a parser's. */
function isUnreadableResponse(error: ErrorFields): boolean {
  return (
    error.name === 'SyntaxError' ||
    (typeof error.message === 'string' && error.message.includes('Deserialization error')) ||
    // XML services name an error body they cannot read "Unknown"; AWS itself always sends a code.
    ((error.name === 'Unknown' || error.name === 'UnknownError') && error.$response !== undefined)
  );
}

/**
 * The SDK's own timeouts (@smithy/node-http-handler, name TimeoutError) say which one ran out and after how many
 * milliseconds; the rest of their text is for programmers.
 */
const TIMEOUTS: readonly (readonly [RegExp, string])[] = [
  [
    /did not establish a connection with the server within the configured timeout of (\d+) ms/,
    'no connection',
  ],
  [/timed out after (\d+) ms of inactivity/, 'no answer'],
  [/exceeded the configured (\d+) ms requestTimeout/, 'no complete answer'],
];

/** `no answer within 60 s (3 attempts)`, or undefined for an error that is not one of the SDK's timeouts. */
function timeoutDetail(error: ErrorFields): string | undefined {
  if (error.name !== 'TimeoutError' || typeof error.message !== 'string') return undefined;
  const { message } = error;
  for (const [pattern, what] of TIMEOUTS) {
    const ms = pattern.exec(message)?.[1];
    if (ms === undefined) continue;
    const attempts = error.$metadata?.attempts;
    const tries = typeof attempts === 'number' && attempts > 1 ? ` (${attempts} attempts)` : '';
    return `${what} within ${Number(ms) / 1000} s${tries}`;
  }
  return undefined;
}

/** Classifies an error thrown by an SDK call (or by a wrapper around one). */
export function classifyAwsError(error: unknown): AwsFailure {
  const root = fields(rootAwsError(error));
  const status = root.$metadata?.httpStatusCode;
  const httpStatus = typeof status === 'number' ? { httpStatus: status } : {};
  const name = typeof root.name === 'string' ? root.name : 'Error';
  const code = typeof root.code === 'string' && /^E[A-Z_]+$/.test(root.code) ? root.code : name;
  const message = typeof root.message === 'string' ? firstLine(root.message) : String(rootAwsError(error));
  if (isUnreadableResponse(root)) {
    const type = root.$response?.headers?.['content-type'];
    return {
      cause: 'endpoint',
      code: 'UnreadableResponse',
      ...httpStatus,
      detail: `the answer is not an AWS API response${typeof type === 'string' ? ` (${type})` : ''}`,
    };
  }
  const timeout = timeoutDetail(root);
  if (timeout !== undefined) return { cause: 'timeout', code: 'TimeoutError', detail: timeout };
  const failure = (cause: FailureCause): AwsFailure => ({ cause, code, ...httpStatus, detail: message });
  if (CREDENTIAL_CODES.has(code)) return failure('credentials');
  if (PERMISSION_CODES.has(code)) return failure('permission');
  if (THROTTLING_CODES.has(code)) return failure('throttling');
  if (NETWORK_CODES.has(code)) return failure('network');
  if (ENDPOINT_CODES.has(code) || status === 404 || status === 301 || status === 307) {
    return failure('endpoint');
  }
  if (/region is missing/i.test(message)) return failure('region');
  return failure('service');
}

/** What the operator can do about a failure of `operation` with this cause. */
export function adviceFor(cause: FailureCause, operation: string): string {
  switch (cause) {
    case 'credentials':
      return 'Check your credentials: log in again (aws sso login), or pick a profile with --profile or AWS_PROFILE; in an opt-in region, check that the region is enabled for the account.';
    case 'permission':
      return `Grant ${operation} to the credentials you run with, or check that no SCP denies it in this region.`;
    case 'throttling':
      return 'AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.';
    case 'timeout':
      return 'The endpoint did not answer in time: check your network connection, proxy (HTTPS_PROXY), AWS_ENDPOINT_URL and the region name, or allow more time with --cli-connect-timeout and --cli-read-timeout (seconds).';
    case 'network':
      return 'Check your network connection, proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL; the request did not get an answer.';
    case 'endpoint':
      return 'Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.';
    case 'region':
      return 'Set a region: --region, AWS_REGION, AWS_DEFAULT_REGION or a region in your profile.';
    case 'service':
      return 'Run it again with --debug to see the requests.';
  }
}

/** `HTTP 403 AccessDeniedException: detail`: the status when there was one, then the code and the detail. */
export function describeFailure(failure: AwsFailure): string {
  const status = failure.httpStatus === undefined ? '' : `HTTP ${failure.httpStatus} `;
  return `${status}${failure.code}: ${failure.detail}`;
}

/**
 * The one line of a failed call: `operation in region failed: HTTP 403 Code: detail. Advice`. `advice` replaces
 * the advice chosen by the cause, where the caller knows better (an aggregator that does not exist).
 */
export function failureLine(
  operation: string,
  region: string | undefined,
  error: unknown,
  advice?: string,
): string {
  const failure = classifyAwsError(error);
  const where = region === undefined ? '' : ` in ${region}`;
  const detail = describeFailure(failure).replace(/\.$/, '');
  return `${operation}${where} failed: ${detail}. ${advice ?? adviceFor(failure.cause, operation)}`;
}
