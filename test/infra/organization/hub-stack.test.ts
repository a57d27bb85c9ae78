import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGuardContext } from '../../../infra/context.js';
import { type OrganizationContext, parseOrganizationContext } from '../../../infra/organization/context.js';
import { HubStack } from '../../../infra/organization/hub-stack.js';
import { organizationNames } from '../../../infra/organization/names.js';
import { SYNTH_TIMEOUT_MS } from '../support.js';
import { resolveIntrinsics } from './resolve.js';

const HUB = '111111111111';
const MEMBER = '222222222222';
/**
 * The organization's management account: a member of the organization like any other (aws:PrincipalOrgID,
 * aws:ResourceOrgID and aws:SourceOrgID name the organization of the account), which its spoke relies on.
 */
const MANAGEMENT = '444444444444';
const ORGANIZATION = 'o-a1b2c3d4e5';
const OTHER_ORGANIZATION = 'o-zzzzzzzzzz';
const RULE_FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${HUB}:function:cloudtrail-logs-guard-rule`;
const REMEDIATION_FUNCTION_ARN = `arn:aws:lambda:eu-west-1:${HUB}:function:cloudtrail-logs-guard-remediation`;

const settings = parseGuardContext(() => undefined);
const names = organizationNames(undefined);

function organizationOf(values: Record<string, string> = {}): OrganizationContext {
  const context: Record<string, string> = {
    organizationId: ORGANIZATION,
    deploymentTargets: 'ou-ab12-cdefgh34,ou-ab12-ijklmn56',
    governedRegions: 'eu-west-1,us-east-1',
    ...values,
  };
  return parseOrganizationContext((key) => context[key]);
}

/** Both hubs of a two-region organization, bundling skipped (the CI synth bundles for real). */
function synthHubs(organization = organizationOf(), hubSettings = settings) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const hub = (region: string, organizationWide: boolean) =>
    new HubStack(app, `Hub-${region}`, {
      env: { account: HUB, region },
      settings: hubSettings,
      organization,
      names,
      organizationWide,
    });
  const regional = hub('us-east-1', false);
  const primary = hub('eu-west-1', true);
  return { app, primary, regional };
}

let defaultHubs: { primary: Template; regional: Template } | undefined;

/** The templates of the default organization's hubs, synthesized once for the blocks that only read them. */
function defaultHubTemplates(): { primary: Template; regional: Template } {
  if (defaultHubs === undefined) {
    const hubs = synthHubs();
    defaultHubs = { primary: Template.fromStack(hubs.primary), regional: Template.fromStack(hubs.regional) };
  }
  return defaultHubs;
}

/** Values CloudFormation gives the hub's intrinsics in HUB, eu-west-1. */
function deployedValues(template: Template): Record<string, string> {
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': HUB,
    'AWS::Region': 'eu-west-1',
  };
  for (const [logicalId, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
    values[`${logicalId}.Arn`] = `arn:aws:lambda:eu-west-1:${HUB}:function:${fn.Properties.FunctionName}`;
  }
  for (const [logicalId, policy] of Object.entries(template.findResources('AWS::IAM::ManagedPolicy'))) {
    values[logicalId] = `arn:aws:iam::${HUB}:policy${policy.Properties.Path ?? '/'}${logicalId}`;
  }
  for (const logicalId of Object.keys(template.findResources('AWS::Logs::LogGroup'))) {
    values[`${logicalId}.Arn`] = `arn:aws:logs:eu-west-1:${HUB}:log-group:${logicalId}:*`;
  }
  for (const [logicalId, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    values[`${logicalId}.Arn`] = `arn:aws:iam::${HUB}:role/${role.Properties.RoleName ?? logicalId}`;
  }
  return values;
}

function resourcePolicyOf(template: Template, functionArn: string): unknown {
  const values = deployedValues(template);
  const policy = Object.values(template.findResources('AWS::Lambda::ResourcePolicy'))
    .map(
      (resource) =>
        resolveIntrinsics(resource.Properties, values) as { ResourceArn: string; PolicyDocument: unknown },
    )
    .find((properties) => properties.ResourceArn === functionArn);
  if (!policy) throw new Error(`no resource policy for ${functionArn}`);
  return policy.PolicyDocument;
}

async function simulate(simulation: Parameters<typeof runSimulation>[0]) {
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

describe('HubStack', () => {
  let primary: Template;
  let regional: Template;
  beforeAll(() => {
    ({ primary, regional } = defaultHubTemplates());
  }, SYNTH_TIMEOUT_MS);

  it.each([
    ['eu-west-1', () => primary],
    ['us-east-1', () => regional],
  ])('runs both Lambdas in %s under the fixed names the spoke computes', (region, template) => {
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloudtrail-logs-guard-rule',
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RuleFunction'), 'Arn'] },
    });
    template().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloudtrail-logs-guard-remediation',
    });
    template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: `cloudtrail-logs-guard-hub-rule-${region}`,
    });
    template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: `cloudtrail-logs-guard-hub-fix-${region}`,
    });
  });

  it.each([
    ['eu-west-1', () => primary],
    ['us-east-1', () => regional],
  ])(
    'reserves the default concurrency for both Lambdas in %s (rule 10, remediation 5)',
    (_region, template) => {
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'cloudtrail-logs-guard-rule',
        ReservedConcurrentExecutions: 10,
      });
      template().hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'cloudtrail-logs-guard-remediation',
        ReservedConcurrentExecutions: 5,
      });
    },
  );

  it(
    'reserves the concurrency the context sets (hubRuleConcurrency, hubRemediationConcurrency)',
    () => {
      const hubs = synthHubs(organizationOf({ hubRuleConcurrency: '40', hubRemediationConcurrency: '20' }));
      for (const hub of [hubs.primary, hubs.regional]) {
        const template = Template.fromStack(hub);
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: 'cloudtrail-logs-guard-rule',
          ReservedConcurrentExecutions: 40,
        });
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: 'cloudtrail-logs-guard-remediation',
          ReservedConcurrentExecutions: 20,
        });
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it("lets the rule Lambda read earlier results of its own account's rules (the StackSet's rule there)", () => {
    expect(identityStatementsOf(primary, 'cloudtrail-logs-guard-hub-rule-eu-west-1')).toContainEqual({
      Sid: 'ReadOwnResults',
      Action: 'config:GetComplianceDetailsByConfigRule',
      Effect: 'Allow',
      Resource: `arn:aws:config:eu-west-1:${HUB}:config-rule/*`,
    });
  });

  it("caps the roles the remediation creates in the hub's own account with a delivery boundary", () => {
    primary.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloudtrail-logs-guard-remediation',
      Environment: {
        Variables: Match.objectLike({
          PERMISSIONS_BOUNDARY_ARN: { Ref: Match.stringLikeRegexp('DeliveryBoundary') },
        }),
      },
    });
  });

  it("acts only on proof: names the spoke's document and may read this account's executions in its region", () => {
    primary.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'cloudtrail-logs-guard-remediation',
      Environment: {
        Variables: Match.objectLike({ PROOF_DOCUMENT_NAME: 'cloudtrail-logs-guard-remediation' }),
      },
    });
    expect(identityStatementsOf(primary, 'cloudtrail-logs-guard-hub-fix-eu-west-1')).toContainEqual({
      Sid: 'ReadAutomationExecutionsForProof',
      Action: 'ssm:GetAutomationExecution',
      Effect: 'Allow',
      Resource: `arn:aws:ssm:eu-west-1:${HUB}:automation-execution/*`,
    });
    expect(
      JSON.stringify(identityStatementsOf(primary, 'cloudtrail-logs-guard-hub-rule-eu-west-1')),
    ).not.toContain('ssm:');
  });

  describe.each([
    ['rule', 'cloudtrail-logs-guard-hub-rule-eu-west-1', 'cloudtrail-logs-guard-rule-eu-west-1'],
    ['remediation', 'cloudtrail-logs-guard-hub-fix-eu-west-1', 'cloudtrail-logs-guard-fix-eu-west-1'],
  ])('the %s Lambda role', (_kind, hubRole, spokeRole) => {
    it('may assume its spoke role only in accounts of the organization', () => {
      expect(identityStatementsOf(primary, hubRole)).toContainEqual({
        Sid: 'AssumeSpokeRoleInOrganization',
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Resource: `arn:aws:iam::*:role/${spokeRole}`,
        Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION } },
      });
    });

    it.each([
      ['its spoke role in a member account', 'Allowed', MEMBER, spokeRole, ORGANIZATION],
      [
        "its spoke role in the management account (the management app's)",
        'Allowed',
        MANAGEMENT,
        spokeRole,
        ORGANIZATION,
      ],
      [
        'its spoke role in an account outside the organization',
        'ImplicitlyDenied',
        MEMBER,
        spokeRole,
        OTHER_ORGANIZATION,
      ],
      [
        'another role of a member account',
        'ImplicitlyDenied',
        MEMBER,
        'OrganizationAccountAccessRole',
        ORGANIZATION,
      ],
    ])('assuming %s (iam-simulate): %s', async (_name, expected, account, targetRole, resourceOrgId) => {
      const principal = `arn:aws:iam::${HUB}:role/${hubRole}`;
      const result = await simulate({
        request: {
          principal,
          action: 'sts:AssumeRole',
          resource: { resource: `arn:aws:iam::${account}:role/${targetRole}`, accountId: account },
          contextVariables: { 'aws:ResourceOrgID': resourceOrgId },
        },
        identityPolicies: [
          {
            name: 'hub',
            policy: { Version: '2012-10-17', Statement: identityStatementsOf(primary, hubRole) },
          },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // A trust policy admitting the hub role, so the result shows what the hub role's own policy allows.
        resourcePolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
        },
      });
      expect(result).toBe(expected);
    });
  });
});

/** Every statement of the identity policies attached to the hub role named `roleName`, as deployed. */
function identityStatementsOf(template: Template, roleName: string): unknown[] {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } });
  const [logicalId] = Object.keys(roles);
  const values = deployedValues(template);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: logicalId }]))
    .flatMap(
      (policy) =>
        (resolveIntrinsics(policy.Properties.PolicyDocument, values) as { Statement: unknown[] }).Statement,
    );
}

/** `Sid Effect Action...` of each statement: what a statement grants or denies, whatever account it names. */
function grantsOf(statements: unknown[]): string[] {
  return (statements as { Sid?: string; Effect: string; Action: string | string[] }[]).map((statement) =>
    [statement.Sid, statement.Effect, ...[statement.Action].flat().sort()].join(' '),
  );
}

/** The statements of the spoke role whose logical id starts with `roleId`: inline, and of policies attached to it. */
function spokeRoleStatements(spoke: Template, roleId: string): unknown[] {
  const [logicalId, role] = Object.entries(spoke.findResources('AWS::IAM::Role')).find(([id]) =>
    id.startsWith(roleId),
  ) ?? [undefined, undefined];
  if (logicalId === undefined) throw new Error(`no spoke role ${roleId}`);
  const inline = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: unknown[] } }[];
  const attached = Object.values(spoke.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(JSON.stringify({ Ref: logicalId })),
  );
  return [
    ...inline.flatMap((policy) => policy.PolicyDocument.Statement),
    ...attached.flatMap((policy) => policy.Properties.PolicyDocument.Statement as unknown[]),
  ];
}

describe('HubStack in its own account', () => {
  // A spoke in the hub account (the StackSet's, when the delegated administrator is in a target OU; the management
  // app's, when the hub is the management account) sends events and requests for the hub's own account, and the
  // hub Lambdas then act with their own roles (common/account-credentials.ts), not the spoke's.
  it.each([
    ['the monitoring off', {}],
    ['the monitoring on', { monitoring: 'true' }],
  ])(
    'gives each hub role every grant and deny of the spoke role it stands in for, with %s',
    (_name, context: Record<string, string>) => {
      const hubSettings = parseGuardContext((key) => context[key]);
      const primary = Template.fromStack(synthHubs(organizationOf(), hubSettings).primary);
      const [stackSet] = Object.values(primary.findResources('AWS::CloudFormation::StackSet'));
      const spoke = Template.fromJSON(JSON.parse(stackSet?.Properties.TemplateBody));

      for (const [hubRole, spokeRole] of [
        ['cloudtrail-logs-guard-hub-rule-eu-west-1', 'RuleExecutionRole'],
        ['cloudtrail-logs-guard-hub-fix-eu-west-1', 'RemediationExecutionRole'],
      ] as const) {
        const hubGrants = grantsOf(identityStatementsOf(primary, hubRole));
        expect(hubGrants).toEqual(expect.arrayContaining(grantsOf(spokeRoleStatements(spoke, spokeRole))));
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "names no monitoring topic of its own: the spoke's request names the spoke's topic",
    () => {
      const hubSettings = parseGuardContext((key) => (key === 'monitoring' ? 'true' : undefined));
      const primary = Template.fromStack(synthHubs(organizationOf(), hubSettings).primary);

      const [remediation] = Object.values(
        primary.findResources('AWS::Lambda::Function', {
          Properties: { FunctionName: 'cloudtrail-logs-guard-remediation' },
        }),
      );
      expect(Object.keys(remediation?.Properties.Environment.Variables)).not.toContain(
        'MONITORING_TOPIC_ARN',
      );
      primary.resourceCountIs('AWS::SNS::Topic', 0);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'passes cdk-nag (AwsSolutions) with the monitoring on',
    () => {
      const hubSettings = parseGuardContext((key) => (key === 'monitoring' ? 'true' : undefined));
      const { app } = synthHubs(organizationOf(), hubSettings);
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

      expect(() => app.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('HubStack function policies', () => {
  let primary: Template;
  beforeAll(() => {
    primary = defaultHubTemplates().primary;
  }, SYNTH_TIMEOUT_MS);

  it('admits AWS Config to the rule Lambda in one statement, by aws:SourceOrgID when Config sends it', () => {
    expect(resourcePolicyOf(primary, RULE_FUNCTION_ARN)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ConfigRulesOfTheOrganization',
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Resource: RULE_FUNCTION_ARN,
          Condition: { StringEqualsIfExists: { 'aws:SourceOrgID': ORGANIZATION } },
        },
      ],
    });
    primary.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it(
    'ignores ruleInvokerAccounts with a warning: no statement per account',
    () => {
      const { primary: hub } = synthHubs(organizationOf({ ruleInvokerAccounts: MEMBER }));
      const template = Template.fromStack(hub);

      expect(
        (resourcePolicyOf(template, RULE_FUNCTION_ARN) as { Statement: unknown[] }).Statement,
      ).toHaveLength(1);
      Annotations.fromStack(hub).hasWarning(
        '*',
        'The ruleInvokerAccounts context is no longer needed and is ignored: the rule Lambda admits AWS Config of ' +
          'every account of the organization, with or without aws:SourceOrgID. Remove it from the context. ' +
          '[ack: cloudtrail-logs-guard:ruleInvokerAccounts]',
      );
    },
    SYNTH_TIMEOUT_MS,
  );

  it.each([
    [
      'a rule of a member account, aws:SourceOrgID sent',
      { 'aws:SourceOrgID': ORGANIZATION, 'aws:SourceAccount': MEMBER },
      'Allowed',
    ],
    [
      'the rule of the management account (the management app deploys it), aws:SourceOrgID sent',
      { 'aws:SourceOrgID': ORGANIZATION, 'aws:SourceAccount': MANAGEMENT },
      'Allowed',
    ],
    [
      'a rule of a member account that joined after the deployment, no aws:SourceOrgID sent',
      { 'aws:SourceAccount': '333333333333' },
      'Allowed',
    ],
    [
      'a rule of an account of another organization, aws:SourceOrgID sent',
      { 'aws:SourceOrgID': OTHER_ORGANIZATION, 'aws:SourceAccount': '999999999999' },
      'ImplicitlyDenied',
    ],
  ])('AWS Config invoking the rule Lambda for %s (iam-simulate): %s', async (_name, context, expected) => {
    const result = await simulate({
      request: {
        principal: 'config.amazonaws.com',
        action: 'lambda:InvokeFunction',
        resource: { resource: RULE_FUNCTION_ARN, accountId: HUB },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: resourcePolicyOf(primary, RULE_FUNCTION_ARN),
    });
    expect(result).toBe(expected);
  });

  it('stays one statement whatever the number of accounts (a Lambda resource policy holds at most 20 KB)', () => {
    const policy = JSON.stringify(resourcePolicyOf(primary, RULE_FUNCTION_ARN));

    expect(Buffer.byteLength(policy, 'utf8')).toBeLessThan(1_024);
  });

  it('admits only the spoke automation roles of the organization to the remediation Lambda', () => {
    expect(resourcePolicyOf(primary, REMEDIATION_FUNCTION_ARN)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SpokeAutomationRolesOfTheOrganization',
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Resource: REMEDIATION_FUNCTION_ARN,
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/cloudtrail-logs-guard-ssm-eu-west-1' },
          },
        },
      ],
    });
  });

  it.each([
    [
      'the spoke automation role of a member account',
      'cloudtrail-logs-guard-ssm-eu-west-1',
      ORGANIZATION,
      'Allowed',
    ],
    [
      'the spoke automation role of the management account',
      'cloudtrail-logs-guard-ssm-eu-west-1',
      ORGANIZATION,
      'Allowed',
      MANAGEMENT,
    ],
    [
      'a same-named role outside the organization',
      'cloudtrail-logs-guard-ssm-eu-west-1',
      OTHER_ORGANIZATION,
      'ImplicitlyDenied',
    ],
    ['another role of a member account', 'developer', ORGANIZATION, 'ImplicitlyDenied'],
  ])(
    '%s invoking the remediation Lambda (iam-simulate): %s',
    async (_name, roleName, organization, expected, account = MEMBER) => {
      const principal = `arn:aws:iam::${account}:role/${roleName}`;
      const result = await simulate({
        request: {
          principal,
          action: 'lambda:InvokeFunction',
          resource: { resource: REMEDIATION_FUNCTION_ARN, accountId: HUB },
          contextVariables: { 'aws:PrincipalOrgID': organization, 'aws:PrincipalArn': principal },
        },
        // The spoke automation role's own policy (see spoke-stack.test.ts), given to every caller here.
        identityPolicies: [
          {
            name: 'invoke',
            policy: {
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: REMEDIATION_FUNCTION_ARN },
              ],
            },
          },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: resourcePolicyOf(primary, REMEDIATION_FUNCTION_ARN),
      });
      expect(result).toBe(expected);
    },
  );
});

describe('HubStack organization-wide pieces', () => {
  let primary: Template;
  let regional: Template;
  beforeAll(() => {
    ({ primary, regional } = defaultHubTemplates());
  }, SYNTH_TIMEOUT_MS);

  it('aggregates every account and region of the organization through a role with AWSConfigRoleForOrganizations', () => {
    primary.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      ConfigurationAggregatorName: 'cloudtrail-logs-guard-organization',
      OrganizationAggregationSource: {
        AllAwsRegions: true,
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AggregatorRole'), 'Arn'] },
      },
    });
    primary.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': HUB } },
          },
        ],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::aws:policy/service-role/AWSConfigRoleForOrganizations',
            ],
          ],
        },
      ],
    });
  });

  it.each([
    ["for the hub account's own aggregator", HUB, 'Allowed'],
    ["for another account's aggregator naming this role (confused deputy)", MEMBER, 'ImplicitlyDenied'],
    ['with no source account', undefined, 'ImplicitlyDenied'],
  ])(
    'lets AWS Config assume the aggregator role %s (iam-simulate): %s',
    async (_name, sourceAccount, expected) => {
      const [role] = Object.values(primary.findResources('AWS::IAM::Role')).filter((candidate) =>
        JSON.stringify(candidate.Properties.ManagedPolicyArns ?? []).includes(
          'AWSConfigRoleForOrganizations',
        ),
      );
      const trust = resolveIntrinsics(role?.Properties.AssumeRolePolicyDocument, deployedValues(primary));
      const result = await simulate({
        request: {
          principal: 'config.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: { resource: `arn:aws:iam::${HUB}:role/AggregatorRole`, accountId: HUB },
          contextVariables: sourceAccount === undefined ? {} : { 'aws:SourceAccount': sourceAccount },
        },
        identityPolicies: [],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: trust as Parameters<typeof simulate>[0]['resourcePolicy'],
      });
      expect(result).toBe(expected);
    },
  );

  it('deploys the spoke with a service-managed StackSet, automatically, to the targets and governed regions', () => {
    primary.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'cloudtrail-logs-guard-spoke',
      PermissionModel: 'SERVICE_MANAGED',
      CallAs: 'DELEGATED_ADMIN',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [{ ParameterKey: 'HubAccountId', ParameterValue: HUB }],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'] },
          Regions: ['eu-west-1', 'us-east-1'],
        },
      ],
    });
  });

  it(
    'creates the StackSet as the management account when callAs is SELF',
    () => {
      const template = Template.fromStack(synthHubs(organizationOf({ callAs: 'SELF' })).primary);

      template.hasResourceProperties('AWS::CloudFormation::StackSet', { CallAs: 'SELF' });
    },
    SYNTH_TIMEOUT_MS,
  );

  it('carries the spoke template inline, with no asset', () => {
    const [stackSet] = Object.values(primary.findResources('AWS::CloudFormation::StackSet'));
    const spoke = Template.fromJSON(JSON.parse(stackSet?.Properties.TemplateBody));

    spoke.resourceCountIs('AWS::Config::ConfigRule', 1);
    spoke.resourceCountIs('AWS::Config::RemediationConfiguration', 1);
    spoke.resourceCountIs('AWS::SSM::Document', 1);
    spoke.resourceCountIs('AWS::IAM::Role', 3);
    spoke.resourceCountIs('AWS::Lambda::Function', 0);
    expect(stackSet?.Properties.TemplateBody).not.toMatch(/cdk-hnb659fds|AssetParameters|BootstrapVersion/);
  });

  it('deploys the spokes only after the function policies and hub roles they depend on', () => {
    const [stackSet] = Object.values(primary.findResources('AWS::CloudFormation::StackSet'));

    expect(stackSet?.DependsOn).toEqual(
      expect.arrayContaining([
        'RuleFunctionPolicy',
        'RemediationFunctionPolicy',
        expect.stringMatching(/^RuleFunctionLambdaRole/),
        expect.stringMatching(/^RemediationFunctionLambdaRole/),
      ]),
    );
  });

  it('keeps the StackSet and the aggregator out of the other regions', () => {
    regional.resourceCountIs('AWS::CloudFormation::StackSet', 0);
    regional.resourceCountIs('AWS::Config::ConfigurationAggregator', 0);
    regional.resourceCountIs('AWS::Lambda::ResourcePolicy', 2);
  });

  it(
    'passes cdk-nag (AwsSolutions) for both hubs and the spoke',
    () => {
      const { app } = synthHubs();
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

      expect(() => app.synth()).not.toThrow();
    },
    SYNTH_TIMEOUT_MS,
  );
});
