/**
 * The Lambdas' log lines: one JSON object per call of `console`, which Lambda's JSON log format (LoggingFormat
 * JSON, set on every function) records as the `message` of a record carrying `timestamp`, `level` and
 * `requestId`. The runtime drops records below the function's application log level (LoggingConfig
 * ApplicationLogLevel, from CDK context): console.debug is DEBUG, console.info INFO, console.warn WARN,
 * console.error ERROR.
 *
 * Plain `console` rather than a logger library: it adds nothing to the cold start, which the rule Lambda has a
 * budget for (docs/performance.md), and the runtime already does what a library would (JSON, level, request id,
 * filtering). Each line also carries the request id itself, so it reads the same outside Lambda (tests, tools).
 *
 * Lines hold named fields only: never a whole event or payload, never credentials or an SDK response.
 */

/** A field's value: plain data that serializes as itself. */
export type LogValue =
  | string
  | number
  | boolean
  | null
  | readonly LogValue[]
  | { readonly [key: string]: LogValue };

export type LogFields = Readonly<Record<string, LogValue | undefined>>;

/** An error as a log line holds it: type, message, and the chain of causes (an AggregateError's errors too). */
export interface LoggedError {
  readonly [key: string]: LogValue;
  readonly type: string;
  readonly message: string;
  readonly causes: readonly LoggedError[];
}

/** Log lines of one invocation, each stamped with its request id. */
export interface InvocationLog {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  /** Something an operator must act on although the invocation succeeded (console.warn: level WARN). */
  warn(event: string, fields?: LogFields): void;
  /** The one line for a failed invocation: the error with its causes and its stack, split into lines. */
  error(event: string, error: unknown, fields?: LogFields): void;
}

/** Deep enough for any chain this project builds (typed error -> SDK error -> ...), bounded against cycles. */
const MAX_CAUSE_DEPTH = 5;

function causesOf(error: unknown): unknown[] {
  if (!(error instanceof Error)) return [];
  const causes: unknown[] = error instanceof AggregateError ? [...error.errors] : [];
  return error.cause === undefined ? causes : [error.cause, ...causes];
}

/**
 * An error reduced to its type (`name`), message and causes. Only those are read: SDK errors carry the HTTP
 * response and request metadata as properties, which have no place in a log line.
 */
export function describeError(error: unknown, depth = 0): LoggedError {
  const type = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  const causes =
    depth < MAX_CAUSE_DEPTH ? causesOf(error).map((cause) => describeError(cause, depth + 1)) : [];
  return { type, message, causes };
}

/** The stack of `error` as lines (as the Lambda runtime records a stack), without the first "Type: message". */
export function stackLines(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return [];
  return error.stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim());
}

function line(event: string, requestId: string | undefined, fields: LogFields): Record<string, unknown> {
  return { event, requestId: requestId ?? null, ...fields };
}

/** The log of the invocation `requestId` (the handler context's `awsRequestId`; undefined outside Lambda). */
export function invocationLog(requestId: string | undefined): InvocationLog {
  return {
    debug: (event, fields = {}) => console.debug(line(event, requestId, fields)),
    info: (event, fields = {}) => console.info(line(event, requestId, fields)),
    warn: (event, fields = {}) => console.warn(line(event, requestId, fields)),
    error: (event, error, fields = {}) =>
      console.error(
        line(event, requestId, { ...fields, error: describeError(error), stack: stackLines(error) }),
      ),
  };
}
