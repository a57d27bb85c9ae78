import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../../remediation/errors.js';
import { parseRemediationPayload } from '../../remediation/payload.js';

const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events';
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const RETENTIONS =
  '1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653';

describe('parseRemediationPayload', () => {
  it.each([
    [
      { TrailName: 'management-events' },
      { trail: 'management-events', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      { TrailName: TRAIL_ARN },
      { trail: TRAIL_ARN, retentionInDays: 365, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      { TrailName: 'a.b_c-1', RetentionInDays: 731, KmsKeyArn: KEY_ARN, DryRun: true },
      { trail: 'a.b_c-1', retentionInDays: 731, kmsKeyArn: KEY_ARN, dryRun: true },
    ],
    // What the SSM document sends with its defaults: KmsKeyArn '' means no key.
    [
      { TrailName: 'trail', RetentionInDays: 365, KmsKeyArn: '', DryRun: false },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      { TrailName: 'trail', RetentionInDays: '90', DryRun: 'true' },
      { trail: 'trail', retentionInDays: 90, kmsKeyArn: undefined, dryRun: true },
    ],
    [
      { TrailName: 'trail', DryRun: 'false' },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      { TrailName: 'trail', RetentionInDays: '3653', DryRun: false },
      { trail: 'trail', retentionInDays: 3653, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      { TrailName: 'trail', RetentionInDays: 1 },
      { trail: 'trail', retentionInDays: 1, kmsKeyArn: undefined, dryRun: false },
    ],
    [
      {
        TrailName: 'trail',
        TargetAccountId: '222233334444',
        ExecutionRoleName: 'guard-fix+=,.@_-1',
        PermissionsBoundaryArn: 'arn:aws:iam::222233334444:policy/guard/DeliveryBoundary',
      },
      {
        trail: 'trail',
        retentionInDays: 365,
        kmsKeyArn: undefined,
        dryRun: false,
        targetAccountId: '222233334444',
        executionRoleName: 'guard-fix+=,.@_-1',
        permissionsBoundaryArn: 'arn:aws:iam::222233334444:policy/guard/DeliveryBoundary',
      },
    ],
    [
      { TrailName: 'trail', TargetAccountId: '222233334444' },
      {
        trail: 'trail',
        retentionInDays: 365,
        kmsKeyArn: undefined,
        dryRun: false,
        targetAccountId: '222233334444',
      },
    ],
    // The opt-in to adopt what the remediation did not create: absent unless given.
    [
      { TrailName: 'trail', AdoptExisting: true },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false, adoptExisting: true },
    ],
    [
      { TrailName: 'trail', AdoptExisting: 'false' },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false, adoptExisting: false },
    ],
    // The opt-in to the CIS monitoring: absent unless given; '' names no topic (the deployment's).
    [
      {
        TrailName: 'trail',
        Monitoring: true,
        MonitoringTopicArn: 'arn:aws:sns:us-east-1:111122223333:cloudtrail-logs-guard-alarms',
      },
      {
        trail: 'trail',
        retentionInDays: 365,
        kmsKeyArn: undefined,
        dryRun: false,
        monitoring: true,
        monitoringTopicArn: 'arn:aws:sns:us-east-1:111122223333:cloudtrail-logs-guard-alarms',
      },
    ],
    [
      { TrailName: 'trail', Monitoring: 'true', MonitoringTopicArn: '' },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false, monitoring: true },
    ],
    [
      { TrailName: 'trail', Monitoring: false },
      { trail: 'trail', retentionInDays: 365, kmsKeyArn: undefined, dryRun: false, monitoring: false },
    ],
  ])('accepts %j', (payload, expected) => {
    expect(parseRemediationPayload(payload)).toEqual(expected);
  });

  it.each([
    [
      null,
      'expected a JSON object with TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, got null',
    ],
    [
      undefined,
      'expected a JSON object with TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, got undefined',
    ],
    [
      'trail',
      'expected a JSON object with TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, got "trail"',
    ],
    [[], 'expected a JSON object with TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, got []'],
    [{}, 'TrailName is missing: give the trail name or ARN'],
    [{ TrailName: '' }, 'TrailName must be a non-empty string (the trail name or ARN), got ""'],
    [{ TrailName: '   ' }, 'TrailName must be a non-empty string (the trail name or ARN), got "   "'],
    [{ TrailName: 42 }, 'TrailName must be a non-empty string (the trail name or ARN), got 42'],
    [{ TrailName: 'ab' }, 'TrailName "ab" is not a valid trail name or ARN'],
    [{ TrailName: 'my--trail' }, 'TrailName "my--trail" is not a valid trail name or ARN'],
    [{ TrailName: '-trail' }, 'TrailName "-trail" is not a valid trail name or ARN'],
    [{ TrailName: '10.0.0.1' }, 'TrailName "10.0.0.1" is not a valid trail name or ARN'],
    [{ TrailName: 'trail"}' }, 'TrailName "trail\\"}" is not a valid trail name or ARN'],
    [
      { TrailName: 'arn:aws:cloudtrail:us-east-1:1111:trail/x1x' },
      'TrailName arn:aws:cloudtrail:us-east-1:1111:trail/x1x is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)',
    ],
    [
      { TrailName: 'arn:aws:s3:::bucket' },
      'TrailName arn:aws:s3:::bucket is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)',
    ],
    [
      { TrailName: 'trail', RetentionInDays: 42 },
      `RetentionInDays 42 is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: 0 },
      `RetentionInDays 0 is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: '365.0' },
      `RetentionInDays "365.0" is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', KmsKeyArn: 'alias/logs' },
      `KmsKeyArn "alias/logs" is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), or '' for none`,
    ],
    [
      { TrailName: 'trail', KmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:alias/logs' },
      `KmsKeyArn "arn:aws:kms:us-east-1:111122223333:alias/logs" is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), or '' for none`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: ' 90' },
      `RetentionInDays " 90" is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: '90 days' },
      `RetentionInDays "90 days" is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: '42' },
      `RetentionInDays "42" is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', RetentionInDays: null },
      `RetentionInDays null is not a retention CloudWatch Logs accepts (${RETENTIONS})`,
    ],
    [
      { TrailName: 'trail', KmsKeyArn: 42 },
      `KmsKeyArn 42 is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), or '' for none`,
    ],
    [{ TrailName: 'trail', DryRun: 'True' }, 'DryRun must be true or false, got "True"'],
    [{ TrailName: 'trail', DryRun: null }, 'DryRun must be true or false, got null'],
    [{ TrailName: null }, 'TrailName must be a non-empty string (the trail name or ARN), got null'],
    [
      { TrailName: 'arn:my-trail' },
      'TrailName arn:my-trail is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)',
    ],
    [
      { TrailName: 'trail', TargetAccountId: '22223333444' },
      'TargetAccountId must be a 12-digit account id, got "22223333444"',
    ],
    [
      { TrailName: 'trail', TargetAccountId: 222233334444 },
      'TargetAccountId must be a 12-digit account id, got 222233334444',
    ],
    [
      { TrailName: 'trail', ExecutionRoleName: 'r'.repeat(65) },
      `ExecutionRoleName must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got "${'r'.repeat(65)}"`,
    ],
    [
      { TrailName: 'trail', ExecutionRoleName: 7 },
      'ExecutionRoleName must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got 7',
    ],
    [
      { TrailName: 'trail', PermissionsBoundaryArn: 'arn:aws:iam::222233334444:role/Boundary' },
      'PermissionsBoundaryArn must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>), got "arn:aws:iam::222233334444:role/Boundary"',
    ],
    [
      { TrailName: 'trail', PermissionsBoundaryArn: false },
      'PermissionsBoundaryArn must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>), got false',
    ],
    [{ TrailName: 'trail', DryRun: 'yes' }, 'DryRun must be true or false, got "yes"'],
    [{ TrailName: 'trail', DryRun: 1 }, 'DryRun must be true or false, got 1'],
    [{ TrailName: 'trail', AdoptExisting: 'yes' }, 'AdoptExisting must be true or false, got "yes"'],
    [{ TrailName: 'trail', Monitoring: 'on' }, 'Monitoring must be true or false, got "on"'],
    [
      { TrailName: 'trail', Monitoring: true, MonitoringTopicArn: 'alarms' },
      `MonitoringTopicArn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), or '' for the deployment's topic, got "alarms"`,
    ],
    [
      { TrailName: 'trail', MonitoringTopicArn: 'arn:aws:sqs:us-east-1:111122223333:alarms' },
      `MonitoringTopicArn must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), or '' for the deployment's topic, got "arn:aws:sqs:us-east-1:111122223333:alarms"`,
    ],
    [
      { TrailName: 'trail', Region: 'us-east-1' },
      'unknown keys Region (allowed: TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, TargetAccountId, ExecutionRoleName, PermissionsBoundaryArn, AutomationExecutionId, Monitoring, MonitoringTopicArn)',
    ],
    [
      { TrailName: 'trail', Region: 'us-east-1', trailName: 'x' },
      'unknown keys Region, trailName (allowed: TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, TargetAccountId, ExecutionRoleName, PermissionsBoundaryArn, AutomationExecutionId, Monitoring, MonitoringTopicArn)',
    ],
  ])('rejects %j', (payload, problem) => {
    expect(() => parseRemediationPayload(payload)).toThrow(new InvalidPayloadError([problem]));
    expect(() => parseRemediationPayload(payload)).toThrow(`Invalid remediation payload: ${problem}.`);
  });

  it('reports every problem at once', () => {
    expect(() => parseRemediationPayload({ RetentionInDays: 2, DryRun: 'no', Extra: 1 })).toThrow(
      'Invalid remediation payload: unknown keys Extra (allowed: TrailName, RetentionInDays, KmsKeyArn, DryRun, AdoptExisting, TargetAccountId, ExecutionRoleName, PermissionsBoundaryArn, AutomationExecutionId, Monitoring, MonitoringTopicArn); ' +
        'TrailName is missing: give the trail name or ARN; ' +
        `RetentionInDays 2 is not a retention CloudWatch Logs accepts (${RETENTIONS}); ` +
        'DryRun must be true or false, got "no".',
    );
  });

  it('throws InvalidPayloadError listing the problems', () => {
    const error = (() => {
      try {
        parseRemediationPayload({});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect((error as InvalidPayloadError).problems).toEqual([
      'TrailName is missing: give the trail name or ARN',
    ]);
    expect((error as InvalidPayloadError).name).toBe('InvalidPayloadError');
  });
});
