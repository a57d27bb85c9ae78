import { DELIVERY_GRACE_MINUTES, type TrailChange } from './delivery.js';

/**
 * Pure reading of a trail's Config history for one question: since when has the CloudWatch Logs integration the
 * trail names now (log group and role) been in force, and is that after the last delivery? The AWS calls that
 * fetch the items are in history-api.ts; this module only walks what they return.
 */

/** The two halves of the integration, as a trail or a recorded configuration names them. */
export interface Integration {
  readonly logGroupArn: string | undefined;
  readonly roleArn: string | undefined;
}

/** A recorded configuration item reduced to what the walk reads. */
export interface HistoryItem {
  readonly capturedAt: Date;
  /** `configurationItemStatus`: `ResourceDiscovered` marks the first item of a resource. */
  readonly status: string;
  /** Undefined when the item has no configuration (deleted, not recorded): never the current integration. */
  readonly integration?: Integration;
}

/** A recorded configuration's integration: a null or empty ARN is absent. */
export function integrationOfConfiguration(configuration: Readonly<Record<string, unknown>>): Integration {
  const present = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    logGroupArn: present(configuration.cloudWatchLogsLogGroupArn),
    roleArn: present(configuration.cloudWatchLogsRoleArn),
  };
}

/**
 * Since when the current integration has been in force, as far as the history read shows:
 * - `before`: since before the horizon (nothing after it changed the integration);
 * - `changed`: an item captured at `at`, after the horizon, changed the integration to the current one;
 * - `first`: the resource's first recorded item (at `at`, after the horizon) already had it;
 * - `unrecorded`: the newest recorded item (captured at `after`) names another integration, so the current one
 *   was set after it and Config has not recorded it yet.
 */
export type IntegrationStart =
  | { readonly kind: 'before' }
  | { readonly kind: 'changed'; readonly at: Date }
  | { readonly kind: 'first'; readonly at: Date }
  | { readonly kind: 'unrecorded'; readonly after: Date };

/** A span read that needs one more fact: the integration of the item recorded before `oldest`. */
export type SpanReading =
  | IntegrationStart
  | { readonly kind: 'predecessor-needed'; readonly oldest: HistoryItem };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The earliest time whose history can change the verdict. With a delivery at `lastDelivery`, only a change
 * after it can make the delivery not count, and only a change within the window can turn a stale verdict into
 * a grace one: a change between an older delivery and the window's start would only turn "stale" into "before
 * the change", both NON_COMPLIANT. With no delivery, only a change within the grace can give grace.
 */
export function historyHorizon(lastDelivery: Date | undefined, now: Date, windowHours: number): Date {
  if (lastDelivery === undefined) return new Date(now.getTime() - DELIVERY_GRACE_MINUTES * MINUTE_MS);
  return new Date(Math.max(lastDelivery.getTime(), now.getTime() - windowHours * HOUR_MS));
}

function sameIntegration(item: HistoryItem, current: Integration): boolean {
  return (
    item.integration !== undefined &&
    item.integration.logGroupArn === current.logGroupArn &&
    item.integration.roleArn === current.roleArn
  );
}

/**
 * Walks every item captured between the horizon and the judged moment, newest first. The newest item that
 * names another integration ends the current one's run: the item just newer than it is the change. When every
 * item has the current integration, the run's oldest item is the resource's first (`ResourceDiscovered`), or
 * its predecessor (recorded before the horizon) decides; `newestKeptIntegration` (Config's diff of the newest
 * item showed no integration change) answers that for a run of one item without another read.
 */
export function readSpan(
  current: Integration,
  newestFirst: readonly HistoryItem[],
  newestKeptIntegration: boolean,
): SpanReading {
  const [newest] = newestFirst;
  if (newest === undefined) return { kind: 'before' };
  if (!sameIntegration(newest, current)) return { kind: 'unrecorded', after: newest.capturedAt };
  for (let index = 1; index < newestFirst.length; index++) {
    if (!sameIntegration(newestFirst[index] as HistoryItem, current)) {
      return { kind: 'changed', at: (newestFirst[index - 1] as HistoryItem).capturedAt };
    }
  }
  const oldest = newestFirst[newestFirst.length - 1] as HistoryItem;
  if (oldest.status === 'ResourceDiscovered') return { kind: 'first', at: oldest.capturedAt };
  if (newestFirst.length === 1 && newestKeptIntegration) return { kind: 'before' };
  return { kind: 'predecessor-needed', oldest };
}

/**
 * What the item recorded before the run's oldest item says: none (the history starts with the run), the current
 * integration (in force since before the horizon), another one (the oldest item changed it), or unknown because
 * the read stopped at its call budget, which is taken as a change: the strict side, where a delivery made
 * before that item does not count.
 */
export function resolvePredecessor(
  current: Integration,
  oldest: HistoryItem,
  predecessor: HistoryItem | 'none' | 'unknown',
): IntegrationStart {
  if (predecessor === 'none') return { kind: 'first', at: oldest.capturedAt };
  if (predecessor !== 'unknown' && sameIntegration(predecessor, current)) return { kind: 'before' };
  return { kind: 'changed', at: oldest.capturedAt };
}

/**
 * The change the delivery judge weighs. `before` says the integration is older than every delivery that can
 * count; `first` is a start whose cause nothing shows (a delivery before it counts, and grace needs a trail that
 * never delivered); `unrecorded` is taken as a change at the newest recorded item, the earliest moment it can
 * have happened, so a delivery before it never counts.
 */
export function trailChangeOf(start: IntegrationStart, horizon: Date): TrailChange {
  switch (start.kind) {
    case 'before':
      return { at: horizon, integrationChanged: false };
    case 'changed':
      return { at: start.at, integrationChanged: true };
    case 'first':
      return { at: start.at };
    case 'unrecorded':
      return { at: start.after, integrationChanged: true };
  }
}

/**
 * A log group or role created after the last delivery is not the one that delivery reached: it was deleted and
 * created again under the same name, which leaves the trail's ARNs (and so Config's history) unchanged. Its
 * creation then counts as a change of the integration, unless a later change is already known.
 */
export function withRecreation(
  change: TrailChange,
  lastDelivery: Date,
  createdAt: readonly Date[],
): TrailChange {
  const recreated = createdAt.filter((at) => at > lastDelivery).map((at) => at.getTime());
  if (recreated.length === 0) return change;
  const latest = Math.max(...recreated);
  // A change known to be later than the creation stays the one the verdict names.
  const at = change.integrationChanged === true ? Math.max(latest, change.at.getTime()) : latest;
  return { at: new Date(at), integrationChanged: true };
}
