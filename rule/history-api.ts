import {
  type ConfigurationItem as ApiConfigurationItem,
  GetResourceConfigHistoryCommand,
  type GetResourceConfigHistoryCommandInput,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { RuleClients } from './clients.js';
import {
  ConfigurationItemNotFoundError,
  HistoryReadLimitError,
  InvalidEventError,
  translateAwsError,
  UnexpectedResponseError,
} from './errors.js';
import { type ConfigurationItem, configurationItemFromApi } from './event.js';
import {
  type HistoryItem,
  type Integration,
  type IntegrationStart,
  integrationOfConfiguration,
  readSpan,
  resolvePredecessor,
} from './integration-history.js';

/**
 * The rule's reads of Config's history (IAM action: config:GetResourceConfigHistory), as AWS serves it: "Each
 * call to the API is limited to span a duration of seven days. It is likely that the number of records returned
 * is smaller than the specified limit. In such cases, you can make another call, using the nextToken" (API
 * reference, GetResourceConfigHistory). So every read follows `nextToken` across short and empty pages, within
 * {@link HISTORY_CALL_BUDGET} calls per question.
 */

/**
 * The most GetResourceConfigHistory calls one trail's question may take. A span read needs one call per seven
 * days it covers (the window, at most) and per 100 items; the look for an edit's predecessor one per seven days
 * between them. Ten calls reach about nine weeks back.
 */
export const HISTORY_CALL_BUDGET = 10;

/** The most items a call may return ("You cannot specify a number greater than 100"). */
const PAGE_LIMIT = 100;

const ACTION = 'config:GetResourceConfigHistory';

/** The item under judgement on a change event: the newest item, read up to its capture time. */
export interface JudgedHistoryItem {
  readonly item: HistoryItem;
  /** Config's diff of the item shows the integration unchanged. */
  readonly keptIntegration: boolean;
}

export interface HistoryQuestion {
  readonly resourceType: string;
  readonly resourceId: string;
  /** The integration the trail names now. */
  readonly current: Integration;
  /** The earliest time that matters (`historyHorizon`); before the judged item's capture time or now. */
  readonly horizon: Date;
  readonly judged?: JudgedHistoryItem;
}

function parseConfiguration(
  item: ApiConfigurationItem,
  resource: string,
): Record<string, unknown> | undefined {
  // Absent, null or '' (a deleted or unrecorded resource): no configuration.
  if (!item.configuration) return undefined;
  let configuration: unknown;
  try {
    configuration = JSON.parse(item.configuration);
  } catch (error) {
    throw new UnexpectedResponseError(ACTION, `the configuration of ${resource} is not valid JSON.`, {
      cause: error,
    });
  }
  return typeof configuration === 'object' && configuration !== null && !Array.isArray(configuration)
    ? (configuration as Record<string, unknown>)
    : undefined;
}

function historyItem(item: ApiConfigurationItem, resource: string): HistoryItem {
  if (item.configurationItemCaptureTime === undefined) {
    throw new UnexpectedResponseError(ACTION, `a configuration item of ${resource} has no capture time.`);
  }
  const configuration = parseConfiguration(item, resource);
  return {
    capturedAt: item.configurationItemCaptureTime,
    status: item.configurationItemStatus ?? '',
    ...(configuration === undefined ? {} : { integration: integrationOfConfiguration(configuration) }),
  };
}

/** Pages of one query, newest first, until the history ends or the budget is spent (the caller may stop sooner). */
async function* pages(
  clients: RuleClients,
  input: GetResourceConfigHistoryCommandInput,
  budget: { calls: number },
): AsyncGenerator<{ items: ApiConfigurationItem[]; last: boolean }> {
  let nextToken: string | undefined;
  do {
    if (budget.calls >= HISTORY_CALL_BUDGET) return;
    budget.calls++;
    let output: { configurationItems?: ApiConfigurationItem[]; nextToken?: string };
    try {
      output = await clients.config.send(
        new GetResourceConfigHistoryCommand({ ...input, ...(nextToken ? { nextToken } : {}) }),
      );
    } catch (error) {
      throw translateAwsError(error, ACTION, `${input.resourceType} ${input.resourceId}`);
    }
    nextToken = output.nextToken || undefined;
    yield { items: output.configurationItems ?? [], last: nextToken === undefined };
  } while (nextToken !== undefined);
}

const isNotDiscovered = (error: unknown) =>
  error instanceof Error && error.name === 'ResourceNotDiscoveredException';

/**
 * Every item captured from the horizon to the judged item (or now), newest first, the judged item first; `complete`
 * is false when the budget stopped the read before the last page.
 */
async function readSpanItems(clients: RuleClients, question: HistoryQuestion, budget: { calls: number }) {
  const { resourceType, resourceId, horizon, judged } = question;
  const resource = `${resourceType} ${resourceId}`;
  const items: HistoryItem[] = judged === undefined ? [] : [judged.item];
  let complete = false;
  const input: GetResourceConfigHistoryCommandInput = {
    resourceType: resourceType as ResourceType,
    resourceId,
    earlierTime: horizon,
    ...(judged === undefined ? {} : { laterTime: judged.item.capturedAt }),
    limit: PAGE_LIMIT,
  };
  for await (const page of pages(clients, input, budget)) {
    for (const item of page.items.map((api) => historyItem(api, resource))) {
      // The judged item itself (laterTime may include it) and anything after it are not this item's history.
      if (judged === undefined || item.capturedAt < judged.item.capturedAt) items.push(item);
    }
    complete = page.last;
  }
  return { items, complete };
}

/** The item recorded before `oldest`: 'none' when the history starts with it, 'unknown' past the budget. */
async function readPredecessor(
  clients: RuleClients,
  question: HistoryQuestion,
  oldest: HistoryItem,
  budget: { calls: number },
): Promise<HistoryItem | 'none' | 'unknown'> {
  const resource = `${question.resourceType} ${question.resourceId}`;
  const input: GetResourceConfigHistoryCommandInput = {
    resourceType: question.resourceType as ResourceType,
    resourceId: question.resourceId,
    laterTime: oldest.capturedAt,
    // The oldest item itself may come first (laterTime may include it): two items reach past it.
    limit: 2,
  };
  for await (const page of pages(clients, input, budget)) {
    const older = page.items
      .map((api) => historyItem(api, resource))
      .find((item) => item.capturedAt < oldest.capturedAt);
    if (older !== undefined) return older;
    if (page.last) return 'none';
  }
  return 'unknown';
}

/**
 * Answers "since when has the current integration been in force?" for one trail from Config's history, reading
 * only from the horizon on (one call for up to seven days and 100 items), plus, when every item there has the
 * current integration and the oldest is not the resource's first, the item recorded before it. A resource
 * Config never discovered has no history: the integration counts as older than the horizon (no grace).
 */
export async function readIntegrationStart(
  clients: RuleClients,
  question: HistoryQuestion,
): Promise<IntegrationStart> {
  const { judged } = question;
  // A judged item that is the resource's first has no history of its own to read.
  if (judged?.item.status === 'ResourceDiscovered') return { kind: 'first', at: judged.item.capturedAt };
  const budget = { calls: 0 };
  let span: Awaited<ReturnType<typeof readSpanItems>>;
  try {
    span = await readSpanItems(clients, question, budget);
  } catch (error) {
    if (isNotDiscovered(error)) return { kind: 'before' };
    throw error;
  }
  const reading = readSpan(question.current, span.items, judged?.keptIntegration === true);
  if (!span.complete && (reading.kind === 'before' || reading.kind === 'predecessor-needed')) {
    // The unread, older part of the span could still hold the change: no verdict on a guess.
    throw new HistoryReadLimitError(
      `${question.resourceType} ${question.resourceId}`,
      HISTORY_CALL_BUDGET,
      question.horizon,
    );
  }
  if (reading.kind !== 'predecessor-needed') return reading;
  const predecessor = await readPredecessor(clients, question, reading.oldest, budget);
  return resolvePredecessor(question.current, reading.oldest, predecessor);
}

/**
 * The item an oversized notification is about, read back from the history: the one captured at the summary's
 * capture time (with its `configurationStateId`, when the summary gives one), not merely the newest, since Config
 * can send an older item's notification (after a rule is created) while newer ones exist. A two-second span
 * around the capture time takes one call whatever the history's length.
 */
export async function getConfigurationItemAt(
  clients: RuleClients,
  summary: {
    readonly resourceType: string;
    readonly resourceId: string;
    readonly configurationItemCaptureTime: string;
    readonly configurationStateId?: string;
  },
): Promise<ConfigurationItem> {
  const { resourceType, resourceId, configurationStateId } = summary;
  const capturedAt = new Date(summary.configurationItemCaptureTime);
  const input: GetResourceConfigHistoryCommandInput = {
    resourceType: resourceType as ResourceType,
    resourceId,
    earlierTime: new Date(capturedAt.getTime() - 1_000),
    laterTime: new Date(capturedAt.getTime() + 1_000),
    limit: PAGE_LIMIT,
  };
  const matches = (item: ApiConfigurationItem) =>
    configurationStateId === undefined
      ? item.configurationItemCaptureTime?.getTime() === capturedAt.getTime()
      : item.configurationStateId === configurationStateId;
  for await (const page of pages(clients, input, { calls: 0 })) {
    const item = page.items.find(matches);
    if (item === undefined) continue;
    try {
      return configurationItemFromApi(item);
    } catch (error) {
      throw malformedItemError(error, resourceType, resourceId);
    }
  }
  throw new ConfigurationItemNotFoundError(
    resourceType,
    resourceId,
    summary.configurationItemCaptureTime,
    configurationStateId,
  );
}

/**
 * A fetched configuration item that fails the event's checks is AWS's response at fault, not the event:
 * {@link InvalidEventError} becomes {@link UnexpectedResponseError} naming the item; anything else is returned
 * unchanged.
 */
export function malformedItemError(error: unknown, resourceType: string, resourceId: string): unknown {
  return error instanceof InvalidEventError
    ? new UnexpectedResponseError(
        ACTION,
        `the configuration item of ${resourceType} ${resourceId} is malformed: ${error.detail}`,
        { cause: error },
      )
    : error;
}
