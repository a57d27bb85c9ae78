/**
 * Test-side access to moto's own API (`/moto-api/...`): reset between tests and the request recorder.
 * Nothing here answers AWS calls in moto's place; it only resets and reads the emulator.
 */

export class EmulatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

/** One AWS request moto received, as its recorder wrote it down. */
export interface RecordedRequest {
  /** Signing name of the SigV4 credential scope (`cloudtrail`, `logs`, `iam`, ...); undefined if unsigned. */
  readonly service: string | undefined;
  /** Region of the SigV4 credential scope, i.e. the region the client was configured for. */
  readonly region: string | undefined;
  /** API operation: the `X-Amz-Target` suffix (JSON protocols) or the `Action` parameter (query protocol). */
  readonly operation: string | undefined;
  readonly body: string;
}

interface RecorderEntry {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly body_encoded: boolean;
}

async function motoApi(endpoint: string, path: string, method: 'GET' | 'POST'): Promise<string> {
  const response = await fetch(`${endpoint}/moto-api/${path}`, { method });
  const text = await response.text();
  if (!response.ok) {
    throw new EmulatorError(
      `moto answered ${method} /moto-api/${path} with HTTP ${response.status}: ${text}`,
    );
  }
  return text;
}

/** Forgets the requests recorded so far, e.g. between the arrangement of a test and the call it checks. */
export async function resetRecording(endpoint: string): Promise<void> {
  await motoApi(endpoint, 'recorder/reset-recording', 'POST');
}

/** Empties every moto backend and the request recording, so a test starts from a clean emulator. */
export async function resetEmulator(endpoint: string): Promise<void> {
  await motoApi(endpoint, 'reset', 'POST');
  await resetRecording(endpoint);
}

function header(entry: RecorderEntry, name: string): string | undefined {
  const key = Object.keys(entry.headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : entry.headers[key];
}

/** Region and signing name of a SigV4 `Authorization` header's credential scope; empty if it has none. */
export function credentialScope(authorization: string | undefined): { region?: string; service?: string } {
  // AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
  const match = authorization?.match(/Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//);
  return match ? { region: match[1], service: match[2] } : {};
}

/** API operation: the `X-Amz-Target` suffix (JSON protocols) or the `Action` parameter (query protocol). */
export function operationOf(target: string | undefined, body: string): string | undefined {
  if (target !== undefined) return target.slice(target.lastIndexOf('.') + 1);
  return new URLSearchParams(body).get('Action') ?? undefined;
}

/** Every AWS request moto received since the last reset, oldest first. */
export async function recordedRequests(endpoint: string): Promise<readonly RecordedRequest[]> {
  const text = await motoApi(endpoint, 'recorder/download-recording', 'GET');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = JSON.parse(line) as RecorderEntry;
      const raw = entry.body ?? '';
      const body = entry.body_encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      const { region, service } = credentialScope(header(entry, 'authorization'));
      return { service, region, operation: operationOf(header(entry, 'x-amz-target'), body), body };
    });
}

/**
 * Creates an S3 bucket for CreateTrail, which moto checks. The project has no S3 client (its Lambdas never
 * call S3), so this is the plain REST call; moto routes unsigned requests to S3 in us-east-1.
 */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const response = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' });
  if (!response.ok) {
    throw new EmulatorError(
      `moto refused to create bucket ${bucket}: HTTP ${response.status} ${await response.text()}`,
    );
  }
}

/** True for operations that only read (Get*, Describe*, List*): what a dry run may call. */
export function isReadOnly(operation: string | undefined): boolean {
  return operation !== undefined && /^(Get|Describe|List)[A-Z]/.test(operation);
}
