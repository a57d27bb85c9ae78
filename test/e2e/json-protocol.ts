import type { ProxiedCall, ProxiedResponse } from './fault-proxy.js';

/**
 * The AWS JSON 1.1 protocol as a fault proxy's stand-in answers speak it (CloudTrail, Config, CloudWatch Logs,
 * SSM, Organizations): one place for the content type, the request body, and a service error as HTTP 400 with
 * the error's name in `__type`, so every stand-in answers the SDK the same way.
 */

/** The content type of every JSON 1.1 answer, an empty one included. */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/x-amz-json-1.1',
};

/** An answer of the JSON 1.1 protocol: `body` serialized, with its content type. */
export function jsonAnswer(status: number, body: unknown): ProxiedResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The request's JSON body; an empty body is an empty request. */
export function requestBody(call: ProxiedCall): Record<string, unknown> {
  return call.body === '' ? {} : (JSON.parse(call.body) as Record<string, unknown>);
}
