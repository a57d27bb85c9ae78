import { remediationRoleArn, trailLogGroupArn } from '../arns.js';
import { logGroupNameFor, ROLE_PATH, roleNameFor, tagsForTrail } from '../definition.js';
import { AdoptionRefusedError } from '../errors.js';
import type { RemediationRequest } from '../payload.js';
import { CREATED_BY_TAG_TEXT, foreignLogGroup, logGroupSteps } from './log-group.js';
import type { AdoptedResource, PlanOptions, RemediationPlan } from './operations.js';
import { cloudTrailLogsPolicy } from './policies.js';
import {
  assertBoundaryUsable,
  foreignRole,
  organizationIdForRole,
  roleDescription,
  roleSteps,
} from './role.js';
import type { LogGroupState, RemediationState, RoleState } from './state.js';
import { assertTrailIsLocal, isIntegrated } from './trail.js';

/**
 * The pure plan that integrates a trail without CloudWatch Logs settings: its log group (log-group.ts), its role
 * (role.ts), then UpdateTrail pointing the trail at both. An integrated trail is planned by repair.ts. No SDK,
 * no environment.
 */

/**
 * The existing log group and role (under the remediation's names) it did not create: refused with
 * AdoptionRefusedError unless `request.adoptExisting`, else returned for the summary. A role outside ROLE_PATH
 * is left to roleSteps, which refuses it whatever the opt-in.
 */
export function adoptions(
  state: Pick<RemediationState, 'trail' | 'logGroup' | 'role'>,
  logGroupName: string,
  roleName: string,
  request: RemediationRequest,
): AdoptedResource[] {
  const { logGroup, role } = state;
  const adopted: AdoptedResource[] = [];
  const refusals: string[] = [];
  if (logGroup !== undefined && !logGroup.createdByRemediation) {
    refusals.push(foreignLogGroup(logGroupName, logGroup));
    adopted.push({
      type: 'log-group',
      name: logGroupName,
      subscriptionFilters: logGroup.subscriptionFilters,
      ...(logGroup.kmsKeyId === undefined ? {} : { kmsKeyId: logGroup.kmsKeyId }),
    });
  }
  if (role !== undefined && role.path === ROLE_PATH && !role.createdByRemediation) {
    refusals.push(foreignRole(roleName));
    adopted.push({ type: 'role', name: roleName });
  }
  if (refusals.length > 0 && request.adoptExisting !== true) {
    throw new AdoptionRefusedError(state.trail.arn, refusals, CREATED_BY_TAG_TEXT);
  }
  return adopted;
}

/** A log group reused for carrying the remediation's tag, as the summary lists it (see RemediationPlan.reused). */
function reusedLogGroup(name: string, logGroup: LogGroupState | undefined): AdoptedResource[] {
  if (logGroup?.createdByRemediation !== true) return [];
  return [
    {
      type: 'log-group',
      name,
      subscriptionFilters: logGroup.subscriptionFilters,
      ...(logGroup.kmsKeyId === undefined ? {} : { kmsKeyId: logGroup.kmsKeyId }),
    },
  ];
}

/**
 * After CreateLogGroup or CreateRole answered "already exists" (someone created the resource between the read and
 * the create), judges the resource as read again, exactly as the first read would have: it is used only when it
 * carries the remediation's tag or the operator adopts it (`request.adoptExisting`); otherwise throws
 * AdoptionRefusedError, the refusal a log group or role prepared in advance gets, before anything points at it.
 * `found` undefined (deleted again since): nothing to judge, the next plan creates it.
 */
export function assertCreatedMeanwhileUsable(
  trailArn: string,
  created: { readonly resourceType: 'log-group' | 'role'; readonly resourceName: string },
  found: LogGroupState | RoleState | undefined,
  request: RemediationRequest,
): void {
  if (found === undefined || found.createdByRemediation || request.adoptExisting === true) return;
  const refusal =
    created.resourceType === 'log-group' && 'subscriptionFilters' in found
      ? foreignLogGroup(created.resourceName, found)
      : foreignRole(created.resourceName);
  throw new AdoptionRefusedError(
    trailArn,
    [`${refusal}; it was created while this run was under way`],
    CREATED_BY_TAG_TEXT,
  );
}

/**
 * Plans the remediation of one trail. Returns null when the trail already sends to CloudWatch Logs (it is
 * never repointed). Throws for a trail copy, an organization trail without its organization id, a log group or
 * role under the remediation's names that it did not create (unless `request.adoptExisting`), a role of the
 * same name outside ROLE_PATH, a KMS key from another region or one that would replace the key of a log group
 * this remediation did not create, or a permissions boundary of another account.
 * With `options.permissionsBoundaryArn`, a new role is created with that boundary and an existing role whose
 * boundary differs gets it (PutRolePermissionsBoundary) before anything else is written to it.
 */
export function planRemediation(
  state: RemediationState,
  request: RemediationRequest,
  options: PlanOptions = {},
): RemediationPlan | null {
  const { trail, caller } = state;
  const { partition } = assertTrailIsLocal(trail, caller);
  if (isIntegrated(trail)) return null;
  const boundary = options.permissionsBoundaryArn;
  if (boundary !== undefined) assertBoundaryUsable(boundary, caller);
  const organizationId = organizationIdForRole(state);
  const logGroupName = logGroupNameFor(trail.name);
  const roleName = roleNameFor(trail.name, trail.homeRegion);
  const adopted = adoptions(state, logGroupName, roleName, request);
  const logGroupArn = trailLogGroupArn(partition, caller.region, caller.account, logGroupName);
  const roleArn = remediationRoleArn(partition, caller.account, roleName);
  const tags = tagsForTrail(trail.arn);
  const policy = cloudTrailLogsPolicy({
    partition,
    region: caller.region,
    account: caller.account,
    logGroupName,
    organizationId,
  });
  const description = roleDescription(trail.name, logGroupName);
  return {
    kind: 'integrate',
    trailArn: trail.arn,
    logGroupName,
    logGroupArn,
    roleName,
    roleArn,
    steps: [
      ...logGroupSteps(state, state.logGroup, request, logGroupName, tags),
      ...roleSteps(state.role, roleName, policy, description, tags, boundary),
      {
        operation: { type: 'UpdateTrail', trailArn: trail.arn, logGroupArn, roleArn },
        required: true,
        detail: 'trail pointed at the log group and role',
      },
    ],
    roleCreatedAt: state.role?.createdAt,
    adopted,
    reused: reusedLogGroup(logGroupName, state.logGroup),
  };
}
