import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  onlyResource,
  resolveIntrinsics,
  SYNTH_TIMEOUT_MS,
  synthGuard,
  TEST_ACCOUNT,
  TEST_REGION,
} from './support.js';

const TOPIC_REF = { Ref: Match.stringLikeRegexp('^MonitoringTopic') };
const TEAM_TOPIC = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:security-alerts`;
const PROJECT_ALARMS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':cloudwatch:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':alarm:cloudtrail-logs-guard-*',
    ],
  ],
};

describe('GuardStack with context monitoring', () => {
  it('creates no topic, key or monitoring setting by default', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    const [remediation] = Object.values(template.findResources('AWS::Config::RemediationConfiguration'));
    expect(Object.keys(remediation?.Properties.Parameters ?? {})).not.toContain('Monitoring');
  });

  it('creates a KMS-encrypted topic only the project alarms of this account may publish to', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ monitoring: 'true' });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsOfThisAccountEncryptForTheTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: TOPIC_REF,
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': PROJECT_ALARMS },
            },
          },
          {
            Sid: 'DenyPublishNotFromThisAccount',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: TOPIC_REF,
            Condition: { StringNotEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
          {
            Sid: 'DenyPublishNotFromItsAlarms',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: TOPIC_REF,
            Condition: { ArnNotLike: { 'aws:SourceArn': PROJECT_ALARMS } },
          },
        ],
      },
    });
  });

  it('tells the remediation Lambda the topic and turns Monitoring on in the remediation', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ monitoring: 'true' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MONITORING_TOPIC_ARN: TOPIC_REF }) },
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Parameters: Match.objectLike({ Monitoring: { StaticValue: { Values: ['true'] } } }),
    });
    template.hasOutput('MonitoringTopicArn', { Value: TOPIC_REF });
  });

  it('subscribes the alarm emails and HTTPS endpoints to the topic', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard({
      monitoring: 'true',
      alarmEmail: 'security@example.com,oncall@example.com',
      alarmHttpsEndpoint: 'https://alerts.example.com/sns',
    });
    template.resourceCountIs('AWS::SNS::Subscription', 3);
    for (const [protocol, endpoint] of [
      ['email', 'security@example.com'],
      ['email', 'oncall@example.com'],
      ['https', 'https://alerts.example.com/sns'],
    ]) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: protocol,
        Endpoint: endpoint,
        TopicArn: TOPIC_REF,
      });
    }
  });

  it("creates no topic and points the alarms at the team's topic with alarmTopicArn", {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ monitoring: 'true', alarmTopicArn: TEAM_TOPIC });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MONITORING_TOPIC_ARN: TEAM_TOPIC }) },
    });
    template.hasOutput('MonitoringTopicArn', { Value: TEAM_TOPIC });
  });
});

type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The topic policy as CloudFormation would deploy it in TEST_ACCOUNT and TEST_REGION. */
function topicPolicy(template: Template, topicArn: string): unknown {
  const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy');
  const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
  return resolveIntrinsics(policy.Properties.PolicyDocument, { [topicId ?? '']: topicArn });
}

describe('monitoring topic policy, evaluated with iam-simulate', () => {
  const TOPIC = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:MonitoringTopic`;
  const OWN_ALARM = `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:cloudtrail-logs-guard-main-CloudWatch.1-RootUserUsage`;
  const ADMIN = `arn:aws:iam::${TEST_ACCOUNT}:role/admin`;
  const PUBLISH_ANYWHERE = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }],
  };
  let template: Template;
  beforeAll(() => {
    template = synthGuard({ monitoring: 'true' }).template;
  }, SYNTH_TIMEOUT_MS);

  async function decide(
    principal: string,
    context: Record<string, string>,
    identityPolicies: unknown[] = [],
    resourcePolicy: unknown = topicPolicy(template, TOPIC),
  ): Promise<Decision> {
    const result = await runSimulation(
      {
        request: {
          principal,
          action: 'sns:Publish',
          resource: { resource: TOPIC, accountId: TEST_ACCOUNT },
          contextVariables: { 'aws:SecureTransport': 'true', ...context },
        },
        identityPolicies: identityPolicies.map((policy, index) => ({ name: `policy-${index}`, policy })),
        resourcePolicy,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(`Simulation failed: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
  }

  it("lets the project's CloudWatch alarms of this account publish", async () => {
    expect(
      await decide('cloudwatch.amazonaws.com', {
        'aws:SourceAccount': TEST_ACCOUNT,
        'aws:SourceArn': OWN_ALARM,
      }),
    ).toBe('Allowed');
  });

  it('denies an IAM principal of the account whose own policy allows sns:Publish', async () => {
    expect(await decide(ADMIN, {}, [PUBLISH_ANYWHERE])).toBe('ExplicitlyDenied');
  });

  it('would let that principal publish without the two Denies (what the policy of earlier versions did)', async () => {
    const policy = topicPolicy(template, TOPIC) as { Statement: { Sid?: string }[] };
    const withoutDenies = {
      ...policy,
      Statement: policy.Statement.filter((statement) => !statement.Sid?.startsWith('DenyPublishNot')),
    };
    expect(await decide(ADMIN, {}, [PUBLISH_ANYWHERE], withoutDenies)).toBe('Allowed');
  });

  it.each<[string, string, Record<string, string>]>([
    [
      'a CloudWatch alarm of another account',
      'cloudwatch.amazonaws.com',
      {
        'aws:SourceAccount': '444455556666',
        'aws:SourceArn': OWN_ALARM.replace(TEST_ACCOUNT, '444455556666'),
      },
    ],
    [
      'another CloudWatch alarm of this account',
      'cloudwatch.amazonaws.com',
      {
        'aws:SourceAccount': TEST_ACCOUNT,
        'aws:SourceArn': `arn:aws:cloudwatch:${TEST_REGION}:${TEST_ACCOUNT}:alarm:billing`,
      },
    ],
    [
      'an EventBridge rule of this account',
      'events.amazonaws.com',
      {
        'aws:SourceAccount': TEST_ACCOUNT,
        'aws:SourceArn': `arn:aws:events:${TEST_REGION}:${TEST_ACCOUNT}:rule/fake-alarm`,
      },
    ],
  ])('denies %s', async (_, principal, context) => {
    expect(await decide(principal, context)).toBe('ExplicitlyDenied');
  });

  it('denies even a project alarm over plain HTTP', async () => {
    expect(
      await decide('cloudwatch.amazonaws.com', {
        'aws:SourceAccount': TEST_ACCOUNT,
        'aws:SourceArn': OWN_ALARM,
        'aws:SecureTransport': 'false',
      }),
    ).toBe('ExplicitlyDenied');
  });
});
