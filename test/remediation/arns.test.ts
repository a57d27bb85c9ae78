import { describe, expect, it } from 'vitest';
import {
  isTrailName,
  logGroupArn,
  parseKmsKeyArn,
  parseLogGroupArn,
  parsePolicyArn,
  parseRoleArn,
  parseTrailArn,
  remediationRoleArn,
  TOPIC_ARN_PATTERN,
  trailLogGroupArn,
} from '../../remediation/arns.js';

describe('isTrailName', () => {
  it.each([
    ['abc', true],
    ['a'.repeat(128), true],
    ['ab', false],
    ['a'.repeat(129), false],
    ['Trail.name_with-9', true],
    ['a.b', true],
    ['a..b', false],
    ['a.-b', false],
    ['a_-b', false],
    ['-abc', false],
    ['_abc', false],
    ['.abc', false],
    ['abc-', false],
    ['abc.', false],
    ['a b', false],
    ['tráil', false],
    ['trail/x', false],
    ['abc\n', false],
    ['10.0.0.1', false],
    ['192.168.100.254', false],
    ['10.0.0', true],
    ['1.2.3.4.5', true],
    ['a1.2.3.4', true],
    ['1.2.3.4a', true],
  ])('%j: %s', (name, expected) => {
    expect(isTrailName(name)).toBe(expected);
  });
});

describe('parseTrailArn', () => {
  it.each([
    [
      'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events',
      { partition: 'aws', region: 'us-east-1', account: '111122223333', name: 'management-events' },
    ],
    [
      'arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/t1.x',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '111122223333', name: 't1.x' },
    ],
    [
      'arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/abc',
      { partition: 'aws-cn', region: 'cn-north-1', account: '111122223333', name: 'abc' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseTrailArn(arn)).toEqual(expected);
  });

  it.each([
    'management-events',
    'arn:aws:cloudtrail:us-east-1:11112222333:trail/abc',
    'arn:aws:cloudtrail:us-east-1:1111222233334:trail/abc',
    'arn:aws:cloudtrail::111122223333:trail/abc',
    'arn:aws:cloudtrail:US-EAST-1:111122223333:trail/abc',
    'arn:aws:cloudtrail:us-east-1::trail/abc',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/ab',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/abc/def',
    'arn:aws:cloudtrail:us-east-1:111122223333:trail/abc\nextra',
    'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/abc',
    'arn:gcp:cloudtrail:us-east-1:111122223333:trail/abc',
    'arn::cloudtrail:us-east-1:111122223333:trail/abc',
    'xarn:aws:cloudtrail:us-east-1:111122223333:trail/abc',
    'arn:aws:logs:us-east-1:111122223333:trail/abc',
  ])('rejects %j', (arn) => {
    expect(parseTrailArn(arn)).toBeUndefined();
  });
});

describe('parsePolicyArn', () => {
  it.each([
    [
      'arn:aws:iam::aws:policy/AdministratorAccess',
      { partition: 'aws', account: 'aws', path: '/', name: 'AdministratorAccess' },
    ],
    [
      'arn:aws:iam::111122223333:policy/team/guard/DeliveryBoundary',
      { partition: 'aws', account: '111122223333', path: '/team/guard/', name: 'DeliveryBoundary' },
    ],
    [
      `arn:aws-cn:iam::111122223333:policy/+=,.@_-${'p'.repeat(121)}`,
      { partition: 'aws-cn', account: '111122223333', path: '/', name: `+=,.@_-${'p'.repeat(121)}` },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parsePolicyArn(arn)).toEqual(expected);
  });

  it.each([
    'arn:aws:iam::111122223333:role/DeliveryBoundary',
    'arn:aws:iam::11112222333:policy/Boundary',
    'arn:aws:iam::awsx:policy/Boundary',
    'arn:aws:iam:us-east-1:111122223333:policy/Boundary',
    'arn:aws:iam::111122223333:policy/',
    'arn:aws:iam::111122223333:policy//Boundary',
    'arn:aws:iam::111122223333:policyBoundary',
    `arn:aws:iam::111122223333:policy/${'p'.repeat(129)}`,
    'arn:aws:iam::111122223333:policy/Delivery Boundary',
    'arn:aws:iam::111122223333:policy/Boundary\n',
    ' arn:aws:iam::111122223333:policy/Boundary',
    'arn:azure:iam::111122223333:policy/Boundary',
  ])('rejects %j', (arn) => {
    expect(parsePolicyArn(arn)).toBeUndefined();
  });
});

describe('parseKmsKeyArn', () => {
  it.each([
    [
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      {
        partition: 'aws',
        region: 'us-east-1',
        account: '111122223333',
        keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ],
    [
      'arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/mrk-ABCdef0123',
      { partition: 'aws-us-gov', region: 'us-gov-east-1', account: '111122223333', keyId: 'mrk-ABCdef0123' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseKmsKeyArn(arn)).toEqual(expected);
  });

  it.each([
    'arn:aws:kms:us-east-1:111122223333:alias/logs',
    'arn:aws:kms:us-east-1:111122223333:key/',
    'arn:aws:kms:us-east-1:111122223333:key/key_id',
    'arn:aws:kms:us-east-1:111122223333:key/key/id',
    'arn:aws:kms:us-east-1:11112222333:key/abc',
    'arn:aws:kms::111122223333:key/abc',
    'arn:aws:kms:us-east-1:111122223333:key/abc\n',
    ' arn:aws:kms:us-east-1:111122223333:key/abc',
    'arn:aws:logs:us-east-1:111122223333:key/abc',
    '1234abcd-12ab-34cd-56ef-1234567890ab',
  ])('rejects %j', (arn) => {
    expect(parseKmsKeyArn(arn)).toBeUndefined();
  });
});

describe('parseLogGroupArn', () => {
  it.each([
    [
      'arn:aws:logs:us-east-1:111122223333:log-group:/cloudtrail-logs-guard/audit:*',
      {
        partition: 'aws',
        region: 'us-east-1',
        account: '111122223333',
        name: '/cloudtrail-logs-guard/audit',
      },
    ],
    [
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:aws-cloudtrail-logs',
      { partition: 'aws-cn', region: 'cn-north-1', account: '111122223333', name: 'aws-cloudtrail-logs' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseLogGroupArn(arn)).toEqual(expected);
  });

  it.each([
    'xarn:aws:logs:us-east-1:111122223333:log-group:/a:*',
    'arn:aws:logs:us-east-1:111122223333:log-group:/a:*x',
    'arn:aws:logs:us-east-1:111122223333:log-group:/a b',
    'arn:aws:logs:us-east-1:11112222333:log-group:/a',
  ])('rejects %j', (arn) => {
    expect(parseLogGroupArn(arn)).toBeUndefined();
  });
});

describe('parseRoleArn', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:role/cloudtrail-logs-guard/audit-delivery',
      { account: '111122223333', path: '/cloudtrail-logs-guard/', name: 'audit-delivery' },
    ],
    [
      'arn:aws-us-gov:iam::111122223333:role/CloudTrail_Logs',
      { account: '111122223333', path: '/', name: 'CloudTrail_Logs' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseRoleArn(arn)).toEqual(expected);
  });

  it.each([
    'xarn:aws:iam::111122223333:role/audit',
    'arn:aws:iam::111122223333:role/audit/',
    'arn:aws:iam::111122223333:role/audit delivery',
    'arn:aws:iam::111122223333:policy/audit',
  ])('rejects %j', (arn) => {
    expect(parseRoleArn(arn)).toBeUndefined();
  });
});

describe('TOPIC_ARN_PATTERN', () => {
  it.each([
    ['arn:aws:sns:us-east-1:111122223333:alarms', true],
    ['arn:aws-us-gov:sns:us-gov-west-1:111122223333:alarms', true],
    ['arn:aws-cn:sns:cn-north-1:111122223333:Alarms_2-x', true],
    ['arn:aws:sns:us-east-1:111122223333:alarms.fifo', true],
    [`arn:aws:sns:us-east-1:111122223333:${'a'.repeat(256)}`, true],
    [`arn:aws:sns:us-east-1:111122223333:${'a'.repeat(257)}`, false],
    ['arn:aws:sns:us-east-1:111122223333:', false],
    ['arn:aws:sns:us-east-1:111122223333:alarms.txt', false],
    ['arn:aws:sns:us-east-1:111122223333:al arms', false],
    ['arn:aws:sns:us-east-1:11112222333:alarms', false],
    ['arn:aws:sns:us-east-1:1111222233334:alarms', false],
    ['arn:aws:sns::111122223333:alarms', false],
    ['arn:aws:sns:US-EAST-1:111122223333:alarms', false],
    ['arn:aws:sqs:us-east-1:111122223333:alarms', false],
    ['arn:other:sns:us-east-1:111122223333:alarms', false],
    [' arn:aws:sns:us-east-1:111122223333:alarms', false],
    ['arn:aws:sns:us-east-1:111122223333:alarms ', false],
  ])('%s: %s', (arn, accepted) => {
    expect(TOPIC_ARN_PATTERN.test(arn)).toBe(accepted);
  });
});

describe('ARN builders', () => {
  it('builds the log group ARN as DescribeLogGroups gives it, and as UpdateTrail wants it', () => {
    expect(logGroupArn('aws-cn', 'cn-north-1', '111122223333', '/guard/trail')).toBe(
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/guard/trail',
    );
    expect(trailLogGroupArn('aws-cn', 'cn-north-1', '111122223333', '/guard/trail')).toBe(
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/guard/trail:*',
    );
  });

  it('builds a remediation role ARN under the project path', () => {
    expect(remediationRoleArn('aws-us-gov', '111122223333', 'role-1')).toBe(
      'arn:aws-us-gov:iam::111122223333:role/cloudtrail-logs-guard/role-1',
    );
  });
});
