import { parseLogGroupArn, remediationRoleArn } from '../arns.js';
import { logGroupNameFor, ROLE_POLICY_NAME, roleNameFor, tagsForTrail } from '../definition.js';
import { IntegrationBrokenError } from '../errors.js';
import type { RemediationRequest } from '../payload.js';
import { planRemediation } from './integrate.js';
import { logGroupSteps } from './log-group.js';
import type { AdoptedResource, PlanOptions, PlanStep, RemediationPlan } from './operations.js';
import {
  cloudTrailLogsPolicy,
  cloudTrailTrustPolicy,
  type PolicyDocument,
  samePolicy,
  trustsCloudTrail,
} from './policies.js';
import {
  assertBoundaryUsable,
  foreignRole,
  organizationIdForRole,
  roleDescription,
  roleSteps,
} from './role.js';
import {
  type DeliveryState,
  type IntegratedLogGroupState,
  type IntegratedTrailState,
  type IntegrationState,
  type RemediationState,
  ROLE_NOT_READ,
  type RoleState,
} from './state.js';
import { assertTrailIsLocal, isIntegrated } from './trail.js';

/**
 * The pure check of an integrated trail: before it is called compliant, the log group and role it names must
 * exist, the role must trust CloudTrail, and CloudTrail must report no delivery error. What the remediation
 * created (its log group name, its role under ROLE_PATH with its tag) is repaired in place; anything else that
 * is broken is named in an IntegrationBrokenError and left untouched. No SDK, no environment.
 */

const UNDER_THE_TRAIL = "or remove the trail's CloudWatch Logs settings so the remediation creates its own";

function deliveryProblem(delivery: DeliveryState, logGroup: IntegratedLogGroupState | undefined): string {
  const last = delivery.latestDeliveryTime?.toISOString() ?? 'never';
  const key = logGroup?.kmsKeyId;
  return (
    `CloudTrail reports the delivery error "${delivery.latestDeliveryError}" (last successful delivery: ${last}): ` +
    "check that the role's policies, permissions boundary and service control policies allow " +
    'logs:CreateLogStream and logs:PutLogEvents on the log group' +
    (key === undefined
      ? ''
      : `, and that KMS key ${key} is enabled and its key policy lets CloudWatch Logs of this region use it`) +
    '; the error clears with the next successful delivery, a few minutes after events'
  );
}

/**
 * Plans the repair of an integrated trail from what its settings name (`integration`). Returns null when the
 * integration is whole: both exist, the role trusts CloudTrail (the remediation's own role: its documented
 * trust and policy) and CloudTrail reports no delivery error. Otherwise returns a `repair` plan that recreates
 * the remediation's deleted log group (with the requested retention and key) or role, or rewrites its role,
 * then gives the trail the same two ARNs again so CloudTrail checks them; or throws IntegrationBrokenError,
 * before any write, naming each broken part the remediation does not own and what the operator can do.
 * A role under ROLE_PATH without the remediation's tag is rewritten only with `request.adoptExisting`.
 */
function planRepair(
  state: RemediationState & { readonly trail: IntegratedTrailState },
  integration: IntegrationState,
  request: RemediationRequest,
  options: PlanOptions = {},
): RemediationPlan | null {
  const { trail, caller } = state;
  const { partition } = assertTrailIsLocal(trail, caller);
  const { cloudWatchLogsLogGroupArn: groupArn, cloudWatchLogsRoleArn: roleArn } = trail;
  const boundary = options.permissionsBoundaryArn;
  if (boundary !== undefined) assertBoundaryUsable(boundary, caller);

  const group = parseLogGroupArn(groupArn);
  const groupIsHere = group?.account === caller.account && group.region === caller.region;
  const ownGroupName = logGroupNameFor(trail.name);
  const groupIsOwn = groupIsHere && group.name === ownGroupName;
  const ownRoleName = roleNameFor(trail.name, trail.homeRegion);
  const roleIsOwn = roleArn === remediationRoleArn(partition, caller.account, ownRoleName);
  const tags = tagsForTrail(trail.arn);
  const problems: string[] = [];
  const steps: PlanStep[] = [];
  const adopted: AdoptedResource[] = [];

  if (integration.logGroup === undefined) {
    if (groupIsOwn) {
      steps.push(
        ...logGroupSteps(
          state,
          undefined,
          request,
          ownGroupName,
          tags,
          'log group named by the trail was deleted; recreated',
        ),
      );
    } else if (groupIsHere) {
      problems.push(
        `log group ${group.name} does not exist: create it again (aws logs create-log-group --log-group-name ` +
          `${group.name}) ${UNDER_THE_TRAIL}`,
      );
    } else {
      problems.push(
        `${groupArn} names no log group of account ${caller.account} in ${caller.region}, where the trail lives: ` +
          `point the trail at a log group there ${UNDER_THE_TRAIL}`,
      );
    }
  }

  const { role } = integration;
  const policyGroupName = groupIsHere ? group.name : ownGroupName;
  // The documented policy of the remediation's own role: what its role is compared with and rewritten to.
  const policy = roleIsOwn
    ? cloudTrailLogsPolicy({
        partition,
        region: caller.region,
        account: caller.account,
        logGroupName: policyGroupName,
        organizationId: organizationIdForRole(state),
      })
    : undefined;
  if (role === undefined || (role !== ROLE_NOT_READ && !isRoleWhole(role, policy, boundary))) {
    if (
      policy !== undefined &&
      (role === undefined || role.createdByRemediation || request.adoptExisting === true)
    ) {
      const description = roleDescription(trail.name, policyGroupName);
      const created = 'role named by the trail was deleted; recreated';
      steps.push(...roleSteps(role, ownRoleName, policy, description, tags, boundary, created));
      if (role !== undefined && !role.createdByRemediation) adopted.push({ type: 'role', name: ownRoleName });
    } else if (policy !== undefined && role !== undefined) {
      problems.push(
        `${foreignRole(ownRoleName)}, and ${ownRoleDrift(role, policy, boundary).join(', ')}: correct it ` +
          `yourself, or run the remediation with AdoptExisting=true (CLI: --adopt-existing) to rewrite it`,
      );
    } else if (role === undefined) {
      problems.push(
        `role ${roleArn} does not exist: create it again with a trust policy for cloudtrail.amazonaws.com ` +
          UNDER_THE_TRAIL,
      );
    } else {
      problems.push(
        `role ${roleArn} does not let cloudtrail.amazonaws.com assume it (a trust statement with a Condition does ` +
          'not count: CloudTrail sends no aws:SourceArn or aws:SourceAccount): correct its trust policy',
      );
    }
  }

  if (problems.length > 0) {
    if (integration.delivery.latestDeliveryError !== undefined) {
      problems.push(deliveryProblem(integration.delivery, integration.logGroup));
    }
    throw new IntegrationBrokenError(trail.arn, problems);
  }
  if (!steps.some((step) => step.required)) {
    if (integration.delivery.latestDeliveryError !== undefined) {
      throw new IntegrationBrokenError(trail.arn, [
        deliveryProblem(integration.delivery, integration.logGroup),
      ]);
    }
    return null;
  }
  steps.push({
    operation: { type: 'UpdateTrail', trailArn: trail.arn, logGroupArn: groupArn, roleArn },
    // UpdateTrail needs iam:PassRole on the role, which the remediation has only for its own roles.
    required: roleIsOwn,
    detail: roleIsOwn
      ? 'trail given the same log group and role again, so CloudTrail checks them'
      : `not sent: role ${roleArn} is not the remediation's to pass; CloudTrail's next delivery uses the repaired log group`,
  });
  return {
    kind: 'repair',
    trailArn: trail.arn,
    logGroupName: group?.name ?? groupArn,
    logGroupArn: groupArn,
    roleName: roleArn.split('/').at(-1) ?? roleArn,
    roleArn,
    steps,
    roleCreatedAt: role === undefined || role === ROLE_NOT_READ ? undefined : role.createdAt,
    adopted,
    reused: [],
  };
}

/**
 * What makes the remediation's own role differ from what the remediation gives it: the documented trust policy,
 * exactly one inline policy (ROLE_POLICY_NAME, `ownPolicy`), no managed policy, and the deployment's permissions
 * boundary when one is configured. Empty: the role is as given. An extra policy could let CloudTrail's role do
 * more than write its log group, so it is drift like a changed trust.
 */
function ownRoleDrift(role: RoleState, ownPolicy: PolicyDocument, boundary: string | undefined): string[] {
  const drift: string[] = [];
  if (!samePolicy(role.trustPolicy, cloudTrailTrustPolicy()))
    drift.push('its trust policy is not the documented one');
  if (!samePolicy(role.remediationPolicy, ownPolicy)) drift.push('its policy is not the documented one');
  const extra = role.inlinePolicyNames.filter((name) => name !== ROLE_POLICY_NAME);
  if (extra.length > 0) drift.push(`it has other inline policies (${extra.join(', ')})`);
  if (role.attachedPolicyArns.length > 0) {
    drift.push(`it has managed policies attached (${role.attachedPolicyArns.join(', ')})`);
  }
  if (boundary !== undefined && role.permissionsBoundaryArn !== boundary) {
    drift.push(`its permissions boundary is ${role.permissionsBoundaryArn ?? 'none'}, not ${boundary}`);
  }
  return drift;
}

/**
 * The remediation's own role (`ownPolicy` given) is whole when nothing drifted (ownRoleDrift); another role when
 * it trusts CloudTrail (its permissions show in CloudTrail's delivery status).
 */
function isRoleWhole(
  role: RoleState,
  ownPolicy: PolicyDocument | undefined,
  boundary: string | undefined,
): boolean {
  if (ownPolicy === undefined) return trustsCloudTrail(role.trustPolicy);
  return ownRoleDrift(role, ownPolicy, boundary).length === 0;
}

/**
 * Plans one trail: a trail without integration with planRemediation, an integrated one with planRepair (when
 * its integration was read). Null when there is nothing to do.
 */
export function planTrail(
  state: RemediationState,
  request: RemediationRequest,
  options: PlanOptions = {},
): RemediationPlan | null {
  const { trail, integration } = state;
  if (integration !== undefined && isIntegrated(trail)) {
    return planRepair({ ...state, trail }, integration, request, options);
  }
  return planRemediation(state, request, options);
}
