import { RULE_NAME } from '../../rule/definition.js';
import { type ReasonCode, reasonCode } from '../../rule/reason-code.js';
import type { AggregateEvaluation } from '../report.js';
import type { ScannedTrail } from '../scan.js';

/**
 * One owned trail's compliance, the record both finding formats (asff.ts, ocsf.ts) are written from: what
 * `scan` judged, or what the rule recorded in an aggregator (`report`). Pure.
 */
export interface TrailEvaluation {
  /** The account that owns the trail. */
  readonly account: string;
  /** The trail's home region, where it is evaluated. */
  readonly region: string;
  readonly partition: string;
  readonly trailName: string;
  readonly trailArn: string;
  /** COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, or what an aggregator holds (INSUFFICIENT_DATA). */
  readonly compliance: string;
  /** The rule's annotation; undefined when the aggregator holds none. */
  readonly annotation: string | undefined;
  readonly reasonCode: ReasonCode | undefined;
  /** ISO 8601: when scan judged the trail, or when Config recorded the result. */
  readonly evaluatedAt: string;
  readonly logGroupArn?: string;
  readonly roleArn?: string;
}

/** The check the findings report: the project's rule, and the Security Hub control and CIS items it implements. */
export const CHECK = {
  generatorId: `cloudtrail-logs-guard/${RULE_NAME}`,
  title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
  securityControlId: 'CloudTrail.5',
  /** Security Hub's CloudTrail.5 lists these CIS AWS Foundations Benchmark items as its related requirements. */
  cisRequirements: ['CIS AWS Foundations Benchmark v1.2.0/2.4', 'CIS AWS Foundations Benchmark v1.4.0/3.4'],
  remediation:
    'Run cloudtrail-logs-guard fix TRAIL (or the Remediate action of the AWS Config rule) to create the log ' +
    'group and role and point the trail at them.',
} as const;

/**
 * Reasons given to a copy of a trail, not to the trail itself: the copy of a multi-region trail in another
 * region, or of an organization trail in a member account. The owner's evaluation is the finding.
 */
const COPY_REASONS: ReadonlySet<ReasonCode> = new Set(['regionCopy', 'accountCopy']);

/** The partition of an ARN (`arn:<partition>:...`), 'aws' when it is not one. */
function partitionOf(arn: string): string {
  return /^arn:([\w-]+):/.exec(arn)?.[1] ?? 'aws';
}

/** The partition of a region: AWS China and AWS GovCloud (US) regions have their own. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** True when the evaluation is the owner's: not a copy in another region or account. */
function owned(code: ReasonCode | undefined): boolean {
  return code === undefined || !COPY_REASONS.has(code);
}

/**
 * The trails `scan` judged that `account` owns, each once (copies of other accounts' organization trails and
 * their NOT_APPLICABLE verdicts are left to their owners).
 */
export function fromScan(
  trails: readonly ScannedTrail[],
  account: string,
  scannedAt: Date,
): TrailEvaluation[] {
  return trails
    .filter((trail) => trail.account === account && owned(trail.reasonCode))
    .map((trail) => ({
      account: trail.account,
      region: trail.homeRegion,
      partition: partitionOf(trail.arn),
      trailName: trail.name,
      trailArn: trail.arn,
      compliance: trail.verdict,
      annotation: trail.reason,
      reasonCode: trail.reasonCode,
      evaluatedAt: scannedAt.toISOString(),
      ...(trail.logGroupArn === null ? {} : { logGroupArn: trail.logGroupArn }),
      ...(trail.roleArn === null ? {} : { roleArn: trail.roleArn }),
    }));
}

/**
 * The aggregator's evaluations of owned trails (the rule's copies excluded). Config names a trail by its
 * resource id, the trail name in AWS's samples; an id that is already an ARN is kept as it is.
 */
export function fromAggregator(evaluations: readonly AggregateEvaluation[], readAt: Date): TrailEvaluation[] {
  return evaluations.flatMap((evaluation) => {
    const code = evaluation.annotation === undefined ? undefined : reasonCode(evaluation.annotation);
    if (!owned(code)) return [];
    const partition = partitionOfRegion(evaluation.region);
    const isArn = evaluation.resourceId.startsWith('arn:');
    return [
      {
        account: evaluation.accountId,
        region: evaluation.region,
        partition: isArn ? partitionOf(evaluation.resourceId) : partition,
        trailName: isArn
          ? (evaluation.resourceId.split('/').pop() ?? evaluation.resourceId)
          : evaluation.resourceId,
        trailArn: isArn
          ? evaluation.resourceId
          : `arn:${partition}:cloudtrail:${evaluation.region}:${evaluation.accountId}:trail/${evaluation.resourceId}`,
        compliance: evaluation.compliance,
        annotation: evaluation.annotation,
        reasonCode: code,
        evaluatedAt: evaluation.recordedAt ?? readAt.toISOString(),
      },
    ];
  });
}

/**
 * What a finding says of an evaluation: the rule's annotation when it has one (blank counts as none), and the text
 * to describe it with, which names the compliance when Config recorded no annotation.
 */
export function findingText(evaluation: TrailEvaluation): { annotation?: string; description: string } {
  const annotation = evaluation.annotation?.trim() === '' ? undefined : evaluation.annotation;
  return annotation === undefined
    ? { description: `AWS Config recorded ${evaluation.compliance} for this trail without an annotation.` }
    : { annotation, description: annotation };
}

/** The id a finding keeps across runs: the trail and the check, nothing that changes between them. */
export function findingId(evaluation: TrailEvaluation): string {
  return `${evaluation.trailArn}/${CHECK.generatorId}`;
}

/**
 * Reasons that mean the trail is no longer a subject of the check (deleted, gone, out of scope or not recorded):
 * its finding is closed rather than left open.
 */
const GONE_REASONS: ReadonlySet<ReasonCode> = new Set([
  'deleted',
  'gone',
  'leftScope',
  'notRecorded',
  'otherResourceType',
]);

/** True when the finding of this evaluation should be closed: the trail left the check. */
export function isGone(evaluation: TrailEvaluation): boolean {
  return evaluation.reasonCode !== undefined && GONE_REASONS.has(evaluation.reasonCode);
}
