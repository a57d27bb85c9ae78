import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS_BOUNDARY_ENV } from '../../remediation/definition.js';
import {
  onlyResource,
  resolveIntrinsics,
  resourcesOf,
  SYNTH_TIMEOUT_MS,
  synthGuard,
  TEST_ACCOUNT,
  TEST_REGION,
} from './support.js';

const ACCOUNT = TEST_ACCOUNT;
const REGION = TEST_REGION;

const RULE_DESCRIPTION = 'AWS Config custom rule: is each CloudTrail trail integrated with CloudWatch Logs?';
const REMEDIATION_DESCRIPTION =
  'Integrates a CloudTrail trail with CloudWatch Logs (invoked by the SSM Automation document).';

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** Logical ids of the resources the policies refer to, resolved to the ARNs CloudFormation would give them. */
function resourceArns(template: Template): Record<string, string> {
  const arns: Record<string, string> = {};
  for (const [id] of resourcesOf(template, 'AWS::Logs::LogGroup')) {
    arns[`${id}.Arn`] = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`;
  }
  for (const [id] of resourcesOf(template, 'AWS::Lambda::Function')) {
    arns[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
  }
  for (const [id] of resourcesOf(template, 'AWS::Config::ConfigRule')) {
    arns[`${id}.Arn`] = `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`;
  }
  for (const [id, policy] of resourcesOf(template, 'AWS::IAM::ManagedPolicy')) {
    arns[id] = `arn:aws:iam::${ACCOUNT}:policy${policy.Properties.Path}${id}`;
  }
  return arns;
}

/** Every identity policy attached to the role of the function described by `description`, resolved. */
function policiesOfFunction(template: Template, description: string): PolicyDocument[] {
  const [, fn] = onlyResource(template, 'AWS::Lambda::Function', {
    Properties: { Description: description },
  });
  const [roleId] = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .map(
      ([, policy]) =>
        resolveIntrinsics(policy.Properties.PolicyDocument, resourceArns(template)) as PolicyDocument,
    );
}

function statementsOf(policies: readonly PolicyDocument[]): Record<string, unknown>[] {
  return policies.flatMap((policy) => policy.Statement);
}

let template: Template;
beforeAll(() => {
  template = synthGuard().template;
}, SYNTH_TIMEOUT_MS);

const OWN_ROLES = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/*`;
const ROLE_LOOK_UP = `arn:aws:iam::${ACCOUNT}:role/CloudTrailToLogs-*`;
/** The delivery boundary as resolveIntrinsics gives its Ref (CloudFormation generates the name). */
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/RemediationFunctionDeliveryBoundaryPolicyBDC468DA`;
const BOUNDED_ROLE_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
];

describe('IAM statements', () => {
  it('grants the rule Lambda exactly its Config and CloudTrail calls and its own logs', () => {
    expect(statementsOf(policiesOfFunction(template, RULE_DESCRIPTION))).toEqual(
      expect.arrayContaining([
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:RuleFunctionLambdaLogGroupEE2F9CA0:*`,
        },
        {
          Sid: 'ReportEvaluations',
          Effect: 'Allow',
          Action: ['cloudtrail:DescribeTrails', 'config:GetResourceConfigHistory', 'config:PutEvaluations'],
          Resource: '*',
        },
        {
          Sid: 'ReadDeliveryStatus',
          Effect: 'Allow',
          Action: 'cloudtrail:GetTrailStatus',
          Resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/*`,
        },
        {
          Sid: 'ReadLogGroupCreation',
          Effect: 'Allow',
          Action: 'logs:DescribeLogGroups',
          Resource: '*',
        },
        {
          Sid: 'ReadRoleCreation',
          Effect: 'Allow',
          Action: 'iam:GetRole',
          Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
        },
        {
          Sid: 'ReadOwnResults',
          Effect: 'Allow',
          Action: 'config:GetComplianceDetailsByConfigRule',
          Resource: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`,
        },
      ]),
    );
    expect(statementsOf(policiesOfFunction(template, RULE_DESCRIPTION))).toHaveLength(6);
  });

  it('grants the remediation Lambda exactly the statements of its scope, with explicit guardrails', () => {
    expect(statementsOf(policiesOfFunction(template, REMEDIATION_DESCRIPTION))).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:RemediationFunctionLambdaLogGroupC6784FC6:*`,
      },
      {
        Sid: 'ManageOwnLogGroups',
        Effect: 'Allow',
        Action: [
          'logs:AssociateKmsKey',
          'logs:CreateLogGroup',
          'logs:DescribeSubscriptionFilters',
          'logs:ListTagsForResource',
          'logs:PutRetentionPolicy',
          'logs:TagResource',
        ],
        Resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cloudtrail-logs-guard/*`,
      },
      {
        Sid: 'ManageOwnRoles',
        Effect: 'Allow',
        Action: [
          'iam:DeleteRolePolicy',
          'iam:DetachRolePolicy',
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListAttachedRolePolicies',
          'iam:ListRolePolicies',
          'iam:TagRole',
        ],
        Resource: OWN_ROLES,
      },
      {
        Sid: 'WriteOwnRolesWithinBoundary',
        Effect: 'Allow',
        Action: BOUNDED_ROLE_WRITES,
        Resource: OWN_ROLES,
        Condition: { StringEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
      },
      { Sid: 'LookUpOwnRoleBeforeItExists', Effect: 'Allow', Action: 'iam:GetRole', Resource: ROLE_LOOK_UP },
      {
        Sid: 'PassOwnRolesToCloudTrail',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: OWN_ROLES,
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
      },
      {
        Sid: 'ReadTrails',
        Effect: 'Allow',
        Action: 'cloudtrail:GetTrail',
        Resource: 'arn:aws:cloudtrail:*:*:trail/*',
      },
      {
        Sid: 'IntegrateTrails',
        Effect: 'Allow',
        Action: 'cloudtrail:UpdateTrail',
        Resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/*`,
      },
      {
        Sid: 'ReadDeliveryStatus',
        Effect: 'Allow',
        Action: 'cloudtrail:GetTrailStatus',
        Resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/*`,
      },
      {
        Sid: 'ReadWithoutResourceScope',
        Effect: 'Allow',
        Action: ['cloudtrail:DescribeTrails', 'logs:DescribeLogGroups', 'organizations:DescribeOrganization'],
        Resource: '*',
      },
      {
        Sid: 'DenyIamOutsideRolePath',
        Effect: 'Deny',
        Action: 'iam:*',
        NotResource: [OWN_ROLES, ROLE_LOOK_UP],
      },
      {
        Sid: 'DenyAllButLookUpOutsideRolePath',
        Effect: 'Deny',
        NotAction: 'iam:GetRole',
        Resource: ROLE_LOOK_UP,
      },
      {
        Sid: 'DenyManagedPoliciesAndBoundaries',
        Effect: 'Deny',
        Action: ['iam:AttachRolePolicy', 'iam:DeleteRolePermissionsBoundary'],
        Resource: '*',
      },
      {
        Sid: 'DenyRoleWritesOutsideBoundary',
        Effect: 'Deny',
        Action: BOUNDED_ROLE_WRITES,
        Resource: '*',
        Condition: { StringNotEquals: { 'iam:PermissionsBoundary': BOUNDARY } },
      },
    ]);
  });

  it('creates the delivery boundary: CloudTrail delivery to the project log groups only, retained except on a failed create', () => {
    const [, policy] = onlyResource(template, 'AWS::IAM::ManagedPolicy');
    expect(policy).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate' });
    expect(policy.Properties.Path).toBe('/cloudtrail-logs-guard/');
    expect(resolveIntrinsics(policy.Properties.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DeliverToProjectLogGroups',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/cloudtrail-logs-guard/*:log-stream:*`,
        },
      ],
    });
  });

  it('tells the remediation Lambda the boundary in PERMISSIONS_BOUNDARY_ENV', () => {
    const [id] = onlyResource(template, 'AWS::IAM::ManagedPolicy');
    const [, fn] = onlyResource(template, 'AWS::Lambda::Function', {
      Properties: { Description: REMEDIATION_DESCRIPTION },
    });
    expect(fn.Properties.Environment).toEqual({
      Variables: { [PERMISSIONS_BOUNDARY_ENV]: { Ref: id } },
    });
  });

  it('lets the automation role invoke only the remediation Lambda', () => {
    const [automationRole] = onlyResource(template, 'AWS::IAM::Role', {
      Properties: {
        Description:
          'Assumed by SSM Automation to run the CloudTrail-to-CloudWatch-Logs remediation document.',
      },
    });
    const remediationFunction = onlyResource(template, 'AWS::Lambda::Function', {
      Properties: { Description: REMEDIATION_DESCRIPTION },
    })[0];
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(
      ([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: automationRole }]),
    );
    expect(policies.map(([, policy]) => policy.Properties.PolicyDocument)).toEqual([
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'InvokeRemediationFunction',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [remediationFunction, 'Arn'] },
          },
        ],
      },
    ]);
  });
});

const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard-RemediationFunctionLambdaRole`;
const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/CloudTrailToLogs-${REGION}-main`;
const ROOT_ROLE_LIKE_OWN = `arn:aws:iam::${ACCOUNT}:role/CloudTrailToLogs-${REGION}-main`;
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const OTHER_PATH_ROLE = `arn:aws:iam::${ACCOUNT}:role/other-path/CloudTrailToLogs-${REGION}-main`;
const OWN_LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cloudtrail-logs-guard/main`;
const FOREIGN_LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/payments`;
const OWN_TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`;
const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
type Request = [action: string, resource: string, context?: Record<string, string | string[]>];

async function decide(
  policies: readonly PolicyDocument[],
  [action, resource, context]: Request,
): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: PRINCIPAL,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: context ?? {},
    },
    identityPolicies: policies.map((policy, index) => ({ name: `policy-${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error')
    throw new Error(`Simulation of ${action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

const TO_CLOUDTRAIL = { 'iam:PassedToService': 'cloudtrail.amazonaws.com' };
/** iam:PermissionsBoundary: the boundary requested (CreateRole, PutRolePermissionsBoundary) or the role's own. */
const WITH_BOUNDARY = { 'iam:PermissionsBoundary': BOUNDARY };
const WITH_OTHER_BOUNDARY = {
  'iam:PermissionsBoundary': `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/wide-open`,
};
const TO_EC2 = { 'iam:PassedToService': 'ec2.amazonaws.com' };
const OTHER_REGION_TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const OTHER_ACCOUNT_TRAIL = `arn:aws:cloudtrail:${REGION}:999988887777:trail/main`;
const OTHER_ACCOUNT_OTHER_REGION_TRAIL = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org';

describe('rule Lambda policy, evaluated with iam-simulate', () => {
  it.each<[string, Decision, Request]>([
    [
      'read the creation time of a role a trail names, under any path',
      'Allowed',
      ['iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailToLogs`],
    ],
    [
      'read a role of another account',
      'ImplicitlyDenied',
      ['iam:GetRole', 'arn:aws:iam::999988887777:role/CloudTrailToLogs'],
    ],
    [
      'change a role it reads',
      'ImplicitlyDenied',
      ['iam:UpdateAssumeRolePolicy', `arn:aws:iam::${ACCOUNT}:role/CloudTrailToLogs`],
    ],
    ['list the log groups, for a creation time', 'Allowed', ['logs:DescribeLogGroups', '*']],
    [
      'read the delivery status of a trail of another region',
      'ImplicitlyDenied',
      ['cloudtrail:GetTrailStatus', OTHER_REGION_TRAIL],
    ],
  ])('%s: %s', async (_case, expected, request) => {
    expect(await decide(policiesOfFunction(template, RULE_DESCRIPTION), request)).toBe(expected);
  });
});

describe('remediation Lambda policy, evaluated with iam-simulate', () => {
  it.each<[string, Decision, Request]>([
    [
      'create a role under its path with the boundary',
      'Allowed',
      ['iam:CreateRole', OWN_ROLE, WITH_BOUNDARY],
    ],
    ['create a role under its path without a boundary', 'ExplicitlyDenied', ['iam:CreateRole', OWN_ROLE]],
    [
      'create a role under its path with another boundary',
      'ExplicitlyDenied',
      ['iam:CreateRole', OWN_ROLE, WITH_OTHER_BOUNDARY],
    ],
    ['tag a role under its path', 'Allowed', ['iam:TagRole', OWN_ROLE]],
    [
      'write the inline policy of a role under its path that carries the boundary',
      'Allowed',
      ['iam:PutRolePolicy', OWN_ROLE, WITH_BOUNDARY],
    ],
    [
      'write the inline policy of a role under its path without a boundary',
      'ExplicitlyDenied',
      ['iam:PutRolePolicy', OWN_ROLE],
    ],
    [
      'write the inline policy of a role under its path with another boundary',
      'ExplicitlyDenied',
      ['iam:PutRolePolicy', OWN_ROLE, WITH_OTHER_BOUNDARY],
    ],
    [
      'repair the trust policy of a role under its path that carries the boundary',
      'Allowed',
      ['iam:UpdateAssumeRolePolicy', OWN_ROLE, WITH_BOUNDARY],
    ],
    [
      'change the trust policy of a role under its path without a boundary',
      'ExplicitlyDenied',
      ['iam:UpdateAssumeRolePolicy', OWN_ROLE],
    ],
    [
      'put the boundary on a role under its path',
      'Allowed',
      ['iam:PutRolePermissionsBoundary', OWN_ROLE, WITH_BOUNDARY],
    ],
    [
      'put another boundary on a role under its path',
      'ExplicitlyDenied',
      ['iam:PutRolePermissionsBoundary', OWN_ROLE, WITH_OTHER_BOUNDARY],
    ],
    [
      'put the boundary on a role outside its path',
      'ExplicitlyDenied',
      ['iam:PutRolePermissionsBoundary', ADMIN_ROLE, WITH_BOUNDARY],
    ],
    ['detach a managed policy from a role under its path', 'Allowed', ['iam:DetachRolePolicy', OWN_ROLE]],
    ['look up its role before it exists', 'Allowed', ['iam:GetRole', ROOT_ROLE_LIKE_OWN]],
    ['pass a role under its path to CloudTrail', 'Allowed', ['iam:PassRole', OWN_ROLE, TO_CLOUDTRAIL]],
    ['create a log group under its prefix', 'Allowed', ['logs:CreateLogGroup', OWN_LOG_GROUP]],
    ['set retention on a log group under its prefix', 'Allowed', ['logs:PutRetentionPolicy', OWN_LOG_GROUP]],
    [
      'associate a KMS key with a log group under its prefix',
      'Allowed',
      ['logs:AssociateKmsKey', OWN_LOG_GROUP],
    ],
    ['tag a log group under its prefix', 'Allowed', ['logs:TagResource', OWN_LOG_GROUP]],
    ['update a trail of its account and region', 'Allowed', ['cloudtrail:UpdateTrail', OWN_TRAIL]],
    ['read a trail of its account and region', 'Allowed', ['cloudtrail:GetTrail', OWN_TRAIL]],
    [
      'read a multi-region trail homed in another region (to refuse its copy)',
      'Allowed',
      ['cloudtrail:GetTrail', OTHER_REGION_TRAIL],
    ],
    [
      "read another account's organization trail (to refuse it)",
      'Allowed',
      ['cloudtrail:GetTrail', OTHER_ACCOUNT_TRAIL],
    ],
    [
      "read another account's trail homed in another region",
      'Allowed',
      ['cloudtrail:GetTrail', OTHER_ACCOUNT_OTHER_REGION_TRAIL],
    ],
    ['read the organization', 'Allowed', ['organizations:DescribeOrganization', '*']],
    [
      'read the subscription filters of a log group under its prefix',
      'Allowed',
      ['logs:DescribeSubscriptionFilters', OWN_LOG_GROUP],
    ],
    [
      'read the subscription filters of a foreign log group',
      'ImplicitlyDenied',
      ['logs:DescribeSubscriptionFilters', FOREIGN_LOG_GROUP],
    ],
    [
      'read the tags of a foreign log group',
      'ImplicitlyDenied',
      ['logs:ListTagsForResource', FOREIGN_LOG_GROUP],
    ],
    [
      'read the delivery status of a trail of its account and region',
      'Allowed',
      ['cloudtrail:GetTrailStatus', OWN_TRAIL],
    ],
    [
      'read the delivery status of a trail homed in another region',
      'ImplicitlyDenied',
      ['cloudtrail:GetTrailStatus', OTHER_REGION_TRAIL],
    ],
    [
      "read the delivery status of another account's trail",
      'ImplicitlyDenied',
      ['cloudtrail:GetTrailStatus', OTHER_ACCOUNT_TRAIL],
    ],
    ['list the trails this region sees, with their copies', 'Allowed', ['cloudtrail:DescribeTrails', '*']],
    ['read a role under its path (trust, tags)', 'Allowed', ['iam:GetRole', OWN_ROLE]],
    ['read a role outside its path', 'ExplicitlyDenied', ['iam:GetRole', ADMIN_ROLE]],
    ['create a role at the root path', 'ExplicitlyDenied', ['iam:CreateRole', ADMIN_ROLE, WITH_BOUNDARY]],
    [
      'create a role under another path',
      'ExplicitlyDenied',
      ['iam:CreateRole', OTHER_PATH_ROLE, WITH_BOUNDARY],
    ],
    [
      'write a policy on a root-path role named like its own',
      'ExplicitlyDenied',
      ['iam:PutRolePolicy', ROOT_ROLE_LIKE_OWN],
    ],
    [
      'write a policy on a role outside its path',
      'ExplicitlyDenied',
      ['iam:PutRolePolicy', ADMIN_ROLE, WITH_BOUNDARY],
    ],
    [
      'attach a managed policy to a role under its path',
      'ExplicitlyDenied',
      ['iam:AttachRolePolicy', OWN_ROLE],
    ],
    [
      'attach a managed policy to a role outside its path',
      'ExplicitlyDenied',
      ['iam:AttachRolePolicy', ADMIN_ROLE],
    ],
    [
      'remove the permissions boundary of its role',
      'ExplicitlyDenied',
      ['iam:DeleteRolePermissionsBoundary', OWN_ROLE, WITH_BOUNDARY],
    ],
    ['pass a role under its path to EC2', 'ImplicitlyDenied', ['iam:PassRole', OWN_ROLE, TO_EC2]],
    [
      'pass a role outside its path to CloudTrail',
      'ExplicitlyDenied',
      ['iam:PassRole', ADMIN_ROLE, TO_CLOUDTRAIL],
    ],
    ['create a user', 'ExplicitlyDenied', ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/intruder`]],
    [
      'create a managed policy',
      'ExplicitlyDenied',
      ['iam:CreatePolicy', `arn:aws:iam::${ACCOUNT}:policy/escalate`],
    ],
    [
      'set retention on a foreign log group',
      'ImplicitlyDenied',
      ['logs:PutRetentionPolicy', FOREIGN_LOG_GROUP],
    ],
    ['delete a log group under its prefix', 'ImplicitlyDenied', ['logs:DeleteLogGroup', OWN_LOG_GROUP]],
    ['update a trail in another region', 'ImplicitlyDenied', ['cloudtrail:UpdateTrail', OTHER_REGION_TRAIL]],
    [
      'update a trail of another account',
      'ImplicitlyDenied',
      ['cloudtrail:UpdateTrail', OTHER_ACCOUNT_TRAIL],
    ],
    [
      "update another account's trail homed in another region",
      'ImplicitlyDenied',
      ['cloudtrail:UpdateTrail', OTHER_ACCOUNT_OTHER_REGION_TRAIL],
    ],
    ['stop logging of a trail', 'ImplicitlyDenied', ['cloudtrail:StopLogging', OWN_TRAIL]],
    ['delete a trail', 'ImplicitlyDenied', ['cloudtrail:DeleteTrail', OWN_TRAIL]],
    [
      "stop logging of another account's trail",
      'ImplicitlyDenied',
      ['cloudtrail:StopLogging', OTHER_ACCOUNT_TRAIL],
    ],
  ])('%s: %s', async (_name, expected, request) => {
    expect(await decide(policiesOfFunction(template, REMEDIATION_DESCRIPTION), request)).toBe(expected);
  });

  // The guardrails are explicit denies: they hold even if someone attaches AdministratorAccess to the role.
  it.each<[string, Request]>([
    ['create a role at the root path', ['iam:CreateRole', ADMIN_ROLE]],
    ['create a role under another path', ['iam:CreateRole', OTHER_PATH_ROLE]],
    ['write a policy on a role outside its path', ['iam:PutRolePolicy', ADMIN_ROLE]],
    ['write a policy on a root-path role named like its own', ['iam:PutRolePolicy', ROOT_ROLE_LIKE_OWN]],
    ['attach a managed policy to a role under its path', ['iam:AttachRolePolicy', OWN_ROLE]],
    ['create a role under its path without a boundary', ['iam:CreateRole', OWN_ROLE]],
    ['create a role under its path with another boundary', ['iam:CreateRole', OWN_ROLE, WITH_OTHER_BOUNDARY]],
    ['write a policy on a role under its path without a boundary', ['iam:PutRolePolicy', OWN_ROLE]],
    ['change the trust policy of a role without a boundary', ['iam:UpdateAssumeRolePolicy', OWN_ROLE]],
    [
      'put another permissions boundary on a role under its path',
      ['iam:PutRolePermissionsBoundary', OWN_ROLE, WITH_OTHER_BOUNDARY],
    ],
    [
      'remove the permissions boundary of its role',
      ['iam:DeleteRolePermissionsBoundary', OWN_ROLE, WITH_BOUNDARY],
    ],
    ['pass a role outside its path', ['iam:PassRole', ADMIN_ROLE, TO_CLOUDTRAIL]],
    ['change its own role', ['iam:PutRolePolicy', PRINCIPAL]],
    ['create a user', ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/intruder`]],
  ])('still may not %s with AdministratorAccess attached', async (_name, request) => {
    const policies = [...policiesOfFunction(template, REMEDIATION_DESCRIPTION), ADMINISTRATOR_ACCESS];
    expect(await decide(policies, request)).toBe('ExplicitlyDenied');
  });

  it('would allow those requests with AdministratorAccess alone (the denies are what stops them)', async () => {
    expect(await decide([ADMINISTRATOR_ACCESS], ['iam:CreateRole', ADMIN_ROLE])).toBe('Allowed');
  });
});

describe('delivery boundary, evaluated with iam-simulate', () => {
  const DELIVERY_ROLE = `arn:aws:sts::${ACCOUNT}:assumed-role/CloudTrailToLogs-${REGION}-main/CloudTrail`;
  const OWN_STREAM = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cloudtrail-logs-guard/main:log-stream:${ACCOUNT}_CloudTrail_${REGION}_1`;
  const OTHER_REGION_STREAM = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cloudtrail-logs-guard/main:log-stream:${ACCOUNT}_CloudTrail_us-east-1`;
  const FOREIGN_STREAM = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/payments:log-stream:x`;

  function boundaryDocument(): PolicyDocument {
    const [, policy] = onlyResource(template, 'AWS::IAM::ManagedPolicy');
    return resolveIntrinsics(policy.Properties.PolicyDocument) as PolicyDocument;
  }

  // AdministratorAccess stands for the worst inline policy a compromised remediation Lambda could write.
  async function decideForRole([action, resource]: Request): Promise<Decision> {
    const result = await runSimulation(
      {
        request: {
          principal: DELIVERY_ROLE,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: {},
        },
        identityPolicies: [{ name: 'written-by-the-lambda', policy: ADMINISTRATOR_ACCESS }],
        permissionBoundaryPolicies: [{ name: 'delivery-boundary', policy: boundaryDocument() }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error')
      throw new Error(`Simulation of ${action} failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
  }

  it.each<[string, Decision, Request]>([
    ['create a log stream in its log group', 'Allowed', ['logs:CreateLogStream', OWN_STREAM]],
    ['put log events in its log group', 'Allowed', ['logs:PutLogEvents', OWN_STREAM]],
    [
      'put log events in a project log group of another region',
      'Allowed',
      ['logs:PutLogEvents', OTHER_REGION_STREAM],
    ],
    ['put log events in a foreign log group', 'ImplicitlyDenied', ['logs:PutLogEvents', FOREIGN_STREAM]],
    ['delete its log group', 'ImplicitlyDenied', ['logs:DeleteLogGroup', OWN_LOG_GROUP]],
    ['create a role', 'ImplicitlyDenied', ['iam:CreateRole', ADMIN_ROLE]],
    ['attach a policy to the admin role', 'ImplicitlyDenied', ['iam:AttachRolePolicy', ADMIN_ROLE]],
    ['stop logging of a trail', 'ImplicitlyDenied', ['cloudtrail:StopLogging', OWN_TRAIL]],
  ])('caps a role given AdministratorAccess: %s is %s', async (_name, expected, request) => {
    expect(await decideForRole(request)).toBe(expected);
  });
});

describe('remediation Lambda policy with monitoring on, evaluated with iam-simulate', () => {
  let monitored: Template;
  beforeAll(() => {
    monitored = synthGuard({ monitoring: 'true' }).template;
  }, SYNTH_TIMEOUT_MS);

  const OWN_ALARM = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-CloudWatch.1-RootUserUsage`;
  const FOREIGN_ALARM = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:CIS-1.1-RootAccountUsage`;
  const OTHER_REGION_ALARM = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-CloudWatch.1-RootUserUsage`;
  const OWN_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cloudtrail-logs-guard-alarms`;
  const OTHER_ACCOUNT_TOPIC = `arn:aws:sns:${REGION}:444455556666:cloudtrail-logs-guard-alarms`;

  it.each<[string, Decision, Request]>([
    [
      'put a metric filter on a log group under its prefix',
      'Allowed',
      ['logs:PutMetricFilter', OWN_LOG_GROUP],
    ],
    [
      'read the metric filters of a log group under its prefix',
      'Allowed',
      ['logs:DescribeMetricFilters', OWN_LOG_GROUP],
    ],
    [
      'put a metric filter on a foreign log group',
      'ImplicitlyDenied',
      ['logs:PutMetricFilter', FOREIGN_LOG_GROUP],
    ],
    [
      'delete a metric filter under its prefix',
      'ImplicitlyDenied',
      ['logs:DeleteMetricFilter', OWN_LOG_GROUP],
    ],
    [
      'create an alarm with its prefix notifying a topic of its account and region',
      'Allowed',
      ['cloudwatch:PutMetricAlarm', OWN_ALARM, { 'cloudwatch:AlarmActions': [OWN_TOPIC] }],
    ],
    [
      'create an alarm notifying a topic of another account',
      'ImplicitlyDenied',
      ['cloudwatch:PutMetricAlarm', OWN_ALARM, { 'cloudwatch:AlarmActions': [OTHER_ACCOUNT_TOPIC] }],
    ],
    [
      'create an alarm notifying its topic and a topic of another region',
      'ImplicitlyDenied',
      [
        'cloudwatch:PutMetricAlarm',
        OWN_ALARM,
        { 'cloudwatch:AlarmActions': [OWN_TOPIC, OWN_TOPIC.replace(REGION, 'us-east-1')] },
      ],
    ],
    [
      'create an alarm that stops an EC2 instance',
      'ImplicitlyDenied',
      [
        'cloudwatch:PutMetricAlarm',
        OWN_ALARM,
        { 'cloudwatch:AlarmActions': [`arn:aws:automate:${REGION}:ec2:stop`] },
      ],
    ],
    ['create an alarm without any action', 'ImplicitlyDenied', ['cloudwatch:PutMetricAlarm', OWN_ALARM]],
    [
      'list the subscriptions of a topic of its account and region',
      'Allowed',
      ['sns:ListSubscriptionsByTopic', OWN_TOPIC],
    ],
    [
      'list the subscriptions of a topic of another account',
      'ImplicitlyDenied',
      ['sns:ListSubscriptionsByTopic', OTHER_ACCOUNT_TOPIC],
    ],
    ['publish to a topic', 'ImplicitlyDenied', ['sns:Publish', OWN_TOPIC]],
    ['subscribe to a topic', 'ImplicitlyDenied', ['sns:Subscribe', OWN_TOPIC]],
    [
      'tag an alarm with its prefix (PutMetricAlarm with Tags)',
      'Allowed',
      ['cloudwatch:TagResource', OWN_ALARM],
    ],
    ['read the tags of an alarm with its prefix', 'Allowed', ['cloudwatch:ListTagsForResource', OWN_ALARM]],
    ['read the alarms with its prefix', 'Allowed', ['cloudwatch:DescribeAlarms', OWN_ALARM]],
    [
      'change an alarm it did not name',
      'ImplicitlyDenied',
      ['cloudwatch:PutMetricAlarm', FOREIGN_ALARM, { 'cloudwatch:AlarmActions': [OWN_TOPIC] }],
    ],
    [
      'create an alarm in another region',
      'ImplicitlyDenied',
      ['cloudwatch:PutMetricAlarm', OTHER_REGION_ALARM, { 'cloudwatch:AlarmActions': [OWN_TOPIC] }],
    ],
    ['delete an alarm with its prefix', 'ImplicitlyDenied', ['cloudwatch:DeleteAlarms', OWN_ALARM]],
    ['silence an alarm with its prefix', 'ImplicitlyDenied', ['cloudwatch:DisableAlarmActions', OWN_ALARM]],
    [
      'read the event selectors of a trail of its account and region',
      'Allowed',
      ['cloudtrail:GetEventSelectors', OWN_TRAIL],
    ],
    [
      'change the event selectors of a trail',
      'ImplicitlyDenied',
      ['cloudtrail:PutEventSelectors', OWN_TRAIL],
    ],
  ])('%s: %s', async (_name, expected, request) => {
    expect(await decide(policiesOfFunction(monitored, REMEDIATION_DESCRIPTION), request)).toBe(expected);
  });

  it.each<[string, Request]>([
    ['put a metric filter', ['logs:PutMetricFilter', OWN_LOG_GROUP]],
    ['create an alarm', ['cloudwatch:PutMetricAlarm', OWN_ALARM]],
    ['read event selectors', ['cloudtrail:GetEventSelectors', OWN_TRAIL]],
  ])('may not %s with monitoring off (the default)', async (_name, request) => {
    expect(await decide(policiesOfFunction(template, REMEDIATION_DESCRIPTION), request)).toBe(
      'ImplicitlyDenied',
    );
  });
});
