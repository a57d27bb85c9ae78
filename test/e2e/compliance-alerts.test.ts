/**
 * End-to-end: the alert rules of the synthesized stack (context complianceAlerts) against moto's EventBridge.
 * Each rule is created in moto with the template's own EventPattern and InputTransformer; a Config Rules
 * Compliance Change event goes in with PutEvents and the message comes out of the target.
 *
 * Documented equivalent: the stack's target is the SNS topic, which moto's EventBridge does not deliver to (its
 * PutEvents sends to log groups, archives, SQS queues and event buses only), so the same InputTransformer is put
 * on an SQS queue here; moto's TestEventPattern is not implemented. What this tier does not cover: SNS delivery
 * and encryption (infra tests) and the cross-account forwarding, whose bus policy moto does not evaluate
 * (iam-simulate in test/infra/organization/compliance-alerts.test.ts). Known deviation: moto writes each value into
 * the template unescaped, so the annotations here hold no double quote.
 */
import {
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGuardApp } from '../../infra/guard-app.js';
import { ANNOTATION } from '../../rule/evaluate.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const NOT_CONFIGURED = ANNOTATION.notConfigured;
const INTEGRATED = ANNOTATION.integrated('/cloudtrail-logs-guard/main');

const events = new EventBridgeClient({ region: REGION });
const sqs = new SQSClient({ region: REGION });

interface AlertRule {
  readonly pattern: unknown;
  readonly transformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
}

/** The two alert rules of the synthesized stack, with the Config rule's Ref resolved to its name. */
function alertRules(): AlertRule[] {
  const { stack } = createGuardApp({
    context: { 'aws:cdk:bundling-stacks': [], complianceAlerts: 'true' },
    nagChecks: false,
  });
  const template = Template.fromStack(stack);
  return Object.values(template.findResources('AWS::Events::Rule')).map((rule) => {
    const pattern = JSON.parse(
      JSON.stringify(rule.Properties.EventPattern).replace(
        /\{"Ref":"TrailLogsRule[0-9A-F]+"\}/g,
        JSON.stringify(RULE),
      ),
    );
    return { pattern, transformer: rule.Properties.Targets[0].InputTransformer };
  });
}

type Compliance = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

function result(compliance: Compliance, annotation: string, recorded: string) {
  return {
    evaluationResultIdentifier: {
      evaluationResultQualifier: {
        configRuleName: RULE,
        resourceType: 'AWS::CloudTrail::Trail',
        resourceId: 'main',
      },
      orderingTimestamp: recorded,
    },
    complianceType: compliance,
    resultRecordedTime: recorded,
    configRuleInvokedTime: recorded,
    annotation,
  };
}

/**
 * The `detail` of a Config Rules Compliance Change event, shaped as AWS documents the compliance change
 * notification (awsAccountId ... recordVersion; oldEvaluationResult absent at a first evaluation).
 */
function changeDetail(
  newer: [Compliance, string],
  older?: [Compliance, string],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    resourceId: 'main',
    awsRegion: REGION,
    awsAccountId: ACCOUNT,
    configRuleName: RULE,
    recordVersion: '1.0',
    configRuleARN: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/config-rule-abc123`,
    messageType: 'ComplianceChangeNotification',
    newEvaluationResult: result(...newer, '2026-12-01T09:30:01.000Z'),
    ...(older === undefined ? {} : { oldEvaluationResult: result(...older, '2026-11-30T09:30:01.000Z') }),
    notificationCreationTime: '2026-12-01T09:30:02.000Z',
    resourceType: 'AWS::CloudTrail::Trail',
    ...overrides,
  };
}

const CONSOLE = `AWS Config: https://${REGION}.console.aws.amazon.com/config/home?region=${REGION}#/resources/details?resourceId=main&resourceType=AWS::CloudTrail::Trail`;

describe('compliance alert rules of the stack, on moto EventBridge', () => {
  let rules: AlertRule[];
  let queueUrl: string;

  beforeAll(() => {
    rules = alertRules();
  });

  beforeEach(async () => {
    expect(rules).toHaveLength(2);
    ({ QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'alerts' })));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    for (const [index, rule] of rules.entries()) {
      const Name = `alert-${index}`;
      await events.send(
        new PutRuleCommand({ Name, EventPattern: JSON.stringify(rule.pattern), State: 'ENABLED' }),
      );
      await events.send(
        new PutTargetsCommand({
          Rule: Name,
          Targets: [{ Id: 'Target0', Arn: Attributes?.QueueArn, InputTransformer: rule.transformer }],
        }),
      );
    }
  });

  /** Puts one event as Config would send it and returns every message the rules delivered. */
  async function alertsFor(detail: Record<string, unknown>, detailType = 'Config Rules Compliance Change') {
    const { FailedEntryCount } = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'aws.config', DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    expect(FailedEntryCount).toBe(0);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    // The target receives the template's JSON string; SQS holds it as JSON text.
    return Messages.map((message) => JSON.parse(message.Body ?? '""') as string);
  }

  it('tells of a trail turning NON_COMPLIANT, with the reason and the console link', async () => {
    expect(
      await alertsFor(changeDetail(['NON_COMPLIANT', NOT_CONFIGURED], ['COMPLIANT', INTEGRATED])),
    ).toEqual([
      [
        `CloudTrail trail main in account ${ACCOUNT} (${REGION}) is now NON_COMPLIANT, was COMPLIANT.`,
        `Reason: ${NOT_CONFIGURED}`,
        `Rule: ${RULE}, result recorded 2026-12-01T09:30:01.000Z.`,
        CONSOLE,
      ].join('\n'),
    ]);
  });

  it('tells of a trail no longer NON_COMPLIANT', async () => {
    const [message] = await alertsFor(
      changeDetail(['COMPLIANT', INTEGRATED], ['NON_COMPLIANT', NOT_CONFIGURED]),
    );
    expect(message?.split('\n').slice(0, 2)).toEqual([
      `CloudTrail trail main in account ${ACCOUNT} (${REGION}) is now COMPLIANT, was NON_COMPLIANT.`,
      `Reason: ${INTEGRATED}`,
    ]);
  });

  it('tells of a trail NON_COMPLIANT at its first evaluation', async () => {
    expect(await alertsFor(changeDetail(['NON_COMPLIANT', NOT_CONFIGURED]))).toEqual([
      [
        `CloudTrail trail main in account ${ACCOUNT} (${REGION}) is NON_COMPLIANT at its first evaluation.`,
        `Reason: ${NOT_CONFIGURED}`,
        `Rule: ${RULE}, result recorded 2026-12-01T09:30:01.000Z.`,
        CONSOLE,
      ].join('\n'),
    ]);
  });

  it.each<[string, Record<string, unknown>, string?]>([
    [
      'a re-report of NON_COMPLIANT with a new reason',
      changeDetail(['NON_COMPLIANT', ANNOTATION.never('/g', '24 hours')], ['NON_COMPLIANT', NOT_CONFIGURED]),
    ],
    [
      'COMPLIANT after NOT_APPLICABLE',
      changeDetail(['COMPLIANT', INTEGRATED], ['NOT_APPLICABLE', ANNOTATION.gone]),
    ],
    ['a first evaluation that is COMPLIANT', changeDetail(['COMPLIANT', INTEGRATED])],
    [
      'another rule turning NON_COMPLIANT',
      changeDetail(['NON_COMPLIANT', NOT_CONFIGURED], ['COMPLIANT', INTEGRATED], {
        configRuleName: 'other-rule',
      }),
    ],
    [
      'another resource type of the rule',
      changeDetail(['NON_COMPLIANT', NOT_CONFIGURED], ['COMPLIANT', INTEGRATED], {
        resourceType: 'AWS::S3::Bucket',
      }),
    ],
    [
      'a configuration item change',
      changeDetail(['NON_COMPLIANT', NOT_CONFIGURED], ['COMPLIANT', INTEGRATED]),
      'Config Configuration Item Change',
    ],
  ])('stays silent for %s', async (_case, detail, detailType) => {
    expect(await alertsFor(detail, detailType)).toEqual([]);
  });
});
