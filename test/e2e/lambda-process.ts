import { spawn } from 'node:child_process';

/**
 * Runs a bundled handler the way the Lambda Node.js runtime does: a fresh Node process imports the `.mjs`
 * natively (no test-runner transform in between, so a module-format defect in the bundle surfaces here),
 * calls `handler(event)` and returns the JSON-serialised result. The result travels on file descriptor 3 so
 * the handler's own logging on stdout and stderr cannot corrupt it.
 */

const INVOKE_TIMEOUT_MS = 60_000;

/** The request id the child's Lambda context carries, unless the test's context names one. */
export const E2E_REQUEST_ID = 'e2e00000-0000-4000-8000-000000000001';

/**
 * Runs inside the child. It awaits the handler (with the Lambda context's `invokedFunctionArn` when the test
 * gives one, and a request id) and reports either its JSON result or the thrown error's name and message, as
 * the Lambda runtime reports them. Like the runtime under the JSON log format (LoggingFormat JSON), it writes
 * each console call as one JSON record on stdout: timestamp, level, requestId and the message. When the test sets
 * a clock (`now`), the child's Date runs from that instant before the bundle is loaded: the handler's own
 * `new Date()` is then the test's, as nothing else in the bundle can tell.
 */
const RUNTIME_SHIM = `
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { event, context, now } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (now !== undefined) {
  const RealDate = Date;
  const offset = RealDate.parse(now) - RealDate.now();
  globalThis.Date = class extends RealDate {
    constructor(...values) {
      if (values.length === 0) super(RealDate.now() + offset);
      else super(...values);
    }
    static now() {
      return RealDate.now() + offset;
    }
  };
}
const lambdaContext = { awsRequestId: '${E2E_REQUEST_ID}', ...context };
// Lambda's JSON log format: one record a line; a single argument becomes the message as it is.
for (const [method, level] of [['debug', 'DEBUG'], ['info', 'INFO'], ['log', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR']]) {
  console[method] = (...params) => process.stdout.write(JSON.stringify({
    timestamp: new Date().toISOString(),
    level,
    requestId: lambdaContext.awsRequestId,
    message: params.length === 1 ? params[0] : format(...params),
  }) + '\\n');
}
let outcome;
try {
  const { handler } = await import(pathToFileURL(process.argv[1]).href);
  const result = await handler(event, lambdaContext);
  outcome = { ok: true, result: result === undefined ? null : result };
} catch (error) {
  outcome = { ok: false, error: { name: error?.name, message: error?.message }, stack: String(error?.stack) };
}
writeSync(3, JSON.stringify(outcome));
`;

export type Invocation =
  | { readonly ok: true; readonly result: unknown; readonly logs: string }
  | {
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string };
      readonly stack: string;
      readonly logs: string;
    };

export class LambdaProcessError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LambdaProcessError';
  }
}

/** The part of the Lambda context the handlers read; absent, the handler gets `undefined` as context. */
export interface LambdaContext {
  readonly invokedFunctionArn: string;
}

/**
 * Invokes the bundle at `bundlePath` with `event` (and `context`) in a child Node process whose environment
 * is exactly `env` (plus PATH), like a Lambda function's configured environment (which sets no NODE_OPTIONS,
 * so no runtime source maps: see LAMBDA_ENVIRONMENT in infra/bundling.ts). `now`: the clock of the child.
 */
export async function invokeBundle(
  bundlePath: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
  context?: LambdaContext,
  now?: Date,
): Promise<Invocation> {
  const child = spawn(process.execPath, ['--input-type=module', '--eval', RUNTIME_SHIM, bundlePath], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    timeout: INVOKE_TIMEOUT_MS,
  });
  let logs = '';
  let report = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
  });
  const reportStream = child.stdio[3];
  reportStream?.on('data', (chunk: Buffer) => {
    report += chunk.toString('utf8');
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve([code, signal]));
  });
  child.stdin?.end(
    JSON.stringify({ event, context, ...(now === undefined ? {} : { now: now.toISOString() }) }),
  );
  const [code, signal] = await closed;
  if (report === '') {
    throw new LambdaProcessError(
      `the handler process for ${bundlePath} ended (code ${code}, signal ${signal}) without reporting a result; its output:\n${logs}`,
    );
  }
  const outcome = JSON.parse(report) as Omit<Invocation, 'logs'>;
  return { ...outcome, logs } as Invocation;
}

/** Like {@link invokeBundle}, but a handler error fails the calling test with the handler's output. */
export async function invokeBundleOk(
  bundlePath: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
  context?: LambdaContext,
): Promise<unknown> {
  const invocation = await invokeBundle(bundlePath, event, env, context);
  if (!invocation.ok) {
    throw new LambdaProcessError(
      `the handler threw ${invocation.error.name}: ${invocation.error.message}\n${invocation.stack}\nIts output:\n${invocation.logs}`,
    );
  }
  return invocation.result;
}
