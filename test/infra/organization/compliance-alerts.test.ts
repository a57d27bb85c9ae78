import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertingEventsPattern } from '../../../infra/compliance-alerts.js';
import { parseGuardContext } from '../../../infra/context.js';
import { parseOrganizationContext } from '../../../infra/organization/context.js';
import { HubStack } from '../../../infra/organization/hub-stack.js';
import { organizationNames } from '../../../infra/organization/names.js';
import { SpokeStack } from '../../../infra/organization/spoke-stack.js';
import { SYNTH_TIMEOUT_MS } from '../support.js';
import { resolveIntrinsics } from './resolve.js';

const HUB = '111111111111';
const MEMBER = '222222222222';
const OUTSIDER = '999999999999';
const ORGANIZATION = 'o-a1b2c3d4e5';
const OTHER_ORGANIZATION = 'o-zzzzzzzzzz';
const BUS_ARN = `arn:aws:events:eu-west-1:${HUB}:event-bus/cloudtrail-logs-guard-alerts`;

const names = organizationNames(undefined);
const alertsOn = parseGuardContext((key) => (key === 'complianceAlerts' ? 'true' : undefined));
const organization = parseOrganizationContext(
  (key) =>
    ({
      organizationId: ORGANIZATION,
      deploymentTargets: 'ou-ab12-cdefgh34',
      governedRegions: 'eu-west-1,us-east-1',
    })[key as string],
);

function hubTemplates(settings = alertsOn) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const hub = (region: string, organizationWide: boolean) =>
    new HubStack(app, `Hub-${region}`, {
      env: { account: HUB, region },
      settings,
      organization,
      names,
      organizationWide,
    });
  const regional = hub('us-east-1', false);
  const primary = hub('eu-west-1', true);
  return { regional: Template.fromStack(regional), primary: Template.fromStack(primary) };
}

/** The bus policy's one statement, as deployed in HUB, eu-west-1. */
function busStatement(template: Template): Record<string, unknown> {
  const [policy] = Object.values(template.findResources('AWS::Events::EventBusPolicy'));
  const [busId] = Object.keys(template.findResources('AWS::Events::EventBus'));
  if (policy === undefined || busId === undefined) throw new Error('no alert bus or bus policy in the hub');
  return resolveIntrinsics(policy.Properties.Statement, {
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-1',
    'AWS::AccountId': HUB,
    [`${busId}.Arn`]: BUS_ARN,
  }) as Record<string, unknown>;
}

describe('organization hub with context complianceAlerts', () => {
  let primary: Template;
  let regional: Template;
  beforeAll(() => {
    ({ primary, regional } = hubTemplates());
  }, SYNTH_TIMEOUT_MS);

  it('creates one alert bus under the fixed name the spokes compute, in the organization-wide hub only', () => {
    primary.resourceCountIs('AWS::Events::EventBus', 1);
    primary.hasResourceProperties('AWS::Events::EventBus', { Name: 'cloudtrail-logs-guard-alerts' });
    regional.resourceCountIs('AWS::Events::EventBus', 0);
    regional.resourceCountIs('AWS::Events::Rule', 0);
    regional.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('admits events:PutEvents on the bus from principals of the organization only', () => {
    expect(busStatement(primary)).toEqual({
      Sid: 'SpokesOfTheOrganizationPutEvents',
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: BUS_ARN,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION } },
    });
    primary.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: Match.stringLikeRegexp('^AlertBus') },
      StatementId: 'SpokesOfTheOrganizationPutEvents',
    });
  });

  it('alerts from the bus, not the default bus, to one encrypted topic', () => {
    const rules = Object.values(primary.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Properties.EventBusName).toEqual({
        Ref: Object.keys(primary.findResources('AWS::Events::EventBus'))[0],
      });
      expect(rule.Properties.EventPattern.detail.configRuleName).toEqual([
        'cloudtrail-cloudwatch-logs-integrated',
      ]);
    }
    primary.resourceCountIs('AWS::SNS::Topic', 1);
    primary.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertBusAlertsKey'), 'Arn'] },
    });
    primary.hasOutput('ComplianceAlertTopicArn', {});
  });

  it('starts the spokes only once the bus and its policy exist', () => {
    const [stackSet] = Object.values(primary.findResources('AWS::CloudFormation::StackSet'));
    const busIds = Object.keys(primary.findResources('AWS::Events::EventBus'));
    const policyIds = Object.keys(primary.findResources('AWS::Events::EventBusPolicy'));
    expect(stackSet?.DependsOn).toEqual(expect.arrayContaining([...busIds, ...policyIds]));
  });

  it('deploys spokes that forward to the bus in the organization-wide region', () => {
    const [stackSet] = Object.values(primary.findResources('AWS::CloudFormation::StackSet'));
    const spoke = JSON.parse(stackSet?.Properties.TemplateBody as string) as {
      Resources: Record<string, { Type: string; Properties: { Targets?: { Arn: unknown }[] } }>;
    };
    const forwarding = Object.values(spoke.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(forwarding).toHaveLength(1);
    const target = forwarding[0]?.Properties.Targets?.[0]?.Arn;
    // Deployed in a member account of the other governed region: the bus stays the eu-west-1 hub's.
    expect(
      resolveIntrinsics(target, { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', HubAccountId: HUB }),
    ).toBe(BUS_ARN);
  });

  it.each<[string, string, Record<string, string>, string]>([
    ['a spoke role of a member account', 'Allowed', { 'aws:PrincipalOrgID': ORGANIZATION }, MEMBER],
    [
      'a role of an account of another organization',
      'ImplicitlyDenied',
      { 'aws:PrincipalOrgID': OTHER_ORGANIZATION },
      OUTSIDER,
    ],
    ['a role of an account in no organization', 'ImplicitlyDenied', {}, OUTSIDER],
  ])('PutEvents on the bus by %s (iam-simulate): %s', async (_name, expected, context, account) => {
    const principal = `arn:aws:iam::${account}:role/cloudtrail-logs-guard-forwarder`;
    const response = await runSimulation(
      {
        request: {
          principal,
          action: 'events:PutEvents',
          resource: { resource: BUS_ARN, accountId: HUB },
          contextVariables: context,
        },
        // The sender's own policy allows the call, so the result is the bus policy's decision.
        identityPolicies: [
          {
            name: 'forwarder',
            policy: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN }],
            },
          },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: { Version: '2012-10-17', Statement: [busStatement(primary)] },
      },
      {},
    );
    if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
    expect(response.overallResult).toBe(expected);
  });

  it('creates no bus, rule or topic with the alerts off', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { primary: hub } = hubTemplates(parseGuardContext(() => undefined));
    hub.resourceCountIs('AWS::Events::EventBus', 0);
    hub.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    hub.resourceCountIs('AWS::Events::Rule', 0);
  });
});

describe('organization spoke with context complianceAlerts', () => {
  const DEPLOYED = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'us-east-1',
    'AWS::AccountId': MEMBER,
    HubAccountId: HUB,
  };
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(
      new SpokeStack(new App(), 'Spoke', { settings: alertsOn, names, alertBusRegion: 'eu-west-1' }),
    );
  }, SYNTH_TIMEOUT_MS);

  it("forwards the rule's alerting events from the default bus to the hub's bus, with a role", () => {
    const [rule] = Object.values(template.findResources('AWS::Events::Rule'));
    const properties = resolveIntrinsics(rule?.Properties, {
      ...DEPLOYED,
      [`${Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('forward') } }))[0]}.Arn`]:
        'forwarder-role',
    }) as Record<string, unknown>;
    const { detail, ...rest } = alertingEventsPattern('cloudtrail-cloudwatch-logs-integrated') as Record<
      string,
      unknown
    >;
    expect(properties).toEqual({
      Description: 'Forwards the CloudTrail trail compliance changes that alert to the hub alert bus.',
      State: 'ENABLED',
      EventPattern: { source: rest.source, 'detail-type': rest.detailType, detail },
      Targets: [{ Id: 'Target0', Arn: BUS_ARN, RoleArn: 'forwarder-role' }],
    });
  });

  it('gives the role only events:PutEvents on that bus, and lets only EventBridge of this account assume it', () => {
    const role = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: { Description: Match.stringLikeRegexp('forward') },
      }),
    )[0];
    expect(resolveIntrinsics(role?.Properties.AssumeRolePolicyDocument, DEPLOYED)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': MEMBER } },
        },
      ],
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.PolicyName).includes('AlertForwarding'))
      .flatMap(
        (policy) =>
          (resolveIntrinsics(policy.Properties.PolicyDocument, DEPLOYED) as { Statement: unknown[] })
            .Statement,
      );
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN }]);
  });

  it('forwards nothing without the alerts', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const spoke = Template.fromStack(
      new SpokeStack(new App(), 'Spoke', { settings: parseGuardContext(() => undefined), names }),
    );
    spoke.resourceCountIs('AWS::Events::Rule', 0);
  });
});
