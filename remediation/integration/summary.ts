import { type ActionStatus, actionStatus } from '../actions.js';
import type { AdoptedResource, Operation, PlanStep, RemediationPlan } from './operations.js';
import type { TrailState } from './state.js';

/**
 * The integration's part of what the Lambda returns and the SSM step outputs, from a plan or for a trail that
 * needs none. remediation/remediate.ts adds the monitoring part. Pure.
 */

/** One line of the summary the SSM console shows. */
export interface SummaryAction {
  /** The AWS API operation, e.g. CreateLogGroup. */
  readonly action: Operation['type'];
  /** Log group name, role name (or role/policy), or trail ARN. */
  readonly resource: string;
  readonly status: ActionStatus;
  readonly detail: string;
}

export type RemediationOutcome = 'ALREADY_COMPLIANT' | 'REMEDIATED' | 'REPAIRED' | 'DRY_RUN';

/**
 * What the Lambda returns and the SSM step outputs, but the monitoring part: remediation/remediate.ts's
 * RemediationSummary adds it.
 */
export interface IntegrationSummary {
  readonly trail: string;
  readonly logGroupArn: string;
  readonly roleArn: string;
  readonly outcome: RemediationOutcome;
  readonly actions: readonly SummaryAction[];
  readonly dryRun: boolean;
  /** Present only when the operator let the remediation adopt something it did not create (AdoptExisting). */
  readonly adopted?: readonly AdoptedResource[];
  /** Present only when a log group carrying the remediation's tag was reused: where else its events go. */
  readonly reused?: readonly AdoptedResource[];
}

function resourceOf(operation: Operation): string {
  switch (operation.type) {
    case 'CreateLogGroup':
    case 'PutRetentionPolicy':
    case 'AssociateKmsKey':
      return operation.logGroupName;
    case 'CreateRole':
    case 'PutRolePermissionsBoundary':
    case 'UpdateAssumeRolePolicy':
      return operation.roleName;
    case 'PutRolePolicy':
    case 'DeleteRolePolicy':
      return `${operation.roleName}/${operation.policyName}`;
    case 'DetachRolePolicy':
      return `${operation.roleName}/${operation.policyArn}`;
    case 'UpdateTrail':
      return operation.trailArn;
  }
}

/** One step as a summary line: required steps `planned` (dry run) or `applied`, the others `skipped`. */
export function summarizeStep(step: PlanStep, dryRun: boolean): SummaryAction {
  return {
    action: step.operation.type,
    resource: resourceOf(step.operation),
    status: actionStatus(step.required, dryRun),
    detail: step.detail,
  };
}

/**
 * The summary of a plan: each step as {@link summarizeStep} describes it; outcome REMEDIATED for a trail newly
 * integrated, REPAIRED for an integration repaired in place.
 */
export function summarizePlan(plan: RemediationPlan, dryRun: boolean): IntegrationSummary {
  return {
    trail: plan.trailArn,
    logGroupArn: plan.logGroupArn,
    roleArn: plan.roleArn,
    outcome: dryRun ? 'DRY_RUN' : plan.kind === 'repair' ? 'REPAIRED' : 'REMEDIATED',
    actions: plan.steps.map((step) => summarizeStep(step, dryRun)),
    dryRun,
    ...(plan.adopted.length === 0 ? {} : { adopted: plan.adopted }),
    ...(plan.reused.length === 0 ? {} : { reused: plan.reused }),
  };
}

/** The summary of a trail that already sends to CloudWatch Logs: nothing done, its own ARNs reported. */
export function summarizeCompliant(trail: TrailState, dryRun: boolean): IntegrationSummary {
  return {
    trail: trail.arn,
    logGroupArn: trail.cloudWatchLogsLogGroupArn ?? '',
    roleArn: trail.cloudWatchLogsRoleArn ?? '',
    outcome: 'ALREADY_COMPLIANT',
    actions: [],
    dryRun,
  };
}
