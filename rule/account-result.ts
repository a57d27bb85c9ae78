import { leadOf } from './annotation-lead.js';
import {
  type ComplianceType,
  type Judgement,
  MAX_ANNOTATION_LENGTH,
  truncateAnnotation,
} from './evaluate.js';
import type { StoredVerdict } from './report-decision.js';

/**
 * The sweep's account-level result, pure: one verdict for the account and region swept, so that Config holds a
 * result of the rule wherever it runs, also where every trail is a copy judged elsewhere (a member account that
 * sees only the organization trail, a region that sees only other regions' multi-region trails). Without it such
 * an account-region holds no result at all, which Config's compliance summaries cannot tell apart from a rule that
 * is not deployed. No SDK, no environment, no clock (the time is passed in).
 */

/** A trail this account owns with its home region here, as the sweep judged it. */
export interface OwnedVerdict {
  readonly name: string;
  readonly complianceType: ComplianceType;
}

/** What a sweep learned about the trails of its account and region. */
export interface SweepTally {
  /** Every owned trail the sweep judged, in the order DescribeTrails listed them. */
  readonly owned: readonly OwnedVerdict[];
  /**
   * Trails the sweep could not judge. Owned or not is unknown for some (a DescribeTrails entry without an ARN), so
   * every one counts: the result never says COMPLIANT over a trail nobody judged.
   */
  readonly notJudged: number;
}

/** NON_COMPLIANT trails named in the annotation, at most; the count covers the rest. */
export const NAMED_TRAILS = 3;

/** Exact annotation texts, shared with the tests and docs/rule.md. */
export const ACCOUNT_ANNOTATION = {
  judged: (trails: string) =>
    `Every trail this account owns with its home region here was judged (${trails}); none is NON_COMPLIANT.`,
  noOwnedTrail:
    'No trail this account owns has its home region here; trails logging here from elsewhere, such as an ' +
    'organization trail, are judged by their owner in their home region.',
  notJudged: (trails: string) =>
    `Not judged: ${trails} listed here could not be judged, so this account and region is not COMPLIANT; the ` +
    "rule's failed evaluation names each and why.",
  nonCompliant: (count: string, of: string, named: string) =>
    `NON_COMPLIANT trails of this account with their home region here: ${count} of ${of}${named}.`,
} as const;

const trailCount = (count: number) => `${count} trail${count === 1 ? '' : 's'}`;

const NOT_JUDGED_LEAD = leadOf(ACCOUNT_ANNOTATION.notJudged);

/**
 * Whether an account-level annotation says some trail could not be judged: its text leads with the words
 * {@link accountJudgement} puts first then (PutEvaluations' 256-character cut keeps the start). Pure.
 */
export function saysTrailsNotJudged(annotation: string): boolean {
  return annotation.startsWith(NOT_JUDGED_LEAD);
}

/**
 * The NON_COMPLIANT part after `before`: as many of the first {@link NAMED_TRAILS} names as fit in PutEvaluations'
 * 256 characters (a trail name can be 128), the rest counted, none when even one does not fit.
 */
function nonCompliantPart(before: string, names: readonly string[], owned: number): string {
  const text = (shown: number) => {
    const more = names.length - shown;
    const named =
      shown === 0 ? '' : ` (${names.slice(0, shown).join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
    return before + ACCOUNT_ANNOTATION.nonCompliant(String(names.length), String(owned), named);
  };
  for (let shown = Math.min(NAMED_TRAILS, names.length); shown > 0; shown--) {
    const candidate = text(shown);
    if (candidate.length <= MAX_ANNOTATION_LENGTH) return candidate;
  }
  return text(0);
}

/**
 * The account-level verdict of a sweep: COMPLIANT when every trail this account owns with its home region here
 * was judged and none is NON_COMPLIANT (none owned is COMPLIANT too: nothing here is this account's to fix);
 * NON_COMPLIANT when one is NON_COMPLIANT, or when any trail could not be judged (fail closed). The annotation
 * counts the trails and names up to {@link NAMED_TRAILS} NON_COMPLIANT ones.
 */
export function accountJudgement({ owned, notJudged }: SweepTally): Judgement {
  const nonCompliant = owned.filter((trail) => trail.complianceType === 'NON_COMPLIANT');
  if (notJudged === 0 && nonCompliant.length === 0) {
    return {
      complianceType: 'COMPLIANT',
      annotation:
        owned.length === 0
          ? ACCOUNT_ANNOTATION.noOwnedTrail
          : ACCOUNT_ANNOTATION.judged(trailCount(owned.length)),
    };
  }
  const unjudged = notJudged > 0 ? ACCOUNT_ANNOTATION.notJudged(trailCount(notJudged)) : '';
  return {
    complianceType: 'NON_COMPLIANT',
    annotation:
      nonCompliant.length === 0
        ? unjudged
        : nonCompliantPart(
            unjudged === '' ? '' : `${unjudged} `,
            nonCompliant.map((trail) => trail.name),
            owned.length,
          ),
  };
}

/**
 * How long an unchanged account-level result stands before a sweep records it again: 30 days less the hourly
 * sweep period. Its text holds no age, so a re-stamp says nothing new, and every account reports one in each of
 * its regions: re-stamped daily like a trail's verdict, it would be most of the rule's Config bill
 * (docs/performance.md). A month keeps its `ResultRecordedTime` a sign that the rule still runs there.
 */
export const ACCOUNT_REFRESH_PERIOD_HOURS = 30 * 24 - 1;

const ACCOUNT_REFRESH_PERIOD_MS = ACCOUNT_REFRESH_PERIOD_HOURS * 3_600_000;

/**
 * True unless Config's stored account-level result says exactly what `verdict` says (compliance type and the whole
 * annotation, whose counts and names are the verdict) and was recorded less than
 * {@link ACCOUNT_REFRESH_PERIOD_HOURS} before `now`. With no stored result, or a part of it missing, it is reported.
 */
export function accountNeedsReport(
  verdict: Judgement,
  stored: StoredVerdict | undefined,
  now: Date,
): boolean {
  if (stored?.recordedAt === undefined) return true;
  if (stored.complianceType !== verdict.complianceType) return true;
  if (stored.annotation !== truncateAnnotation(verdict.annotation)) return true;
  return now.getTime() - stored.recordedAt.getTime() >= ACCOUNT_REFRESH_PERIOD_MS;
}
