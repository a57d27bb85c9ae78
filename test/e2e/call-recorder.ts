import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { accessKeyOf, type DeclaredPrincipal } from './principals.js';

/**
 * The least-privilege recording (issue 27): every AWS request a bundled Lambda or the CLI sends in the e2e tier,
 * with the answer it got, written down at the loopback proxies it passes (fault-proxy.ts, which every other
 * proxy of the tier is built on), and who sent it (the principal each set of credentials stands for). Nothing
 * is interpreted here: test/privilege reads the recording after the tier and resolves each request against the
 * synthesized templates. Test-side SDK clients (arranging trails, reading results back) talk to moto directly
 * and are not recorded.
 */

/** The test a request was sent in: the recording's unit of "which scenario exercises this grant". */
export interface Scenario {
  /** The test file, relative to test/e2e. */
  readonly file: string;
  /** The test's full name (describe blocks and title, as vitest prints it). */
  readonly test: string;
}

/** The request as the proxy received it; only the headers that say who sent it and which operation it is. */
export interface RecordedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The answer the caller got (moto's, or the proxy's own when it stands in for AWS). */
export interface RecordedHttpResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface RecordedExchange {
  readonly kind: 'exchange';
  readonly scenario: Scenario;
  /** Order within its file: requests of one invocation are recorded as the proxy answered them. */
  readonly sequence: number;
  readonly request: RecordedHttpRequest;
  readonly response: RecordedHttpResponse;
}

/** Which principal a set of credentials stands for; written once per access key and file. */
export interface PrincipalDeclaration {
  readonly kind: 'principal';
  readonly accessKey: string;
  readonly principal: DeclaredPrincipal;
}

export type RecordingLine = RecordedExchange | PrincipalDeclaration;

/** Headers the check reads: SigV4 credential scope (who, where, which service) and the operation. */
export const RECORDED_HEADERS = ['authorization', 'x-amz-target', 'content-type'] as const;

/**
 * Where the tier writes the recording and the check reads it: outside the temporary directories of a run, so the
 * check (a second vitest run, after the tier) finds it. The tier empties it when it starts.
 */
export const RECORDING_DIRECTORY = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'cloudtrail-logs-guard',
  'e2e-recording',
);

/** Written when the tier's run ends: a recording without it is from a run that did not finish. */
export const RECORDING_MARKER = 'run-ended.json';

/** Longest body kept; the largest answers the check reads (GetTrail, GetRole, AssumeRole) are a few KB. */
const BODY_LIMIT = 100_000;

export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

interface RecorderState {
  directory: string;
  scenario: Scenario | undefined;
  sequence: number;
  endpoint: string | undefined;
  declared: Set<string>;
}

let state: RecorderState | undefined;

/**
 * Starts recording into `directory` (test/e2e/setup.ts does, once per test file); until then proxies forward
 * without recording (the demo script uses the tier's helpers outside the tier).
 */
export function startRecording(directory: string): void {
  mkdirSync(directory, { recursive: true });
  state = { directory, scenario: undefined, sequence: 0, endpoint: undefined, declared: new Set() };
}

/** The test now running: every request recorded until the next call belongs to it. */
export function setScenario(scenario: Scenario): void {
  if (state !== undefined) state.scenario = scenario;
}

/** The recording proxy test/e2e/setup.ts started in front of moto. */
export function setRecordingEndpoint(endpoint: string): void {
  if (state !== undefined) state.endpoint = endpoint;
}

/**
 * Where bundled Lambdas and the CLI send their requests: the recording proxy. Throws when the tier's setup did
 * not start it, rather than letting requests bypass the recording.
 */
export function recordingEndpoint(): string {
  if (state?.endpoint === undefined) {
    throw new RecordingError(
      'No recording proxy is running: test/e2e/setup.ts starts it for every file of the e2e tier (vitest.e2e.config.ts).',
    );
  }
  return state.endpoint;
}

function fileOf(recorder: RecorderState): string {
  const file = recorder.scenario?.file ?? 'outside-a-test';
  return join(recorder.directory, `${basename(file).replace(/\.test\.ts$/, '')}.jsonl`);
}

function write(recorder: RecorderState, line: RecordingLine): void {
  appendFileSync(fileOf(recorder), `${JSON.stringify(line)}\n`);
}

/**
 * Static credentials standing for `principal` (principals.ts), declared in the recording (once per file): the
 * environment variables a Lambda process or CLI run gets.
 */
export function principalCredentials(principal: DeclaredPrincipal): {
  readonly AWS_ACCESS_KEY_ID: string;
  readonly AWS_SECRET_ACCESS_KEY: string;
} {
  const accessKey = accessKeyOf(principal);
  if (state !== undefined && !state.declared.has(accessKey)) {
    state.declared.add(accessKey);
    write(state, { kind: 'principal', accessKey, principal });
  }
  return { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: 'e2e-secret' };
}

/** Records one request and the answer its sender got; a no-op when no recording was started. */
export function recordExchange(request: RecordedHttpRequest, response: RecordedHttpResponse): void {
  if (state === undefined) return;
  state.sequence += 1;
  write(state, {
    kind: 'exchange',
    scenario: state.scenario ?? { file: 'outside-a-test', test: '(no test running)' },
    sequence: state.sequence,
    request: { ...request, body: request.body.slice(0, BODY_LIMIT) },
    response: { ...response, body: response.body.slice(0, BODY_LIMIT) },
  });
}

/**
 * The environment of a CLI run as the operator running `command`: the recording proxy and the operator's
 * credentials (whose IAM policy docs/cli.md documents).
 */
export function operatorEnvironment(command: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: recordingEndpoint(),
    ...principalCredentials({ type: 'operator', command }),
  };
}
