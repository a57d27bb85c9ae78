import {
  type ConfigurationItem as ApiConfigurationItem,
  ConfigServiceServiceException,
  type GetResourceConfigHistoryCommandInput,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { ConfigHistory } from '../rule/config-history.js';
import type { ProxiedResponse } from './fault-proxy.js';
import { jsonAnswer } from './json-protocol.js';

/**
 * GetResourceConfigHistory served on the wire by the fault proxy, from the unit tier's paging model
 * (test/rule/config-history.ts: seven days a call, `nextToken`, empty pages, newest first unless `Forward`), so
 * both tiers page the same way. This module only translates between the JSON 1.1 protocol and the SDK shapes
 * that model takes and returns: timestamps travel as epoch seconds (numbers, with a fraction for milliseconds)
 * both ways, and a service error as HTTP 400 with its name in `__type`.
 */

/** The `X-Amz-Target` the Config SDK sends for GetResourceConfigHistory. */
export const HISTORY_TARGET = 'StarlingDoveService.GetResourceConfigHistory';

export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

function field(body: Record<string, unknown>, name: string, type: 'string' | 'number'): unknown {
  const value = body[name];
  // A type other than the protocol's (an ISO string for a timestamp, say) must fail the test, not be coerced.
  if (value !== undefined && typeof value !== type) {
    throw new WireFormatError(`${name} is ${JSON.stringify(value)}, not a ${type} on the wire.`);
  }
  return value;
}

/** Epoch seconds to a Date, exact to the millisecond (the fraction is not exact in binary). */
const fromEpochSeconds = (seconds: number) => new Date(Math.round(seconds * 1000));

/** The request as the SDK would have built it before serializing it. */
export function historyInputOf(body: string): GetResourceConfigHistoryCommandInput {
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new WireFormatError(`the request body is not a JSON object: ${body}`);
  }
  const wire = parsed as Record<string, unknown>;
  const earlierTime = field(wire, 'earlierTime', 'number') as number | undefined;
  const laterTime = field(wire, 'laterTime', 'number') as number | undefined;
  const chronologicalOrder = field(wire, 'chronologicalOrder', 'string') as 'Forward' | 'Reverse' | undefined;
  const limit = field(wire, 'limit', 'number') as number | undefined;
  const nextToken = field(wire, 'nextToken', 'string') as string | undefined;
  return {
    resourceType: field(wire, 'resourceType', 'string') as ResourceType,
    resourceId: field(wire, 'resourceId', 'string') as string,
    ...(laterTime === undefined ? {} : { laterTime: fromEpochSeconds(laterTime) }),
    ...(earlierTime === undefined ? {} : { earlierTime: fromEpochSeconds(earlierTime) }),
    ...(chronologicalOrder === undefined ? {} : { chronologicalOrder }),
    ...(limit === undefined ? {} : { limit }),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

/** An item as the response carries it: every timestamp (capture, creation, delivery) in epoch seconds. */
function wireItem(item: ApiConfigurationItem): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([key, value]) => [key, value instanceof Date ? value.getTime() / 1000 : value]),
  );
}

/** The proxy's answer to a GetResourceConfigHistory call, served by `history`. */
export function serveHistoryCall(history: ConfigHistory, body: string): ProxiedResponse {
  try {
    const { configurationItems, nextToken } = history.serve(historyInputOf(body));
    return jsonAnswer(200, {
      configurationItems: (configurationItems ?? []).map(wireItem),
      ...(nextToken === undefined ? {} : { nextToken }),
    });
  } catch (error) {
    if (!(error instanceof ConfigServiceServiceException)) throw error;
    return jsonAnswer(400, { __type: error.name, message: error.message });
  }
}
