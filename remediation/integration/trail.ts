import type { CallerContext } from '../actions.js';
import { parseTrailArn, type TrailArn } from '../arns.js';
import { RemediationConflictError, TrailNotInHomeRegionError, TrailOfOtherAccountError } from '../errors.js';
import type { Operation, RemediationPlan } from './operations.js';
import type { IntegratedTrailState, TrailState } from './state.js';

/**
 * The pure judgements about the trail itself: may this account change it here, does it already send to
 * CloudWatch Logs, and may UpdateTrail's refusal of the role still be IAM propagation. No SDK, no environment.
 */

/**
 * Refuses to work on a copy of a trail: a trail owned by another account (an organization trail seen from a
 * member account), or a multi-region trail seen outside its home region. Only the owner, in the home region,
 * may change it. Returns the parsed trail ARN.
 */
export function assertTrailIsLocal(trail: TrailState, caller: CallerContext): TrailArn {
  // The account first (as the rule's evaluate does): another account's trail seen outside its home region
  // cannot be fixed from this account in any region, so "run in <home region>" would send the operator astray.
  const arn = parseTrailArn(trail.arn);
  if (arn?.account !== caller.account) {
    throw new TrailOfOtherAccountError(trail.arn, arn?.account ?? 'unknown', caller.account);
  }
  if (trail.homeRegion !== caller.region) {
    throw new TrailNotInHomeRegionError(trail.arn, trail.homeRegion, caller.region);
  }
  return arn;
}

/**
 * True when the trail already sends to CloudWatch Logs. Both ARNs are set together by UpdateTrail; a trail
 * with only one of them is not something this remediation may guess about.
 */
export function isIntegrated(trail: TrailState): trail is IntegratedTrailState {
  const hasLogGroup = trail.cloudWatchLogsLogGroupArn !== undefined && trail.cloudWatchLogsLogGroupArn !== '';
  const hasRole = trail.cloudWatchLogsRoleArn !== undefined && trail.cloudWatchLogsRoleArn !== '';
  if (hasLogGroup !== hasRole) {
    const half = hasLogGroup
      ? `log group ${trail.cloudWatchLogsLogGroupArn} but no role`
      : `role ${trail.cloudWatchLogsRoleArn} but no log group`;
    throw new RemediationConflictError(
      `Trail ${trail.arn} has ${half}. The remediation never repoints an existing integration: fix the trail ` +
        'by hand in the CloudTrail console.',
    );
  }
  return hasLogGroup;
}

/** Plan operations after which IAM may still be propagating what CloudTrail needs to use the role. */
const ROLE_GRANTING_OPERATIONS: ReadonlySet<Operation['type']> = new Set([
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'PutRolePolicy',
  'PutRolePermissionsBoundary',
]);

/**
 * True when UpdateTrail's InvalidCloudWatchLogsRoleArnException may be IAM propagation and is worth retrying:
 * this plan creates the role or writes its trust policy, inline policy or boundary, or the role is younger than
 * `windowMs` at `nowMs` (an earlier run created it and failed; a creation time ahead of the clock counts as
 * young). An unknown creation time counts as old. Otherwise the role has been as it is for a while and retrying
 * cannot help.
 */
export function mayAwaitRolePropagation(plan: RemediationPlan, nowMs: number, windowMs: number): boolean {
  const changed = plan.steps.some(
    ({ operation, required }) => required && ROLE_GRANTING_OPERATIONS.has(operation.type),
  );
  if (changed) return true;
  return plan.roleCreatedAt !== undefined && nowMs - plan.roleCreatedAt.getTime() < windowMs;
}
