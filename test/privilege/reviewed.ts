import { STAND_IN } from '../e2e/principals.js';
import type { Authorization } from './authorization.js';
import type { ResolvedRole } from './roles.js';

/**
 * The one reviewed list of the least-privilege check: grants no recorded call can exercise on the emulator, each
 * with the reason, and the probes that show each explicit deny still denies. Everything else a role is granted
 * must be used by a recorded call, and an entry here that a recorded call does use, or that matches no grant,
 * fails the check: the list stays short and true.
 */

export interface ReviewedGrant {
  /** Role labels (roles.ts ROLE_CATALOGUE) it applies to. */
  readonly roles: readonly string[];
  /** The statement's Sid, or the name of an AWS managed policy attached to the role. */
  readonly sid: string;
  /** The actions of that statement it covers; `*` for a whole AWS managed policy. */
  readonly actions: readonly string[];
  readonly reason: string;
}

const LAMBDA_ROLES = [
  'single-account rule Lambda',
  'single-account remediation Lambda',
  'organization hub rule Lambda',
  'organization hub remediation Lambda',
];

export const REVIEWED_GRANTS: readonly ReviewedGrant[] = [
  {
    roles: LAMBDA_ROLES,
    sid: 'WriteOwnLogs',
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    reason:
      "The Lambda service writes the function's log records to its own log group with the execution role; the " +
      'handler never makes these calls, and the tier runs the bundles outside Lambda.',
  },
  {
    roles: ['single-account rule Lambda', 'organization hub rule Lambda', 'organization spoke rule role'],
    sid: 'ReadOwnResults',
    actions: ['config:GetComplianceDetailsByConfigRule'],
    reason:
      'Read only by the periodic clean-up of results of deleted trails, which the rule skips in test mode, the only ' +
      'mode moto accepts PutEvaluations in (result token TESTMODE); moto 5.2 does not implement the call either.',
  },
  {
    roles: ['single-account SSM Automation role'],
    sid: 'InvokeRemediationFunction',
    actions: ['lambda:InvokeFunction'],
    reason:
      'SSM Automation assumes this role to run the document step aws:invokeLambdaFunction; moto 5.2 runs no ' +
      'Automation document, and the tier invokes the bundle directly.',
  },
  {
    roles: ['organization spoke SSM Automation role'],
    sid: 'InvokeHubRemediationFunction',
    actions: ['lambda:InvokeFunction'],
    reason:
      "SSM Automation assumes this role to invoke the hub's remediation Lambda from the spoke's document; moto 5.2 " +
      'runs no Automation document.',
  },
  {
    roles: ['organization aggregator role'],
    sid: 'AWSConfigRoleForOrganizations',
    actions: ['*'],
    reason:
      'AWS Config assumes this role for the organization aggregator, with the AWS managed policy AWS Config ' +
      'documents for it; no code of the project runs with it.',
  },
];

/**
 * An explicit deny and a request only it denies: ExplicitlyDenied with the role's policies, and no longer so
 * once that statement is removed. Every Deny statement of every role must have one.
 */
export interface Guardrail {
  readonly roles: readonly string[];
  readonly sid: string;
  readonly probe: (role: ResolvedRole) => Authorization;
  readonly reason: string;
}

const REMEDIATION_ROLES = [
  'single-account remediation Lambda',
  'organization hub remediation Lambda',
  'organization spoke remediation role',
];

function roleArn(role: ResolvedRole, nameWithPath: string): string {
  return `arn:aws:iam::${role.placement.account}:role/${nameWithPath}`;
}

function probe(
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Omit<Authorization, 'neededBy'> & { neededBy: string } {
  return { action, resource, resourceType: 'role', context, neededBy: 'guardrail probe' };
}

/** With the role's own boundary, so only the deny under test can refuse the probe. */
function ownBoundary(role: ResolvedRole): Record<string, string> {
  return { 'iam:PermissionsBoundary': STAND_IN.deliveryBoundaryArn(role.placement.account) };
}

export const GUARDRAILS: readonly Guardrail[] = [
  {
    roles: REMEDIATION_ROLES,
    sid: 'DenyIamOutsideRolePath',
    probe: (role) => probe('iam:PutRolePolicy', roleArn(role, 'Admin'), ownBoundary(role)),
    reason: 'No IAM action on anything outside the project role path (and the look-up pattern).',
  },
  {
    roles: REMEDIATION_ROLES,
    sid: 'DenyAllButLookUpOutsideRolePath',
    probe: (role) =>
      probe(
        'iam:PutRolePolicy',
        roleArn(role, `CloudTrailToLogs-${role.placement.region}-main`),
        ownBoundary(role),
      ),
    reason: 'A root-path role named like the remediation roles may only be looked up (GetRole).',
  },
  {
    roles: REMEDIATION_ROLES,
    sid: 'DenyManagedPoliciesAndBoundaries',
    probe: (role) =>
      probe('iam:AttachRolePolicy', roleArn(role, 'cloudtrail-logs-guard/CloudTrailToLogs-main')),
    reason: 'No managed policy is attached and no boundary removed, even on its own roles.',
  },
  {
    roles: REMEDIATION_ROLES,
    sid: 'DenyRoleWritesOutsideBoundary',
    probe: (role) => probe('iam:PutRolePolicy', roleArn(role, 'cloudtrail-logs-guard/CloudTrailToLogs-main')),
    reason: 'No role write on a role without the delivery boundary.',
  },
];
