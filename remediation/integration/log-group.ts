import { CREATED_BY_TAGS } from '../../common/project.js';
import { parseKmsKeyArn } from '../arns.js';
import { RemediationConflictError } from '../errors.js';
import type { RemediationRequest } from '../payload.js';
import type { PlanStep } from './operations.js';
import type { LogGroupState, RemediationState, SubscriptionFilterState } from './state.js';

/**
 * The pure plan for the trail's log group, and what makes a log group ours. A log group is ours when it carries
 * CREATED_BY_TAGS (common/project.ts; log-group-api.ts reads its tags into `createdByRemediation`): ours is
 * reused, gets its retention on a re-run and may have its key replaced. One under our name that is not ours is
 * used only when the operator adopts it (AdoptExisting, see integrate.ts), and its "never expire" and its key
 * are kept. An integrated trail's log group is ours when it has our name in the trail's account and region
 * (repair.ts). No SDK, no environment.
 */

/** CREATED_BY_TAGS as `key=value`, for messages. */
export const CREATED_BY_TAG_TEXT = Object.entries(CREATED_BY_TAGS)
  .map(([key, value]) => `${key}=${value}`)
  .join(', ');

/** `a -> arn, b -> arn` or `none`. */
export function describeSubscriptionFilters(filters: readonly SubscriptionFilterState[]): string {
  return filters.length === 0
    ? 'none'
    : filters.map((filter) => `${filter.name} -> ${filter.destinationArn}`).join(', ');
}

/** What an operator must know of a log group before its trail sends there: its filters and its key. */
export function describeLogGroupReach(logGroup: LogGroupState): string {
  return `subscription filters: ${describeSubscriptionFilters(logGroup.subscriptionFilters)}; KMS key: ${logGroup.kmsKeyId ?? 'none'}`;
}

/** A log group the remediation did not create, as a refusal names it. */
export function foreignLogGroup(name: string, logGroup: LogGroupState): string {
  return `log group ${name} exists but was not created by this remediation (${describeLogGroupReach(logGroup)})`;
}

/**
 * The log group steps for `logGroup` (undefined: create it). `createdDetail` says why it is created; a group
 * that exists but was not created by the remediation is reused only when adopted (see adoptions in integrate.ts).
 */
export function logGroupSteps(
  state: Pick<RemediationState, 'caller'>,
  logGroup: LogGroupState | undefined,
  request: RemediationRequest,
  name: string,
  tags: Record<string, string>,
  createdDetail = 'log group does not exist',
): PlanStep[] {
  const wanted = request.retentionInDays;
  const steps: PlanStep[] = [
    {
      operation: { type: 'CreateLogGroup', logGroupName: name, tags },
      required: logGroup === undefined,
      detail:
        logGroup === undefined
          ? createdDetail
          : logGroup.createdByRemediation
            ? 'log group exists; reused'
            : `log group exists, not created by this remediation; adopted as requested (${describeLogGroupReach(logGroup)})`,
    },
  ];
  const retention = { type: 'PutRetentionPolicy', logGroupName: name, retentionInDays: wanted } as const;
  if (logGroup === undefined) {
    steps.push({ operation: retention, required: true, detail: `retention set to ${wanted} days` });
  } else if (logGroup.retentionInDays === undefined && logGroup.createdByRemediation) {
    steps.push({ operation: retention, required: true, detail: `retention set to ${wanted} days` });
  } else if (logGroup.retentionInDays === undefined) {
    steps.push({ operation: retention, required: false, detail: 'log group never expires events; kept' });
  } else if (logGroup.retentionInDays < wanted) {
    steps.push({
      operation: retention,
      required: true,
      detail: `retention raised from ${logGroup.retentionInDays} to ${wanted} days`,
    });
  } else {
    steps.push({
      operation: retention,
      required: false,
      detail: `retention of ${logGroup.retentionInDays} days is not shorter than ${wanted}; kept`,
    });
  }
  if (request.kmsKeyArn !== undefined) {
    const keyRegion = parseKmsKeyArn(request.kmsKeyArn)?.region;
    if (keyRegion !== state.caller.region) {
      throw new RemediationConflictError(
        `KMS key ${request.kmsKeyArn} is in region ${keyRegion ?? 'unknown'}, but log group ${name} is in ` +
          `${state.caller.region}: CloudWatch Logs needs a key of the same region. Pass a key from ${state.caller.region}.`,
      );
    }
    const current = logGroup?.kmsKeyId;
    // The key often comes from the stack-wide kmsKeyArn context, not from a decision about this group: an
    // operator's key is never replaced behind their back.
    if (current !== undefined && current !== request.kmsKeyArn && logGroup?.createdByRemediation !== true) {
      throw new RemediationConflictError(
        `Log group ${name} is encrypted with KMS key ${current}, not ${request.kmsKeyArn}, and was not created ` +
          `by this remediation (no tag ${CREATED_BY_TAG_TEXT}): its key is not replaced and nothing was changed. ` +
          `To keep that key, run the remediation with KmsKeyArn set to it or empty; to use the other key, ` +
          'associate it yourself (aws logs associate-kms-key).',
      );
    }
    steps.push({
      operation: { type: 'AssociateKmsKey', logGroupName: name, kmsKeyArn: request.kmsKeyArn },
      required: current !== request.kmsKeyArn,
      detail:
        current === request.kmsKeyArn
          ? 'key already associated'
          : current === undefined
            ? 'key associated'
            : `key ${current} replaced as requested`,
    });
  }
  return steps;
}
