/**
 * Pure delivery-health logic for the optional `expectedDeliveryWindowAge` check: is the trail's latest
 * CloudWatch Logs delivery recent enough, and is a trail that was just integrated still in its grace period?
 */

/**
 * How long after the integration changed a missing delivery is not held against the trail. CloudTrail usually
 * delivers within minutes; an hour also covers the first minutes after a new role is created, when IAM has not
 * propagated it yet and deliveries can fail.
 */
export const DELIVERY_GRACE_MINUTES = 60;

/** What GetTrailStatus says about CloudWatch Logs delivery. */
export interface DeliveryStatus {
  readonly latestDeliveryTime?: Date;
  readonly latestDeliveryError?: string;
}

/** The trail's latest recorded change, as far as Config tells. */
export interface TrailChange {
  /** Capture time of the trail's latest configuration item. */
  readonly at: Date;
  /**
   * Whether that change set or changed the CloudWatch Logs log group or role: true or false when Config's diff
   * (or its history) shows it, undefined when nothing shows what changed.
   */
  readonly integrationChanged?: boolean;
}

export interface DeliveryCheck {
  /** The rule parameter `expectedDeliveryWindowAge`, in hours. */
  readonly windowHours: number;
  readonly status: DeliveryStatus;
  /** Unknown (undefined) means no grace can be granted. */
  readonly change?: TrailChange;
}

export type DeliveryVerdict =
  | { readonly kind: 'fresh'; readonly lastDelivery: Date }
  | { readonly kind: 'grace'; readonly changedAt: Date }
  | { readonly kind: 'predates'; readonly lastDelivery: Date; readonly changedAt: Date }
  | { readonly kind: 'stale'; readonly lastDelivery: Date }
  | { readonly kind: 'never' };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The change is less than {@link DELIVERY_GRACE_MINUTES} old (or, with clock skew, in the future). */
function isWithinGrace(change: TrailChange, now: Date): boolean {
  return now.getTime() - change.at.getTime() < DELIVERY_GRACE_MINUTES * MINUTE_MS;
}

/**
 * Judges delivery freshness. Only a delivery at or after the latest known change of the integration (log group
 * or role) counts: one before it went to the integration as it was and proves nothing about the current one.
 * Fresh when the last delivery counts and is within the window; stale when it counts but is older; predates
 * when it went to the integration before the change; never when there is none. Grace is for a new integration
 * only, so that any other change (a tag edit) cannot hide broken delivery: the change is less than
 * {@link DELIVERY_GRACE_MINUTES} old, nothing was delivered since, and either the change is known to have
 * touched the integration or, when nothing shows what changed, CloudTrail has never delivered.
 */
export function judgeDelivery(check: DeliveryCheck, now: Date): DeliveryVerdict {
  const { latestDeliveryTime: last } = check.status;
  const { change } = check;
  if (last === undefined) {
    return change !== undefined && change.integrationChanged !== false && isWithinGrace(change, now)
      ? { kind: 'grace', changedAt: change.at }
      : { kind: 'never' };
  }
  if (change?.integrationChanged === true && last < change.at) {
    return isWithinGrace(change, now)
      ? { kind: 'grace', changedAt: change.at }
      : { kind: 'predates', lastDelivery: last, changedAt: change.at };
  }
  return now.getTime() - last.getTime() <= check.windowHours * HOUR_MS
    ? { kind: 'fresh', lastDelivery: last }
    : { kind: 'stale', lastDelivery: last };
}

/** Property keys of `configurationItemDiff.changedProperties` that are the CloudWatch Logs integration. */
export const INTEGRATION_PROPERTIES = [
  'Configuration.CloudWatchLogsLogGroupArn',
  'Configuration.CloudWatchLogsRoleArn',
] as const;

/**
 * Whether a configuration item's diff touches the integration: a newly created trail, or a changed log group
 * or role. Keys compare case-insensitively, as AWS documents the diff only by example.
 */
export function diffTouchesIntegration(diff: {
  readonly changeType?: string;
  readonly changedProperties: Readonly<Record<string, unknown>>;
}): boolean {
  if (diff.changeType === 'CREATE') return true;
  const wanted = INTEGRATION_PROPERTIES.map((key) => key.toLowerCase());
  return Object.keys(diff.changedProperties).some((key) => wanted.includes(key.toLowerCase()));
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** A duration in the coarsest unit that keeps it readable: "less than a minute", "42 minutes", "5 hours", "3 days". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / MINUTE_MS);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** "1 hour", "24 hours". */
export function formatHours(hours: number): string {
  return plural(hours, 'hour');
}
