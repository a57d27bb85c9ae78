/**
 * Pure delivery-health logic for the optional `expectedDeliveryWindowAge` check: is the trail's latest
 * CloudWatch Logs delivery recent enough, and is a trail that was just integrated still in its grace period?
 */

/**
 * How long after a trail's latest recorded change a missing delivery is not held against it. CloudTrail
 * usually delivers within minutes; an hour also covers the first minutes after a new role is created, when
 * IAM has not propagated it yet and deliveries can fail.
 */
export const DELIVERY_GRACE_MINUTES = 60;

/** What GetTrailStatus says about CloudWatch Logs delivery. */
export interface DeliveryStatus {
  readonly latestDeliveryTime?: Date;
  readonly latestDeliveryError?: string;
}

export interface DeliveryCheck {
  /** The rule parameter `expectedDeliveryWindowAge`, in hours. */
  readonly windowHours: number;
  readonly status: DeliveryStatus;
  /**
   * Capture time of the trail's latest configuration item: the integration happened at or before it. Unknown
   * (undefined) means no grace can be granted.
   */
  readonly changedAt?: Date;
}

export type DeliveryVerdict =
  | { readonly kind: 'fresh'; readonly lastDelivery: Date }
  | { readonly kind: 'grace'; readonly changedAt: Date }
  | { readonly kind: 'stale'; readonly lastDelivery: Date }
  | { readonly kind: 'never' };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Judges delivery freshness. Fresh: delivered within the window. Otherwise the grace rule: when the trail
 * changed less than {@link DELIVERY_GRACE_MINUTES} ago and nothing was delivered since that change, the
 * missing delivery is not yet a failure (the change may be the integration itself).
 */
export function judgeDelivery(check: DeliveryCheck, now: Date): DeliveryVerdict {
  const { latestDeliveryTime } = check.status;
  if (
    latestDeliveryTime !== undefined &&
    now.getTime() - latestDeliveryTime.getTime() <= check.windowHours * HOUR_MS
  ) {
    return { kind: 'fresh', lastDelivery: latestDeliveryTime };
  }
  const { changedAt } = check;
  if (
    changedAt !== undefined &&
    now.getTime() - changedAt.getTime() < DELIVERY_GRACE_MINUTES * MINUTE_MS &&
    (latestDeliveryTime === undefined || latestDeliveryTime < changedAt)
  ) {
    return { kind: 'grace', changedAt };
  }
  return latestDeliveryTime === undefined
    ? { kind: 'never' }
    : { kind: 'stale', lastDelivery: latestDeliveryTime };
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
