import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGuardContext } from '../../../infra/context.js';
import { organizationNames } from '../../../infra/organization/names.js';
import { SpokeStack } from '../../../infra/organization/spoke-stack.js';
import {
  monitoringScopeOf,
  monitoringStatements,
  remediationScopeOf,
  remediationStatements,
} from '../../../infra/remediation-function.js';
import { ruleStatements } from '../../../infra/rule-function.js';
import { SYNTH_TIMEOUT_MS } from '../support.js';
import { resolveIntrinsics } from './resolve.js';

const HUB = '111111111111';
const MEMBER = '222222222222';
const FOREIGN = '999999999999';
const REGION = 'eu-west-1';
const ORGANIZATION = 'o-a1b2c3d4e5';

const settings = parseGuardContext(() => undefined);
const names = organizationNames(undefined);

let defaultSpoke: Template | undefined;

/** The template of the spoke with the default context, synthesized once for the tests that only read it. */
function defaultSpokeTemplate(): Template {
  defaultSpoke ??= Template.fromStack(new SpokeStack(new App(), 'Spoke', { settings, names }));
  return defaultSpoke;
}

const BOUNDARY_ARN = `arn:aws:iam::${MEMBER}:policy/cloudtrail-logs-guard/cloudtrail-logs-guard-boundary-${REGION}`;

/** The values CloudFormation gives the intrinsics when the StackSet deploys in MEMBER, REGION. */
const DEPLOYED: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': MEMBER,
  HubAccountId: HUB,
};

/** The spoke's delivery boundary resolves to BOUNDARY_ARN (a Ref to it, under its generated logical id). */
function withBoundary(template: Template): void {
  for (const logicalId of Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))) {
    DEPLOYED[logicalId] = BOUNDARY_ARN;
  }
}

function roleProperties(template: Template, roleName: string): Record<string, unknown> {
  const roles = template.findResources('AWS::IAM::Role');
  const found = Object.values(roles).find(
    (role) => resolveIntrinsics(role.Properties.RoleName, DEPLOYED) === roleName,
  );
  if (!found) throw new Error(`no role ${roleName} in the spoke template`);
  return resolveIntrinsics(found.Properties, DEPLOYED) as Record<string, unknown>;
}

/** Single-account statements as an own-account stack would render them, for the same account and region. */
function singleAccountDocument(statements: (stack: Stack) => { toStatementJson(): unknown }[]): unknown {
  const stack = new Stack(new App(), 'SingleAccount');
  return resolveIntrinsics(
    stack.resolve(statements(stack).map((statement) => statement.toStatementJson())),
    DEPLOYED,
  );
}

describe('SpokeStack', () => {
  let template: Template;
  beforeAll(() => {
    template = defaultSpokeTemplate();
    withBoundary(template);
  }, SYNTH_TIMEOUT_MS);

  it('holds no asset, no Lambda function and no bootstrap check', () => {
    const json = template.toJSON();
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(json.Parameters).toEqual({
      HubAccountId: {
        Type: 'String',
        AllowedPattern: '^\\d{12}$',
        Description: 'Account that runs the hub stack (the rule and remediation Lambdas).',
      },
    });
    expect(json.Rules).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('cdk-hnb659fds');
  });

  it('points the Config rule at the hub rule Lambda of the same region and names the role to assume', () => {
    const rules = template.findResources('AWS::Config::ConfigRule');
    const [rule] = Object.values(rules);
    const properties = resolveIntrinsics(rule?.Properties, DEPLOYED) as Record<string, unknown>;

    expect(properties).toMatchObject({
      ConfigRuleName: 'cloudtrail-cloudwatch-logs-integrated',
      InputParameters: { ExecutionRoleName: 'cloudtrail-logs-guard-rule-eu-west-1' },
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: 'arn:aws:lambda:eu-west-1:111111111111:function:cloudtrail-logs-guard-rule',
      },
    });
    expect(rule?.DependsOn).toEqual([expect.stringMatching(/^RuleExecutionRole/)]);
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('runs the remediation document as the spoke automation role, invoking the hub remediation Lambda by ARN', () => {
    const [document] = Object.values(template.findResources('AWS::SSM::Document'));
    const content = resolveIntrinsics(document?.Properties.Content, DEPLOYED) as {
      mainSteps: { action: string; inputs: Record<string, unknown> }[];
    };

    expect(content.mainSteps[0]).toMatchObject({
      action: 'aws:invokeLambdaFunction',
      inputs: {
        FunctionName: 'arn:aws:lambda:eu-west-1:111111111111:function:cloudtrail-logs-guard-remediation',
      },
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      ConfigRuleName: { Ref: Match.stringLikeRegexp('^TrailLogsRule') },
      TargetType: 'SSM_DOCUMENT',
      TargetId: { Ref: 'RemediationDocument' },
      Parameters: Match.objectLike({
        AutomationAssumeRole: {
          StaticValue: { Values: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AutomationRole'), 'Arn'] }] },
        },
        TrailName: { ResourceValue: { Value: 'RESOURCE_ID' } },
      }),
    });
    expect(roleProperties(template, 'cloudtrail-logs-guard-ssm-eu-west-1')).toMatchObject({
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'ssm.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': MEMBER } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'invoke',
          PolicyDocument: {
            Statement: [
              {
                Sid: 'InvokeHubRemediationFunction',
                Action: 'lambda:InvokeFunction',
                Effect: 'Allow',
                Resource: 'arn:aws:lambda:eu-west-1:111111111111:function:cloudtrail-logs-guard-remediation',
              },
            ],
          },
        },
      ],
    });
  });

  it.each([
    [
      'cloudtrail-logs-guard-rule-eu-west-1',
      'cloudtrail-logs-guard-hub-rule-eu-west-1',
      'rule',
      ruleStatements,
    ],
    [
      'cloudtrail-logs-guard-fix-eu-west-1',
      'cloudtrail-logs-guard-hub-fix-eu-west-1',
      'remediation',
      (stack: Stack) => remediationStatements(remediationScopeOf(stack, BOUNDARY_ARN)),
    ],
  ])(
    '%s trusts only %s and holds exactly the single-account %s permissions',
    (roleName, hubRole, policy, statements) => {
      const properties = roleProperties(template, roleName);

      expect(properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${HUB}:role/${hubRole}` },
          },
        ],
      });
      expect(properties.Policies).toEqual([
        {
          PolicyName: policy,
          PolicyDocument: { Version: '2012-10-17', Statement: singleAccountDocument(statements) },
        },
      ]);
    },
  );

  it("lets the rule role read the rule's own earlier results, as the single-account rule Lambda may", () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ReadOwnResults',
            Action: 'config:GetComplianceDetailsByConfigRule',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TrailLogsRule'), 'Arn'] },
          },
        ],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^RuleExecutionRole') }],
    });
  });

  describe('trust (iam-simulate)', () => {
    async function assume(roleName: string, principal: string, resourceOrgId: string) {
      const trust = roleProperties(template, roleName).AssumeRolePolicyDocument;
      const response = await runSimulation(
        {
          request: {
            principal,
            action: 'sts:AssumeRole',
            resource: { resource: `arn:aws:iam::${MEMBER}:role/${roleName}`, accountId: MEMBER },
            contextVariables: { 'aws:ResourceOrgID': resourceOrgId },
          },
          // What the hub roles hold (see hub-stack.test.ts); a foreign role is given the same to show the
          // trust policy alone keeps it out.
          identityPolicies: [
            {
              name: 'assume-spoke',
              policy: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: 'sts:AssumeRole',
                    Resource: `arn:aws:iam::*:role/${roleName}`,
                    Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION } },
                  },
                ],
              },
            },
          ],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: trust,
        },
        {},
      );
      if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
      return response.overallResult;
    }

    it.each([
      [
        'the hub rule role',
        'cloudtrail-logs-guard-rule-eu-west-1',
        `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-rule-eu-west-1`,
        ORGANIZATION,
        'Allowed',
      ],
      [
        'the hub remediation role',
        'cloudtrail-logs-guard-fix-eu-west-1',
        `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-fix-eu-west-1`,
        ORGANIZATION,
        'Allowed',
      ],
      [
        'a same-named role in a foreign account',
        'cloudtrail-logs-guard-rule-eu-west-1',
        `arn:aws:iam::${FOREIGN}:role/cloudtrail-logs-guard-hub-rule-eu-west-1`,
        ORGANIZATION,
        'ImplicitlyDenied',
      ],
      [
        'the hub rule role on the remediation role',
        'cloudtrail-logs-guard-fix-eu-west-1',
        `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-rule-eu-west-1`,
        ORGANIZATION,
        'ImplicitlyDenied',
      ],
      [
        'another role of the hub account',
        'cloudtrail-logs-guard-rule-eu-west-1',
        `arn:aws:iam::${HUB}:role/admin`,
        ORGANIZATION,
        'ImplicitlyDenied',
      ],
      [
        'the hub rule role, outside the organization',
        'cloudtrail-logs-guard-rule-eu-west-1',
        `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-rule-eu-west-1`,
        'o-zzzzzzzzzz',
        'ImplicitlyDenied',
      ],
    ])('%s assuming %s: %s', async (_name, roleName, principal, resourceOrgId, expected) => {
      expect(await assume(roleName, principal, resourceOrgId)).toBe(expected);
    });
  });

  it('names its document as the hub expects and sends the execution id for the hub to read back', () => {
    template.hasResourceProperties('AWS::SSM::Document', { Name: 'cloudtrail-logs-guard-remediation' });
    const [document] = Object.values(template.findResources('AWS::SSM::Document'));
    const content = resolveIntrinsics(document?.Properties.Content, DEPLOYED) as {
      mainSteps: { inputs: { Payload?: string } }[];
    };

    expect(content.mainSteps[0]?.inputs.Payload).toContain(
      '"AutomationExecutionId":"{{automation:EXECUTION_ID}}"',
    );
  });

  describe('the fix role reading automation executions for the hub (iam-simulate)', () => {
    function executionPolicy(): unknown {
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy.Properties.PolicyDocument).includes('ssm:'),
      );
      expect(policies).toHaveLength(1);
      const [policy] = policies;
      expect(policy?.Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^RemediationExecutionRole/) }]);
      return resolveIntrinsics(policy?.Properties.PolicyDocument, DEPLOYED);
    }

    it.each([
      [
        'GetAutomationExecution in its account and region',
        'ssm:GetAutomationExecution',
        MEMBER,
        REGION,
        'Allowed',
      ],
      [
        'GetAutomationExecution in another region',
        'ssm:GetAutomationExecution',
        MEMBER,
        'us-east-1',
        'ImplicitlyDenied',
      ],
      [
        'GetAutomationExecution in another account',
        'ssm:GetAutomationExecution',
        FOREIGN,
        REGION,
        'ImplicitlyDenied',
      ],
      ['StopAutomationExecution', 'ssm:StopAutomationExecution', MEMBER, REGION, 'ImplicitlyDenied'],
    ])('%s: %s', async (_name, action, account, region, expected) => {
      const response = await runSimulation(
        {
          request: {
            principal: `arn:aws:iam::${MEMBER}:role/cloudtrail-logs-guard-fix-eu-west-1`,
            action,
            resource: {
              resource: `arn:aws:ssm:${region}:${account}:automation-execution/4105a4fc-f944-11e6-9d32-8fb2db27a909`,
              accountId: account,
            },
            contextVariables: {},
          },
          identityPolicies: [{ name: 'proof', policy: executionPolicy() }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
      expect(response.overallResult).toBe(expected);
    });
  });

  it('leaves no delivery boundary behind after a failed first create, and none that blocks a re-create', () => {
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResource('AWS::IAM::ManagedPolicy', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ ManagedPolicyName: Match.absent() }),
    });
  });

  it(
    'passes cdk-nag (AwsSolutions) with every acknowledgement next to its role',
    () => {
      const app = new App();
      new SpokeStack(app, 'Spoke', { settings, names });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

      expect(() => app.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('SpokeStack with context monitoring', () => {
  const monitored = parseGuardContext((key) => (key === 'monitoring' ? 'true' : undefined));
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(new SpokeStack(new App(), 'Spoke', { settings: monitored, names }));
    withBoundary(template);
  }, SYNTH_TIMEOUT_MS);

  it('creates no topic by default', () => {
    defaultSpokeTemplate().resourceCountIs('AWS::SNS::Topic', 0);
  });

  it("gives the fix role the single-account Lambda's monitoring statements, unchanged", () => {
    const policy = roleProperties(template, 'cloudtrail-logs-guard-fix-eu-west-1').Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: unknown[] };
    }[];
    const remediation = policy.find(({ PolicyName }) => PolicyName === 'remediation');
    expect(remediation?.PolicyDocument.Statement).toEqual(
      singleAccountDocument((stack) => [
        ...remediationStatements(remediationScopeOf(stack, BOUNDARY_ARN)),
        ...monitoringStatements(remediationScopeOf(stack, BOUNDARY_ARN), monitoringScopeOf(stack)),
      ]),
    );
  });

  it("creates this account's encrypted topic and turns Monitoring on with it in the remediation", () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Parameters: Match.objectLike({
        Monitoring: { StaticValue: { Values: ['true'] } },
        MonitoringTopicArn: {
          StaticValue: { Values: [{ Ref: Match.stringLikeRegexp('^MonitoringTopic') }] },
        },
      }),
    });
  });

  it('subscribes the alarm emails to the topic of every account and region it is deployed to', () => {
    const settings = parseGuardContext(
      (key) => ({ monitoring: 'true', alarmEmail: 'security@example.com' })[key as string],
    );
    const subscribed = Template.fromStack(new SpokeStack(new App(), 'Spoke', { settings, names }));
    subscribed.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^MonitoringTopic') },
    });
  });

  it("refuses the team's topic (alarmTopicArn): one template serves many accounts", () => {
    const settings = parseGuardContext(
      (key) =>
        ({ monitoring: 'true', alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:alerts' })[key as string],
    );
    expect(() => new SpokeStack(new App(), 'Spoke', { settings, names })).toThrow(
      /Invalid CDK context 'alarmTopicArn'.*no value in the organization app/,
    );
  });

  it(
    'passes cdk-nag (AwsSolutions)',
    () => {
      const app = new App();
      new SpokeStack(app, 'Spoke', { settings: monitored, names });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );
});
