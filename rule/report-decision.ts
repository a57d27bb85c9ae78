import { type Judgement, truncateAnnotation } from './evaluate.js';
import { type ReasonCode, reasonCode } from './reason-code.js';

/**
 * Whether a sweep must report a verdict Config may already hold. Config bills each recorded evaluation, and the
 * hourly sweep (the delivery check's trigger) would otherwise re-record every unchanged verdict 24 times a day.
 */

/**
 * The hourly sweep period, in hours: the delivery check's schedule (infra/context.ts
 * DELIVERY_CHECK_RULE_SCHEDULE, One_Hour). rule/ does not import infra/, so it is repeated here.
 */
const SWEEP_PERIOD_HOURS = 1;

/**
 * How long an unchanged stored verdict stands before a sweep records it again: 24 hours minus the sweep period,
 * so the sweep that finds it that old (at most a day after it was recorded) re-stamps it, as daily sweeps did.
 */
export const REFRESH_PERIOD_HOURS = 24 - SWEEP_PERIOD_HOURS;

const REFRESH_PERIOD_MS = REFRESH_PERIOD_HOURS * 3_600_000;

/**
 * Reasons whose verdict is provisional: a grace verdict is reported on every sweep, so that its re-judgement
 * shows in Config as soon as the grace is over.
 */
const PROVISIONAL_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['grace']);

/**
 * Reasons whose whole text is the verdict: an exemption renewed or changed (another date, reason or ticket) is
 * reported at once, so Config never shows a date that is no longer true. Their text holds no age that changes.
 */
const WHOLE_TEXT_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>(['exempt']);

/** What Config stores for a resource, as far as the decision needs it; each part absent when Config omits it. */
export interface StoredVerdict {
  readonly complianceType?: string;
  readonly annotation?: string;
  readonly recordedAt?: Date;
}

/**
 * True unless Config's stored result already says what `verdict` says: the same compliance type and the same
 * reason (the annotation's reason code, so a changing age in the text does not count; for an exemption, the same
 * text), recorded less than
 * {@link REFRESH_PERIOD_HOURS} before `now`, for a verdict that is not provisional. With no stored result, or a
 * part of it missing or not from the rule's annotation table, the verdict is reported.
 */
export function needsReport(verdict: Judgement, stored: StoredVerdict | undefined, now: Date): boolean {
  if (stored === undefined) return true;
  const { complianceType, annotation, recordedAt } = stored;
  // A stored result without a compliance type differs from every verdict below.
  if (annotation === undefined || recordedAt === undefined) return true;
  const reason = reasonCode(verdict.annotation);
  if (PROVISIONAL_REASONS.has(reason) || reason === 'unknown') return true;
  if (complianceType !== verdict.complianceType || reasonCode(annotation) !== reason) return true;
  if (WHOLE_TEXT_REASONS.has(reason) && annotation !== truncateAnnotation(verdict.annotation)) return true;
  return now.getTime() - recordedAt.getTime() >= REFRESH_PERIOD_MS;
}
