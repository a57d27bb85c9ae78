import type { RecordedHttpRequest, RecordedHttpResponse } from '../e2e/call-recorder.js';

/**
 * Reads a recorded HTTP request as the AWS API call it is: who signed it (the SigV4 credential scope), which
 * service and operation, and its parameters, whatever protocol the service speaks:
 *
 * - JSON 1.0 / 1.1 (CloudTrail, CloudWatch Logs, Config, SSM, Organizations, KMS, CloudWatch): the operation is
 *   the `X-Amz-Target` suffix and the parameters the JSON body;
 * - query (IAM, STS, EC2, SNS): `Action=` in the form body, the parameters flattened in it (`Tags.member.1.Key`);
 * - REST-JSON (Account, Lambda): the operation is the method and path ({@link REST_ROUTES}).
 *
 * SigV4 signs with the service's signing name, which is not always its IAM prefix (CloudWatch signs as
 * `monitoring`): {@link IAM_PREFIX_OF_SIGNING_NAME}.
 */

export interface AwsRequest {
  /** Access key of the SigV4 credential scope: which principal sent it. */
  readonly accessKey: string;
  /** Region of the credential scope: the region the client was configured for. */
  readonly region: string;
  /** The service's IAM prefix (`cloudwatch`, `logs`, `iam`, ...). */
  readonly service: string;
  readonly operation: string;
  /** The JSON body (JSON protocols), the form fields (query), or the path parameters and JSON body (REST). */
  readonly input: Readonly<Record<string, unknown>>;
  readonly response: RecordedHttpResponse;
}

/** A recorded request that is not a signed AWS API call this reader knows how to read. */
export class UnreadableRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableRequestError';
  }
}

/** Signing names that differ from the IAM prefix (Service Authorization Reference, each service's page). */
const IAM_PREFIX_OF_SIGNING_NAME: Readonly<Record<string, string>> = { monitoring: 'cloudwatch' };

interface RestRoute {
  readonly service: string;
  readonly method: string;
  readonly path: RegExp;
  readonly operation: string;
}

/**
 * The REST operations the project calls. Account: `POST /listRegions` (Account API reference, ListRegions).
 * Lambda: `POST /2015-03-31/functions/{FunctionName}/invocations` (Lambda API reference, Invoke).
 */
export const REST_ROUTES: readonly RestRoute[] = [
  { service: 'account', method: 'POST', path: /^\/listRegions$/, operation: 'ListRegions' },
  {
    service: 'lambda',
    method: 'POST',
    path: /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)\/invocations$/,
    operation: 'Invoke',
  },
];

// AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...
const CREDENTIAL_SCOPE = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

function jsonObject(body: string, what: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // Reported below with what was being read.
  }
  throw new UnreadableRequestError(`${what} is not a JSON object: ${body.slice(0, 200)}`);
}

function restOperation(
  service: string,
  request: RecordedHttpRequest,
): { operation: string; input: Record<string, unknown> } {
  const [path = '/'] = request.path.split('?');
  for (const route of REST_ROUTES) {
    const match = route.service === service && route.method === request.method ? route.path.exec(path) : null;
    if (match !== null) {
      const parameters = Object.fromEntries(
        Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeURIComponent(value)]),
      );
      return {
        operation: route.operation,
        input: { ...jsonObject(request.body, `the body of ${service} ${route.operation}`), ...parameters },
      };
    }
  }
  throw new UnreadableRequestError(
    `${request.method} ${request.path} to ${service} matches no REST route: add it to REST_ROUTES in test/privilege/aws-request.ts.`,
  );
}

/** The AWS API call a recorded request makes. Throws UnreadableRequestError for anything else. */
export function readAwsRequest(request: RecordedHttpRequest, response: RecordedHttpResponse): AwsRequest {
  const scope = CREDENTIAL_SCOPE.exec(request.headers.authorization ?? '');
  if (scope === null) {
    throw new UnreadableRequestError(
      `${request.method} ${request.path} carries no SigV4 credential scope: an unsigned request cannot be attributed.`,
    );
  }
  const [, accessKey = '', region = '', signingName = ''] = scope;
  const service = IAM_PREFIX_OF_SIGNING_NAME[signingName] ?? signingName;
  const target = request.headers['x-amz-target'];
  if (target !== undefined) {
    const operation = target.slice(target.lastIndexOf('.') + 1);
    return {
      accessKey,
      region,
      service,
      operation,
      input: jsonObject(request.body, `the body of ${service}:${operation}`),
      response,
    };
  }
  if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    const input = Object.fromEntries(new URLSearchParams(request.body));
    const { Action: operation, ...rest } = input;
    if (operation === undefined) {
      throw new UnreadableRequestError(
        `a query request to ${service} without Action: ${request.body.slice(0, 200)}`,
      );
    }
    return { accessKey, region, service, operation, input: rest, response };
  }
  return { accessKey, region, service, ...restOperation(service, request), response };
}

/**
 * The members of a query-protocol list (`Tags.member.1.Key=k&Tags.member.1.Value=v`), in order: each an object
 * of the given fields.
 */
export function queryList(input: Readonly<Record<string, unknown>>, name: string): Record<string, string>[] {
  const members = new Map<number, Record<string, string>>();
  const member = new RegExp(`^${name.replace('.', '\\.')}\\.member\\.(\\d+)(?:\\.(.+))?$`);
  for (const [key, value] of Object.entries(input)) {
    const match = member.exec(key);
    if (match === null || typeof value !== 'string') continue;
    const index = Number(match[1]);
    const entry = members.get(index) ?? {};
    entry[match[2] ?? ''] = value;
    members.set(index, entry);
  }
  return [...members.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}
