import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  type Role,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { carriesCreatedByTags } from '../../common/project.js';
import { awsCall, isAwsError } from '../aws-call.js';
import type { RemediationClients } from '../clients.js';
import { ROLE_POLICY_NAME } from '../definition.js';
import { AwsCallError, CreatedMeanwhileError } from '../errors.js';
import type { RoleOperation } from './operations.js';
import { decodePolicy } from './policies.js';
import type { RoleState } from './state.js';

/**
 * The role's AWS I/O: one function per read or write, each naming the IAM action and the resource when it
 * fails. The remediation Lambda's role needs exactly these actions for it:
 *
 * - reads: iam:GetRole, iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies;
 * - writes: iam:CreateRole + iam:TagRole, iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy,
 *   iam:DetachRolePolicy, and with a configured permissions boundary iam:PutRolePermissionsBoundary (CreateRole
 *   then carries it too).
 */

async function listInlinePolicyNames(clients: RemediationClients, roleName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const from = marker;
    const page = await awsCall('iam:ListRolePolicies', roleName, () =>
      clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: from })),
    );
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return names;
}

async function listAttachedPolicyArns(clients: RemediationClients, roleName: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const from = marker;
    const page = await awsCall('iam:ListAttachedRolePolicies', roleName, () =>
      clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: from })),
    );
    arns.push(...(page.AttachedPolicies ?? []).flatMap((policy) => policy.PolicyArn ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return arns;
}

/**
 * The role of that name with its trust policy, policies and whether it carries the remediation's tags (GetRole
 * returns them), or undefined when it does not exist.
 */
export async function readRole(
  clients: RemediationClients,
  roleName: string,
): Promise<RoleState | undefined> {
  let role: Role | undefined;
  try {
    role = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntityException')) return undefined;
    throw new AwsCallError('iam:GetRole', roleName, error);
  }
  const inlinePolicyNames = await listInlinePolicyNames(clients, roleName);
  const attachedPolicyArns = await listAttachedPolicyArns(clients, roleName);
  const remediationPolicy = inlinePolicyNames.includes(ROLE_POLICY_NAME)
    ? decodePolicy(
        (
          await awsCall('iam:GetRolePolicy', `${roleName}/${ROLE_POLICY_NAME}`, () =>
            clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_POLICY_NAME })),
          )
        ).PolicyDocument,
      )
    : undefined;
  return {
    path: role?.Path ?? '/',
    trustPolicy: decodePolicy(role?.AssumeRolePolicyDocument),
    inlinePolicyNames,
    remediationPolicy,
    attachedPolicyArns,
    permissionsBoundaryArn: role?.PermissionsBoundary?.PermissionsBoundaryArn,
    createdAt: role?.CreateDate,
    createdByRemediation: carriesCreatedByTags(
      Object.fromEntries((role?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
    ),
  };
}

function iamTags(tags: Readonly<Record<string, string>>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Applies one role operation of the plan. Each is idempotent, so a re-run after a failure completes the job
 * without duplicates: "no such entity" on a delete counts as done. CreateRole's "already exists"
 * (EntityAlreadyExistsException: someone created a role of that name since the state was read) throws
 * CreatedMeanwhileError: the role is read again, never rewritten on the assumption that it is the remediation's.
 */
export async function applyRoleOperation(
  clients: RemediationClients,
  operation: RoleOperation,
): Promise<void> {
  switch (operation.type) {
    case 'CreateRole':
      try {
        await clients.iam.send(
          new CreateRoleCommand({
            RoleName: operation.roleName,
            Path: operation.path,
            AssumeRolePolicyDocument: JSON.stringify(operation.trustPolicy),
            Description: operation.description,
            Tags: iamTags(operation.tags),
            PermissionsBoundary: operation.permissionsBoundary,
          }),
        );
      } catch (error) {
        if (isAwsError(error, 'EntityAlreadyExistsException')) {
          throw new CreatedMeanwhileError('role', operation.roleName, error);
        }
        throw new AwsCallError('iam:CreateRole', operation.roleName, error);
      }
      return;
    case 'PutRolePermissionsBoundary':
      await awsCall('iam:PutRolePermissionsBoundary', operation.roleName, () =>
        clients.iam.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: operation.roleName,
            PermissionsBoundary: operation.permissionsBoundary,
          }),
        ),
      );
      return;
    case 'UpdateAssumeRolePolicy':
      await awsCall('iam:UpdateAssumeRolePolicy', operation.roleName, () =>
        clients.iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: operation.roleName,
            PolicyDocument: JSON.stringify(operation.trustPolicy),
          }),
        ),
      );
      return;
    case 'PutRolePolicy':
      await awsCall('iam:PutRolePolicy', `${operation.roleName}/${operation.policyName}`, () =>
        clients.iam.send(
          new PutRolePolicyCommand({
            RoleName: operation.roleName,
            PolicyName: operation.policyName,
            PolicyDocument: JSON.stringify(operation.policy),
          }),
        ),
      );
      return;
    case 'DeleteRolePolicy':
      try {
        await clients.iam.send(
          new DeleteRolePolicyCommand({ RoleName: operation.roleName, PolicyName: operation.policyName }),
        );
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntityException')) return;
        throw new AwsCallError(
          'iam:DeleteRolePolicy',
          `${operation.roleName}/${operation.policyName}`,
          error,
        );
      }
      return;
    case 'DetachRolePolicy':
      try {
        await clients.iam.send(
          new DetachRolePolicyCommand({ RoleName: operation.roleName, PolicyArn: operation.policyArn }),
        );
      } catch (error) {
        if (isAwsError(error, 'NoSuchEntityException')) return;
        throw new AwsCallError('iam:DetachRolePolicy', `${operation.roleName}/${operation.policyArn}`, error);
      }
      return;
  }
}
