import type { RecordedExchange, RecordedHttpRequest, RecordedHttpResponse } from '../e2e/call-recorder.js';

/**
 * Recorded requests as the SDK sends them, for the unit tests of the check: a SigV4 `Authorization` header whose
 * credential scope is `<access key>/<date>/<region>/<signing name>/aws4_request` (AWS General Reference,
 * "Signature Version 4"), and each protocol's operation and body (JSON: `X-Amz-Target`; query: `Action=` in a
 * form body; REST: method and path).
 */

export const ACCESS_KEY = 'E2EP0BD366B3E0822853';

export function authorization(region: string, signingName: string, accessKey = ACCESS_KEY): string {
  return (
    `AWS4-HMAC-SHA256 Credential=${accessKey}/20261206/${region}/${signingName}/aws4_request, ` +
    'SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef'
  );
}

/** Where a request was signed: us-east-1 and ACCESS_KEY unless told. */
interface SigningOptions {
  readonly region?: string;
  readonly accessKey?: string;
}

/** A POST to `/`, signed for `signingName`, with the protocol's headers and body. */
function signedPost(
  signingName: string,
  headers: Record<string, string>,
  body: string,
  options: SigningOptions,
): RecordedHttpRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      authorization: authorization(options.region ?? 'us-east-1', signingName, options.accessKey),
      ...headers,
    },
    body,
  };
}

/** A JSON-protocol request (`X-Amz-Target`), e.g. `jsonRequest('logs', 'Logs_20140328.CreateLogGroup', {...})`. */
export function jsonRequest(
  signingName: string,
  target: string,
  body: unknown,
  options: SigningOptions = {},
): RecordedHttpRequest {
  return signedPost(
    signingName,
    { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
    JSON.stringify(body),
    options,
  );
}

/** A query-protocol request (IAM, STS, EC2): `Action`, `Version` and the flattened parameters in the form body. */
export function queryRequest(
  signingName: string,
  action: string,
  parameters: Record<string, string>,
  options: SigningOptions = {},
): RecordedHttpRequest {
  return signedPost(
    signingName,
    { 'content-type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ Action: action, Version: '2010-05-08', ...parameters }).toString(),
    options,
  );
}

export const OK: RecordedHttpResponse = {
  status: 200,
  contentType: 'application/x-amz-json-1.1',
  body: '{}',
};

export function response(status: number, body: string, contentType = 'text/xml'): RecordedHttpResponse {
  return { status, contentType, body };
}

/** An exchange of scenario `test` in file `file`, numbered `sequence`. */
export function exchange(
  request: RecordedHttpRequest,
  answer: RecordedHttpResponse = OK,
  sequence = 1,
  test = 'a scenario',
  file = 'cli.test.ts',
): RecordedExchange {
  return { kind: 'exchange', scenario: { file, test }, sequence, request, response: answer };
}
