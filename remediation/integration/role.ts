import type { CallerContext } from '../actions.js';
import { parsePolicyArn } from '../arns.js';
import { ROLE_PATH, ROLE_POLICY_NAME } from '../definition.js';
import { RemediationConflictError } from '../errors.js';
import type { PlanStep } from './operations.js';
import { cloudTrailTrustPolicy, type PolicyDocument, samePolicy } from './policies.js';
import type { RemediationState, RoleState } from './state.js';

/**
 * The pure plan for the trail's IAM role: created under ROLE_PATH with the documented trust and policy
 * (policies.ts) and nothing else, its permissions boundary first. A role is ours when it is under ROLE_PATH and
 * carries CREATED_BY_TAGS (role-api.ts reads them into `createdByRemediation`); one under ROLE_PATH that is not
 * ours is rewritten only when adopted (integrate.ts, repair.ts); one of our name elsewhere is never touched.
 * No SDK, no environment.
 */

function boundaryStep(roleName: string, current: string | undefined, wanted: string): PlanStep {
  return {
    operation: { type: 'PutRolePermissionsBoundary', roleName, permissionsBoundary: wanted },
    required: current !== wanted,
    detail:
      current === wanted
        ? `permissions boundary ${wanted} already set`
        : current === undefined
          ? `permissions boundary ${wanted} set`
          : `permissions boundary ${current} replaced with ${wanted}`,
  };
}

/**
 * The role steps for `role` (undefined: create it): bring it to the documented trust and policy, nothing else.
 * `createdDetail` says why it is created.
 */
export function roleSteps(
  role: RoleState | undefined,
  roleName: string,
  policy: PolicyDocument,
  description: string,
  tags: Record<string, string>,
  boundary: string | undefined,
  createdDetail = 'role does not exist',
): PlanStep[] {
  const trustPolicy = cloudTrailTrustPolicy();
  const putPolicy = { type: 'PutRolePolicy', roleName, policyName: ROLE_POLICY_NAME, policy } as const;
  const createRole = {
    type: 'CreateRole',
    roleName,
    path: ROLE_PATH,
    trustPolicy,
    description,
    tags,
    ...(boundary === undefined ? {} : { permissionsBoundary: boundary }),
  } as const;
  if (role === undefined) {
    return [
      {
        operation: createRole,
        required: true,
        detail:
          boundary === undefined
            ? createdDetail
            : `${createdDetail}; created with permissions boundary ${boundary}`,
      },
      { operation: putPolicy, required: true, detail: 'policy written' },
    ];
  }
  if (role.path !== ROLE_PATH) {
    throw new RemediationConflictError(
      `Role ${roleName} exists with path ${role.path}, not ${ROLE_PATH}: it was not created by this remediation. ` +
        'Rename or delete that role, then run the remediation again.',
    );
  }
  const trustOk = samePolicy(role.trustPolicy, trustPolicy);
  const policyOk = samePolicy(role.remediationPolicy, policy);
  // The boundary goes first: the Lambda's policy allows the trust and inline policy writes only on a role
  // that already carries it.
  const steps: PlanStep[] = [
    {
      operation: createRole,
      required: false,
      detail: role.createdByRemediation
        ? 'role exists; reused'
        : 'role exists, not created by this remediation; adopted as requested (its trust and policies are rewritten)',
    },
    ...(boundary === undefined ? [] : [boundaryStep(roleName, role.permissionsBoundaryArn, boundary)]),
    {
      operation: { type: 'UpdateAssumeRolePolicy', roleName, trustPolicy },
      required: !trustOk,
      detail: trustOk
        ? 'trust policy already as documented'
        : 'trust policy replaced with the documented one',
    },
    {
      operation: putPolicy,
      required: !policyOk,
      detail: policyOk
        ? 'policy already as documented'
        : role.remediationPolicy === undefined
          ? 'policy written'
          : 'policy replaced with the documented one',
    },
  ];
  for (const policyName of role.inlinePolicyNames.filter((name) => name !== ROLE_POLICY_NAME)) {
    steps.push({
      operation: { type: 'DeleteRolePolicy', roleName, policyName },
      required: true,
      detail: 'extra inline policy removed: the role may only write to its log group',
    });
  }
  for (const policyArn of role.attachedPolicyArns) {
    steps.push({
      operation: { type: 'DetachRolePolicy', roleName, policyArn },
      required: true,
      detail: 'managed policy detached: the role may only write to its log group',
    });
  }
  return steps;
}

/** IAM takes as boundary only a policy of the role's own account (or an AWS managed one). */
export function assertBoundaryUsable(boundary: string, caller: CallerContext): void {
  const account = parsePolicyArn(boundary)?.account;
  if (account === caller.account || account === 'aws') return;
  throw new RemediationConflictError(
    `Permissions boundary ${boundary} is not a managed policy of account ${caller.account}, where the role is ` +
      `created: IAM accepts only a policy of the role's own account. Configure the delivery boundary policy of ` +
      `account ${caller.account}.`,
  );
}

/**
 * The organization id a role's policy needs for an organization trail (its `<org id>_*` streams); undefined for
 * another trail. Throws when the trail is an organization trail and the id is unknown.
 */
export function organizationIdForRole(
  state: Pick<RemediationState, 'trail' | 'organizationId'>,
): string | undefined {
  const { trail } = state;
  if (!trail.isOrganizationTrail) return undefined;
  if (state.organizationId === undefined) {
    throw new RemediationConflictError(
      `Trail ${trail.arn} is an organization trail but the organization id is unknown: its role needs the ` +
        '<org id>_* stream pattern. Run the remediation in the management account with organizations:DescribeOrganization.',
    );
  }
  return state.organizationId;
}

/** The description of the role the remediation creates for a trail. */
export function roleDescription(trailName: string, logGroupName: string): string {
  return `Lets CloudTrail trail ${trailName} deliver its events to CloudWatch Logs group ${logGroupName}.`;
}

/** A role under ROLE_PATH the remediation did not create, as a refusal names it. */
export function foreignRole(name: string): string {
  return `role ${name} exists under ${ROLE_PATH} but was not created by this remediation (adopting it rewrites its trust policy and policies)`;
}
