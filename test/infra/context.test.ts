import { describe, expect, it } from 'vitest';
import {
  CONTEXT_KEY,
  type ContextKey,
  type GuardContext,
  InvalidContextError,
  parseGuardContext,
} from '../../infra/context.js';

function readerOf(values: Partial<Record<ContextKey, unknown>>) {
  return (key: ContextKey): unknown => values[key];
}

const DEFAULTS: GuardContext = {
  namePrefix: undefined,
  retentionDays: 365,
  kmsKeyArns: [],
  ruleSchedule: 'One_Hour',
  expectedDeliveryWindowAge: 24,
  autoRemediation: undefined,
  monitoring: false,
  complianceAlerts: false,
  alarmNotifications: { emails: [], httpsEndpoints: [], topicArn: undefined },
  logLevel: 'INFO',
  exemptionsFile: undefined,
};
const NO_ALARM_NOTIFICATIONS = DEFAULTS.alarmNotifications;
const TEAM_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:security-alerts';

const KMS_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const US_KMS_ARN = 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const KMS_EXPECTED =
  'KMS key ARNs such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, ' +
  'comma-separated, at most one per region';

describe('parseGuardContext', () => {
  it('applies every default when no context is set', () => {
    expect(parseGuardContext(readerOf({}))).toEqual(DEFAULTS);
  });

  it.each<[string, Partial<Record<ContextKey, unknown>>, Partial<GuardContext>]>([
    ['a name prefix', { namePrefix: 'acme-prod' }, { namePrefix: 'acme-prod' }],
    ['retention days from -c (string)', { retentionDays: '731' }, { retentionDays: 731 }],
    ['retention days from cdk.json (number)', { retentionDays: 90 }, { retentionDays: 90 }],
    ['a KMS key ARN', { kmsKeyArn: KMS_ARN }, { kmsKeyArns: [KMS_ARN] }],
    [
      'a GovCloud KMS key ARN',
      { kmsKeyArn: KMS_ARN.replace('arn:aws:', 'arn:aws-us-gov:') },
      { kmsKeyArns: [KMS_ARN.replace('arn:aws:', 'arn:aws-us-gov:')] },
    ],
    [
      'a key per region from -c (comma-separated, spaces, duplicates)',
      { kmsKeyArn: `${KMS_ARN}, ${US_KMS_ARN},${KMS_ARN}` },
      { kmsKeyArns: [KMS_ARN, US_KMS_ARN] },
    ],
    [
      'a key per region from cdk.json (array)',
      { kmsKeyArn: [US_KMS_ARN, KMS_ARN] },
      { kmsKeyArns: [US_KMS_ARN, KMS_ARN] },
    ],
    ['an hourly schedule', { ruleSchedule: 'One_Hour' }, { ruleSchedule: 'One_Hour' }],
    ['a delivery window from -c', { expectedDeliveryWindowAge: '6' }, { expectedDeliveryWindowAge: 6 }],
    ['a delivery window from cdk.json', { expectedDeliveryWindowAge: 48 }, { expectedDeliveryWindowAge: 48 }],
    [
      "the delivery check turned off with 'off' (daily schedule by default)",
      { expectedDeliveryWindowAge: 'off' },
      { expectedDeliveryWindowAge: undefined, ruleSchedule: 'TwentyFour_Hours' },
    ],
    [
      "the delivery check turned off with 'NONE'",
      { expectedDeliveryWindowAge: 'NONE' },
      { expectedDeliveryWindowAge: undefined, ruleSchedule: 'TwentyFour_Hours' },
    ],
    [
      'a six-hour schedule without the delivery check',
      { expectedDeliveryWindowAge: 'off', ruleSchedule: 'Six_Hours' },
      { expectedDeliveryWindowAge: undefined, ruleSchedule: 'Six_Hours' },
    ],
    ['a log level from -c', { logLevel: 'DEBUG' }, { logLevel: 'DEBUG' }],
    ['a log level in lower case', { logLevel: 'warn' }, { logLevel: 'WARN' }],
    ['manual remediation stated explicitly', { autoRemediate: 'false' }, { autoRemediation: undefined }],
    ['monitoring turned on (-c)', { monitoring: 'true' }, { monitoring: true }],
    ['monitoring turned on (cdk.json)', { monitoring: true }, { monitoring: true }],
    ['monitoring stated off', { monitoring: 'false' }, { monitoring: false }],
    ['compliance alerts turned on (-c)', { complianceAlerts: 'true' }, { complianceAlerts: true }],
    ['compliance alerts turned on (cdk.json)', { complianceAlerts: true }, { complianceAlerts: true }],
    [
      'an alarm email (-c)',
      { monitoring: 'true', alarmEmail: 'security@example.com' },
      {
        monitoring: true,
        alarmNotifications: { ...NO_ALARM_NOTIFICATIONS, emails: ['security@example.com'] },
      },
    ],
    [
      'several alarm emails (-c, comma-separated, spaces, duplicates)',
      { monitoring: 'true', alarmEmail: 'a@example.com, b@example.org,a@example.com' },
      {
        monitoring: true,
        alarmNotifications: { ...NO_ALARM_NOTIFICATIONS, emails: ['a@example.com', 'b@example.org'] },
      },
    ],
    [
      'alarm emails and an HTTPS endpoint (cdk.json arrays)',
      {
        monitoring: true,
        alarmEmail: ['a@example.com'],
        alarmHttpsEndpoint: ['https://alerts.example.com/sns?team=security'],
      },
      {
        monitoring: true,
        alarmNotifications: {
          emails: ['a@example.com'],
          httpsEndpoints: ['https://alerts.example.com/sns?team=security'],
          topicArn: undefined,
        },
      },
    ],
    [
      "the team's alerting topic",
      { monitoring: 'true', alarmTopicArn: TEAM_TOPIC },
      { monitoring: true, alarmNotifications: { ...NO_ALARM_NOTIFICATIONS, topicArn: TEAM_TOPIC } },
    ],
    [
      'automatic remediation with default bounds',
      { autoRemediate: 'true' },
      {
        autoRemediation: { maxAttempts: 5, retrySeconds: 60 },
      },
    ],
    [
      'automatic remediation from cdk.json with bounds',
      {
        autoRemediate: true,
        remediationMaxAttempts: 25,
        remediationRetrySeconds: '2678000',
      },
      { autoRemediation: { maxAttempts: 25, retrySeconds: 2_678_000 } },
    ],
    [
      'attempt bounds kept aside while remediation is manual',
      {
        remediationMaxAttempts: '3',
        remediationRetrySeconds: '120',
      },
      { autoRemediation: undefined },
    ],
    ['an empty -c value as unset', { namePrefix: '', retentionDays: '' }, {}],
  ])('accepts %s', (_name, values, expected) => {
    expect(parseGuardContext(readerOf(values))).toEqual({ ...DEFAULTS, ...expected });
  });

  const RETENTION_LIST =
    '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';

  it.each<[ContextKey, unknown, string]>([
    ['namePrefix', '1acme', 'a letter followed by up to 31 letters, digits or hyphens'],
    ['namePrefix', 'acme_prod', 'a letter followed by up to 31 letters, digits or hyphens'],
    ['namePrefix', `a${'b'.repeat(32)}`, 'a letter followed by up to 31 letters, digits or hyphens'],
    ['namePrefix', 7, 'a letter followed by up to 31 letters, digits or hyphens'],
    ['retentionDays', '42', `one of the retention periods CloudWatch Logs accepts (${RETENTION_LIST})`],
    ['retentionDays', 'forever', `one of the retention periods CloudWatch Logs accepts (${RETENTION_LIST})`],
    ['retentionDays', 365.5, `one of the retention periods CloudWatch Logs accepts (${RETENTION_LIST})`],
    ['kmsKeyArn', 'alias/aws/logs', KMS_EXPECTED],
    ['kmsKeyArn', 'arn:aws:kms:eu-west-1:111122223333:alias/logs', KMS_EXPECTED],
    ['kmsKeyArn', `${KMS_ARN},`, KMS_EXPECTED],
    ['kmsKeyArn', [KMS_ARN, 7], KMS_EXPECTED],
    [
      'kmsKeyArn',
      `${KMS_ARN},${KMS_ARN.replace('1234abcd-', '9999abcd-')}`,
      `${KMS_EXPECTED} (${KMS_ARN} and ${KMS_ARN.replace('1234abcd-', '9999abcd-')} are both in eu-west-1)`,
    ],
    ['logLevel', 'VERBOSE', 'one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL'],
    ['logLevel', 3, 'one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL'],
    ['ruleSchedule', 'Daily', 'one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours'],
    ['ruleSchedule', 'one_hour', 'one of One_Hour, Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours'],
    [
      'expectedDeliveryWindowAge',
      '0',
      "whole hours from 1 to 8760, or 'off' or 'none' to turn the delivery check off",
    ],
    [
      'expectedDeliveryWindowAge',
      8761,
      "whole hours from 1 to 8760, or 'off' or 'none' to turn the delivery check off",
    ],
    [
      'expectedDeliveryWindowAge',
      '1.5',
      "whole hours from 1 to 8760, or 'off' or 'none' to turn the delivery check off",
    ],
    [
      'expectedDeliveryWindowAge',
      false,
      "whole hours from 1 to 8760, or 'off' or 'none' to turn the delivery check off",
    ],
    ['autoRemediate', 'yes', 'true or false'],
    ['autoRemediate', 1, 'true or false'],
    ['monitoring', 'on', 'true or false'],
    ['complianceAlerts', 'yes', 'true or false'],
    ['alarmEmail', 'security', 'email addresses such as security@example.com, comma-separated'],
    ['alarmEmail', 'a@example.com,', 'email addresses such as security@example.com, comma-separated'],
    ['alarmEmail', 7, 'email addresses such as security@example.com, comma-separated'],
    [
      'alarmHttpsEndpoint',
      'http://alerts.example.com/sns',
      'https:// URLs without user name or password, comma-separated',
    ],
    [
      'alarmHttpsEndpoint',
      'https://user:secret@alerts.example.com/sns',
      'https:// URLs without user name or password, comma-separated',
    ],
    ['alarmHttpsEndpoint', 'not a url', 'https:// URLs without user name or password, comma-separated'],
    [
      'alarmTopicArn',
      'arn:aws:sqs:eu-west-1:111122223333:queue',
      "an SNS topic ARN of the stack's account and region, such as arn:aws:sns:us-east-1:111122223333:alerts",
    ],
    ['remediationMaxAttempts', '0', 'a whole number from 1 to 25'],
    ['remediationMaxAttempts', 26, 'a whole number from 1 to 25'],
    ['remediationRetrySeconds', '-1', 'a whole number from 1 to 2678000'],
    ['remediationRetrySeconds', '2678001', 'a whole number from 1 to 2678000'],
  ])('rejects %s = %j naming the key', (key, value, expected) => {
    const parse = () => parseGuardContext(readerOf({ [key]: value }));
    expect(parse).toThrow(InvalidContextError);
    expect(parse).toThrow(
      `Invalid CDK context '${key}': got ${JSON.stringify(value)}; expected ${expected}. ` +
        `Pass it as -c ${key}=<value> or set it under "context" in cdk.json.`,
    );
  });

  it.each(['Three_Hours', 'TwentyFour_Hours'])(
    'rejects ruleSchedule = %s while the delivery check is on (the default 24-hour window)',
    (schedule) => {
      const parse = () => parseGuardContext(readerOf({ ruleSchedule: schedule }));
      expect(parse).toThrow(InvalidContextError);
      expect(parse).toThrow(
        `Invalid CDK context 'ruleSchedule': got "${schedule}"; expected One_Hour while expectedDeliveryWindowAge ` +
          'is on (a verdict given in the grace for a first delivery must be judged again within the hour); set ' +
          'expectedDeliveryWindowAge=off for a slower schedule. Pass it as -c ruleSchedule=<value> or set it under ' +
          '"context" in cdk.json.',
      );
    },
  );

  it.each<[ContextKey, unknown]>([
    ['alarmEmail', 'security@example.com'],
    ['alarmHttpsEndpoint', 'https://alerts.example.com/sns'],
    ['alarmTopicArn', TEAM_TOPIC],
  ])('rejects %s without monitoring=true', (key, value) => {
    expect(() => parseGuardContext(readerOf({ [key]: value }))).toThrow(
      `Invalid CDK context '${key}': got ${JSON.stringify(value)}; expected to be set only with monitoring=true. ` +
        `Pass it as -c ${key}=<value> or set it under "context" in cdk.json.`,
    );
  });

  it("rejects the team's topic together with subscriptions to the stack's topic", () => {
    expect(() =>
      parseGuardContext(
        readerOf({ monitoring: 'true', alarmTopicArn: TEAM_TOPIC, alarmEmail: 'security@example.com' }),
      ),
    ).toThrow(
      `Invalid CDK context 'alarmTopicArn': got "${TEAM_TOPIC}"; expected either alarmTopicArn (your topic: ` +
        "subscribe to it yourself) or alarmEmail/alarmHttpsEndpoint (subscriptions to the stack's topic), not both.",
    );
  });

  it('records the offending key on the error', () => {
    let caught: unknown;
    try {
      parseGuardContext(readerOf({ [CONTEXT_KEY.ruleSchedule]: 'Weekly' }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidContextError);
    expect((caught as InvalidContextError).key).toBe('ruleSchedule');
    expect((caught as InvalidContextError).name).toBe('InvalidContextError');
  });
});
