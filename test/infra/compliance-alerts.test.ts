import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ALERT_INPUT_PATHS,
  alertInputTemplate,
  alertingEventsPattern,
  alertText,
  transitionPattern,
} from '../../infra/compliance-alerts.js';
import { SYNTH_TIMEOUT_MS, synthGuard } from './support.js';

const RULE = { Ref: Match.stringLikeRegexp('^TrailLogsRule') };
const TOPIC = { Ref: Match.stringLikeRegexp('^ComplianceAlertsTopic') };

describe('alert message', () => {
  it('names the trail, account, region, both compliances, the annotation and the console page', () => {
    expect(alertText('change')).toBe(
      [
        'CloudTrail trail <trail> in account <account> (<region>) is now <newCompliance>, was <oldCompliance>.',
        'Reason: <annotation>',
        'Rule: <rule>, result recorded <recordedAt>.',
        'AWS Config: https://<region>.console.aws.amazon.com/config/home?region=<region>#/resources/details?resourceId=<trail>&resourceType=AWS::CloudTrail::Trail',
      ].join('\n'),
    );
  });

  it('says a first evaluation is one, with no old compliance to name', () => {
    expect(alertText('first').split('\n')[0]).toBe(
      'CloudTrail trail <trail> in account <account> (<region>) is <newCompliance> at its first evaluation.',
    );
    expect(alertText('first')).not.toContain('<oldCompliance>');
  });

  it.each(['change', 'first'] as const)('uses only variables it maps to a path of the event (%s)', (kind) => {
    const used = [...alertText(kind).matchAll(/<([A-Za-z]+)>/g)].map(([, name]) => name);
    expect(used.every((name) => name !== undefined && name in ALERT_INPUT_PATHS)).toBe(true);
  });

  it('writes the template as one JSON string, so SNS receives plain text', () => {
    expect(JSON.parse(alertInputTemplate('change'))).toBe(alertText('change'));
  });
});

describe('alert patterns', () => {
  it('match a change to or from NON_COMPLIANT of the rule for trails only', () => {
    expect(transitionPattern('r', 'change')).toEqual({
      source: ['aws.config'],
      detailType: ['Config Rules Compliance Change'],
      detail: {
        messageType: ['ComplianceChangeNotification'],
        configRuleName: ['r'],
        resourceType: ['AWS::CloudTrail::Trail'],
        $or: [
          {
            newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
            oldEvaluationResult: { complianceType: [{ 'anything-but': 'NON_COMPLIANT' }] },
          },
          {
            oldEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
            newEvaluationResult: { complianceType: [{ 'anything-but': 'NON_COMPLIANT' }] },
          },
        ],
      },
    });
  });

  it('match a first evaluation only when it is NON_COMPLIANT and has no old result', () => {
    expect(transitionPattern('r', 'first').detail).toEqual({
      messageType: ['ComplianceChangeNotification'],
      configRuleName: ['r'],
      resourceType: ['AWS::CloudTrail::Trail'],
      newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
      oldEvaluationResult: { complianceType: [{ exists: false }] },
    });
  });

  it('forward exactly the union of both kinds', () => {
    const forwarded = alertingEventsPattern('r').detail as { $or: unknown[] };
    const change = transitionPattern('r', 'change').detail as { $or: unknown[] };
    const { messageType, configRuleName, resourceType, ...first } = transitionPattern('r', 'first')
      .detail as Record<string, unknown>;
    expect(forwarded.$or).toEqual([...change.$or, first]);
    expect({ messageType, configRuleName, resourceType }).toEqual({
      messageType: ['ComplianceChangeNotification'],
      configRuleName: ['r'],
      resourceType: ['AWS::CloudTrail::Trail'],
    });
  });
});

describe('GuardStack with context complianceAlerts', () => {
  it('creates no EventBridge rule, topic or output by default', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard();
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(Object.keys(template.findOutputs('ComplianceAlertTopicArn'))).toEqual([]);
  });

  it.each([
    ['change', 'ChangeRule'],
    ['first', 'FirstEvaluationRule'],
  ] as const)(
    'routes the %s events of the deployed rule through the input transformer to the topic',
    (kind, id) => {
      const { template } = synthGuard({ complianceAlerts: 'true' });
      const { detail } = transitionPattern('cloudtrail-cloudwatch-logs-integrated', kind) as {
        detail: Record<string, unknown>;
      };
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.config'],
          'detail-type': ['Config Rules Compliance Change'],
          detail: { ...detail, configRuleName: [RULE] },
        },
        State: 'ENABLED',
        Targets: [
          {
            Id: 'Target0',
            Arn: TOPIC,
            InputTransformer: { InputPathsMap: ALERT_INPUT_PATHS, InputTemplate: alertInputTemplate(kind) },
          },
        ],
      });
      expect(Object.keys(template.findResources('AWS::Events::Rule'))).toContainEqual(
        expect.stringMatching(new RegExp(`^ComplianceAlerts${id}`)),
      );
    },
  );

  it('encrypts the topic with a rotated customer managed key EventBridge of this account may use', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = synthGuard({ complianceAlerts: 'true' });
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComplianceAlertsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'EventBridgeOfThisAccountEncryptsForTheTopic',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
  });

  it('lets only its two rules publish, over TLS only', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { template } = synthGuard({ complianceAlerts: 'true' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'AlertRulesPublish',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: TOPIC,
            Condition: {
              ArnEquals: {
                'aws:SourceArn': [
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComplianceAlertsChangeRule'), 'Arn'] },
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComplianceAlertsFirstEvaluationRule'), 'Arn'] },
                ],
              },
            },
          },
        ],
      },
    });
    template.hasOutput('ComplianceAlertTopicArn', { Value: TOPIC });
  });
});
