import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  onlyResource,
  resolveIntrinsics,
  resourcesOf,
  synthGuard,
  TEST_ACCOUNT,
  TEST_REGION,
} from './support.js';

const SYNTH_TIMEOUT_MS = 60_000;
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
          Sid: 'ReadOwnResults',
          Effect: 'Allow',
          Action: 'config:GetComplianceDetailsByConfigRule',
          Resource: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`,
        },
      ]),
    );
    expect(statementsOf(policiesOfFunction(template, RULE_DESCRIPTION))).toHaveLength(4);
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
          'iam:CreateRole',
          'iam:DeleteRolePolicy',
          'iam:DetachRolePolicy',
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListAttachedRolePolicies',
          'iam:ListRolePolicies',
          'iam:PutRolePolicy',
          'iam:TagRole',
          'iam:UpdateAssumeRolePolicy',
        ],
        Resource: OWN_ROLES,
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
        Sid: 'IntegrateTrails',
        Effect: 'Allow',
        Action: ['cloudtrail:GetTrail', 'cloudtrail:UpdateTrail'],
        Resource: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/*`,
      },
      {
        Sid: 'ReadWithoutResourceScope',
        Effect: 'Allow',
        Action: ['logs:DescribeLogGroups', 'organizations:DescribeOrganization'],
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
        Action: [
          'iam:AttachRolePolicy',
          'iam:DeleteRolePermissionsBoundary',
          'iam:PutRolePermissionsBoundary',
        ],
        Resource: '*',
      },
    ]);
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
type Request = [action: string, resource: string, context?: Record<string, string>];

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
const TO_EC2 = { 'iam:PassedToService': 'ec2.amazonaws.com' };
const OTHER_REGION_TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
const OTHER_ACCOUNT_TRAIL = `arn:aws:cloudtrail:${REGION}:999988887777:trail/main`;

describe('remediation Lambda policy, evaluated with iam-simulate', () => {
  it.each<[string, Decision, Request]>([
    ['create a role under its path', 'Allowed', ['iam:CreateRole', OWN_ROLE]],
    ['tag a role under its path', 'Allowed', ['iam:TagRole', OWN_ROLE]],
    ['write the inline policy of a role under its path', 'Allowed', ['iam:PutRolePolicy', OWN_ROLE]],
    ['repair the trust policy of a role under its path', 'Allowed', ['iam:UpdateAssumeRolePolicy', OWN_ROLE]],
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
    ['read the organization', 'Allowed', ['organizations:DescribeOrganization', '*']],
    ['create a role at the root path', 'ExplicitlyDenied', ['iam:CreateRole', ADMIN_ROLE]],
    ['create a role under another path', 'ExplicitlyDenied', ['iam:CreateRole', OTHER_PATH_ROLE]],
    [
      'write a policy on a root-path role named like its own',
      'ExplicitlyDenied',
      ['iam:PutRolePolicy', ROOT_ROLE_LIKE_OWN],
    ],
    ['write a policy on a role outside its path', 'ExplicitlyDenied', ['iam:PutRolePolicy', ADMIN_ROLE]],
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
      ['iam:DeleteRolePermissionsBoundary', OWN_ROLE],
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
    ['stop logging of a trail', 'ImplicitlyDenied', ['cloudtrail:StopLogging', OWN_TRAIL]],
    ['delete a trail', 'ImplicitlyDenied', ['cloudtrail:DeleteTrail', OWN_TRAIL]],
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
    ['put a permissions boundary on a role under its path', ['iam:PutRolePermissionsBoundary', OWN_ROLE]],
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
