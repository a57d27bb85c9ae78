import { accountOfArn } from '../common/aws-identifiers.js';
import type { ExemptionMatch } from '../common/exemptions.js';
import { TRAIL_RESOURCE_TYPE } from './definition.js';
import {
  DELIVERY_GRACE_MINUTES,
  type DeliveryCheck,
  formatAge,
  formatHours,
  judgeDelivery,
} from './delivery.js';
import { InvalidEventError } from './errors.js';
import { type ConfigurationItem, NOT_EVALUATED_STATUSES } from './event.js';

/**
 * The rule's judgement, pure: a trail and what we know around it in, a compliance type and the annotation
 * that tells an operator why out. No SDK, no environment, no clock (the time is passed in).
 */

/** The compliance types a custom rule may report (INSUFFICIENT_DATA is refused by PutEvaluations). */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

export interface Judgement {
  readonly complianceType: ComplianceType;
  /** Plain words, whole: PutEvaluations' 256-character cut happens only when it is sent (`truncateAnnotation`). */
  readonly annotation: string;
}

/** A trail as the rule sees it, read from a configuration item or from DescribeTrails. */
export interface Trail {
  /** Echoed back to Config unchanged; nothing documents its form for every kind of trail. */
  readonly resourceId: string;
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly isMultiRegionTrail: boolean;
  readonly isOrganizationTrail: boolean;
  readonly cloudWatchLogsLogGroupArn?: string;
  readonly cloudWatchLogsRoleArn?: string;
}

export interface EvaluationContext {
  /** The account being evaluated (the event's accountId). */
  readonly accountId: string;
  /** The region the rule runs in. */
  readonly region: string;
  readonly now: Date;
  /** Set when `expectedDeliveryWindowAge` is set and the trail is owned here and integrated. */
  readonly delivery?: DeliveryCheck;
  /** What the deployment's exemptions say about the trail, when it is owned here; absent: none applies. */
  readonly exemption?: ExemptionMatch;
}

/** PutEvaluations' limit on an annotation. */
export const MAX_ANNOTATION_LENGTH = 256;

/** Exact annotation texts, shared with the tests and docs/rule.md. */
export const ANNOTATION = {
  otherResourceType: (type: string) =>
    `This rule evaluates only ${TRAIL_RESOURCE_TYPE}; ${type} is not applicable.`,
  deleted: (status: string) => `The trail was deleted (${status}).`,
  notRecorded: (status: string) => `AWS Config does not record this trail (${status}).`,
  leftScope: 'The trail is no longer in the scope of this rule.',
  gone: 'The trail no longer exists in this account and region.',
  regionCopy: (name: string, homeRegion: string) =>
    `Copy of multi-region trail ${name}; it is evaluated in its home region ${homeRegion}.`,
  accountCopy: (name: string, account: string, homeRegion: string) =>
    `Copy of organization trail ${name} owned by account ${account}; it is evaluated in that account in ${homeRegion}.`,
  notConfigured:
    'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
  noRole: (logGroup: string) =>
    `Configured without a role: the trail names log group ${logGroup} but no role for CloudTrail to write to it.`,
  noLogGroup: (role: string) =>
    `Configured without a log group: the trail names role ${role} but no CloudWatch Logs log group.`,
  integrated: (logGroup: string) =>
    `Integrated: the trail sends events to CloudWatch Logs log group ${logGroup}.`,
  delivering: (logGroup: string, age: string, window: string) =>
    `Integrated and delivering: last delivery to log group ${logGroup} was ${age} ago (window ${window}).`,
  grace: (logGroup: string, age: string) =>
    `Integrated with log group ${logGroup}, changed ${age} ago: no delivery yet, within the ${DELIVERY_GRACE_MINUTES}-minute grace for a first delivery.`,
  stale: (logGroup: string, age: string, window: string) =>
    `Not delivering: last delivery to log group ${logGroup} was ${age} ago, beyond the ${window} window.`,
  predates: (logGroup: string, deliveryAge: string, changedAge: string) =>
    `Not delivering since the integration changed ${changedAge} ago: last delivery to log group ${logGroup} was ${deliveryAge} ago, before the change.`,
  never: (logGroup: string, window: string) =>
    `Not delivering: CloudTrail has never delivered to log group ${logGroup} (window ${window}).`,
  deliveryError: (error: string) => ` Delivery error: ${error}`,
  exempt: (date: string, reason: string, reference: string) =>
    `Exempt until ${date}: ${reason} (${reference})`,
  exemptionExpired: (date: string, reference: string, judgement: string) =>
    `Exemption expired on ${date} (${reference}). ${judgement}`,
} as const;

/** Keeps an annotation within PutEvaluations' 256 characters; the cut shows as "…". */
export function truncateAnnotation(text: string): string {
  return text.length <= MAX_ANNOTATION_LENGTH ? text : `${text.slice(0, MAX_ANNOTATION_LENGTH - 1)}…`;
}

function judgement(complianceType: ComplianceType, annotation: string): Judgement {
  return { complianceType, annotation };
}

export { accountOfArn };

/** A log group ARN (`arn:aws:logs:<region>:<account>:log-group:<name>:*`) shown as its name. */
export function logGroupNameOfArn(arn: string): string {
  const match = /:log-group:(.+?)(?::\*)?$/.exec(arn);
  return match?.[1] ?? arn;
}

/** True when this account and region own the trail: its home region is here and its ARN is in this account. */
export function isOwnedHere(trail: Trail, context: Pick<EvaluationContext, 'accountId' | 'region'>): boolean {
  return trail.homeRegion === context.region && accountOfArn(trail.arn) === context.accountId;
}

/** A trail with both halves of the CloudWatch Logs integration set. */
export type IntegratedTrail = Trail & {
  readonly cloudWatchLogsLogGroupArn: string;
  readonly cloudWatchLogsRoleArn: string;
};

/** True when both halves of the CloudWatch Logs integration are set. */
export function isIntegrated(trail: Trail): trail is IntegratedTrail {
  return Boolean(trail.cloudWatchLogsLogGroupArn) && Boolean(trail.cloudWatchLogsRoleArn);
}

function judgeDeliveryHealth(logGroup: string, delivery: DeliveryCheck, now: Date): Judgement {
  const verdict = judgeDelivery(delivery, now);
  const window = formatHours(delivery.windowHours);
  const error = delivery.status.latestDeliveryError
    ? ANNOTATION.deliveryError(delivery.status.latestDeliveryError)
    : '';
  const age = (since: Date) => formatAge(now.getTime() - since.getTime());
  switch (verdict.kind) {
    case 'fresh':
      // CloudTrail's delivery error shows here too: it is the first sign of a role that stopped working.
      return judgement(
        'COMPLIANT',
        ANNOTATION.delivering(logGroup, age(verdict.lastDelivery), window) + error,
      );
    case 'grace':
      return judgement('COMPLIANT', ANNOTATION.grace(logGroup, age(verdict.changedAt)) + error);
    case 'predates':
      return judgement(
        'NON_COMPLIANT',
        ANNOTATION.predates(logGroup, age(verdict.lastDelivery), age(verdict.changedAt)) + error,
      );
    case 'stale':
      return judgement(
        'NON_COMPLIANT',
        ANNOTATION.stale(logGroup, age(verdict.lastDelivery), window) + error,
      );
    case 'never':
      return judgement('NON_COMPLIANT', ANNOTATION.never(logGroup, window) + error);
  }
}

/** The verdict on an owned trail on its own merits: its integration and, when checked, its delivery. */
function judgeOwnedTrail(trail: Trail, context: EvaluationContext): Judgement {
  const { cloudWatchLogsLogGroupArn: logGroupArn, cloudWatchLogsRoleArn: roleArn } = trail;
  if (!logGroupArn && !roleArn) return judgement('NON_COMPLIANT', ANNOTATION.notConfigured);
  if (!roleArn)
    return judgement('NON_COMPLIANT', ANNOTATION.noRole(logGroupNameOfArn(logGroupArn as string)));
  if (!logGroupArn) return judgement('NON_COMPLIANT', ANNOTATION.noLogGroup(roleArn));
  const logGroup = logGroupNameOfArn(logGroupArn);
  if (context.delivery === undefined) return judgement('COMPLIANT', ANNOTATION.integrated(logGroup));
  return judgeDeliveryHealth(logGroup, context.delivery, context.now);
}

/**
 * Judges one trail. Copies this account and region do not own are NOT_APPLICABLE (their owner evaluates
 * them). An owned trail under an active exemption is NOT_APPLICABLE, excused rather than fixed, whatever its
 * state. Otherwise COMPLIANT only when both the log group and the role are set and, when a delivery check is
 * given, CloudTrail delivered within the window (or the trail is in its grace period); a NON_COMPLIANT trail
 * whose exemption has expired says so first.
 */
export function evaluateTrail(trail: Trail, context: EvaluationContext): Judgement {
  const owner = accountOfArn(trail.arn) ?? 'unknown';
  if (owner !== context.accountId) {
    return judgement('NOT_APPLICABLE', ANNOTATION.accountCopy(trail.name, owner, trail.homeRegion));
  }
  if (trail.homeRegion !== context.region) {
    return judgement('NOT_APPLICABLE', ANNOTATION.regionCopy(trail.name, trail.homeRegion));
  }
  const { exemption } = context;
  if (exemption?.kind === 'active') {
    const { expires, reason, reference } = exemption.exemption;
    return judgement('NOT_APPLICABLE', ANNOTATION.exempt(expires, reason, reference));
  }
  const verdict = judgeOwnedTrail(trail, context);
  if (exemption?.kind !== 'expired' || verdict.complianceType !== 'NON_COMPLIANT') return verdict;
  const { expires, reference } = exemption.exemption;
  return judgement('NON_COMPLIANT', ANNOTATION.exemptionExpired(expires, reference, verdict.annotation));
}

function configString(configuration: Readonly<Record<string, unknown>>, key: string, resourceId: string) {
  const value = configuration[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new InvalidEventError(
      `configuration.${key} of trail ${resourceId} must be a string, got ${typeof value}.`,
    );
  }
  return value;
}

function requiredConfigString(
  configuration: Readonly<Record<string, unknown>>,
  key: string,
  resourceId: string,
) {
  const value = configString(configuration, key, resourceId);
  if (value === undefined) {
    throw new InvalidEventError(`configuration.${key} of trail ${resourceId} is missing.`);
  }
  return value;
}

/** Reads the trail out of an `AWS::CloudTrail::Trail` configuration item with a configuration. */
export function trailFromConfigurationItem(item: ConfigurationItem): Trail {
  const { configuration, resourceId } = item;
  if (configuration === null) {
    throw new InvalidEventError(`configuration item of trail ${resourceId} has no configuration.`);
  }
  const arn = requiredConfigString(configuration, 'trailARN', resourceId);
  if (accountOfArn(arn) === undefined) {
    throw new InvalidEventError(
      `configuration.trailARN of trail ${resourceId} is not a trail ARN: "${arn}".`,
    );
  }
  const logGroup = configString(configuration, 'cloudWatchLogsLogGroupArn', resourceId);
  const role = configString(configuration, 'cloudWatchLogsRoleArn', resourceId);
  return {
    resourceId,
    name: configString(configuration, 'name', resourceId) ?? item.resourceName ?? resourceId,
    arn,
    homeRegion: requiredConfigString(configuration, 'homeRegion', resourceId),
    isMultiRegionTrail: configuration.isMultiRegionTrail === true,
    isOrganizationTrail: configuration.isOrganizationTrail === true,
    ...(logGroup === undefined ? {} : { cloudWatchLogsLogGroupArn: logGroup }),
    ...(role === undefined ? {} : { cloudWatchLogsRoleArn: role }),
  };
}

/** The verdict on a trail that vanished while it was being judged (GetTrailStatus no longer finds it). */
export const VANISHED: Judgement = judgement('NOT_APPLICABLE', ANNOTATION.gone);

/** Either the verdict is already clear from the item alone, or there is a trail to judge. */
export type ItemAssessment =
  | { readonly kind: 'judged'; readonly judgement: Judgement }
  | { readonly kind: 'trail'; readonly trail: Trail };

/**
 * The verdict that the resource type, the item status and the event's scope flag settle on their own, without
 * the configuration: other resource types, deleted or unrecorded items and items that left the rule's scope are
 * NOT_APPLICABLE. Undefined when the trail itself must be judged. An oversized notification's summary carries
 * all three, so it is answered without fetching the item when this settles it.
 */
export function settledJudgement(
  resourceType: string,
  status: string,
  eventLeftScope: boolean,
): Judgement | undefined {
  const notApplicable = (annotation: string) => judgement('NOT_APPLICABLE', annotation);
  if (resourceType !== TRAIL_RESOURCE_TYPE) return notApplicable(ANNOTATION.otherResourceType(resourceType));
  if (status === 'ResourceNotRecorded') return notApplicable(ANNOTATION.notRecorded(status));
  if ((NOT_EVALUATED_STATUSES as readonly string[]).includes(status))
    return notApplicable(ANNOTATION.deleted(status));
  if (eventLeftScope) return notApplicable(ANNOTATION.leftScope);
  return undefined;
}

/**
 * First look at a configuration item: a verdict {@link settledJudgement} settles, or a trail to judge with
 * {@link evaluateTrail}.
 */
export function assessConfigurationItem(item: ConfigurationItem, eventLeftScope: boolean): ItemAssessment {
  const settled = settledJudgement(item.resourceType, item.configurationItemStatus, eventLeftScope);
  return settled === undefined
    ? { kind: 'trail', trail: trailFromConfigurationItem(item) }
    : { kind: 'judged', judgement: settled };
}
