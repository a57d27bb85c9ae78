import { describe, expect, it } from 'vitest';
import {
  cloudTrailLogsPolicy,
  cloudTrailTrustPolicy,
  decodePolicy,
  type PolicyStatement,
  samePolicy,
  trustsCloudTrail,
} from '../../../remediation/integration/policies.js';

describe('cloudTrailTrustPolicy', () => {
  it('trusts cloudtrail.amazonaws.com without conditions (CloudTrail sends no SourceArn/SourceAccount)', () => {
    expect(cloudTrailTrustPolicy()).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
  });
});

describe('cloudTrailLogsPolicy', () => {
  const scope = {
    partition: 'aws',
    region: 'eu-west-1',
    account: '111122223333',
    logGroupName: '/cloudtrail-logs-guard/org-trail',
  };
  const streams =
    'arn:aws:logs:eu-west-1:111122223333:log-group:/cloudtrail-logs-guard/org-trail:log-stream:';

  it.each([
    ['an account trail', undefined, [`${streams}111122223333_CloudTrail_eu-west-1*`]],
    [
      'an organization trail',
      'o-exampleorgid',
      [`${streams}111122223333_CloudTrail_eu-west-1*`, `${streams}o-exampleorgid_*`],
    ],
  ])(
    'allows only CreateLogStream and PutLogEvents on the documented streams for %s',
    (_, organizationId, resources) => {
      expect(cloudTrailLogsPolicy({ ...scope, organizationId })).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AWSCloudTrailCreateLogStream',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream'],
            Resource: resources,
          },
          {
            Sid: 'AWSCloudTrailPutLogEvents',
            Effect: 'Allow',
            Action: ['logs:PutLogEvents'],
            Resource: resources,
          },
        ],
      });
    },
  );

  it('uses the partition of the trail', () => {
    const policy = cloudTrailLogsPolicy({
      ...scope,
      partition: 'aws-cn',
      region: 'cn-north-1',
      organizationId: undefined,
    });
    expect(policy.Statement[0]?.Resource).toEqual([
      'arn:aws-cn:logs:cn-north-1:111122223333:log-group:/cloudtrail-logs-guard/org-trail:log-stream:111122223333_CloudTrail_cn-north-1*',
    ]);
  });
});

describe('samePolicy', () => {
  const policy = cloudTrailTrustPolicy();

  it.each([
    ['identical', policy, true],
    [
      'with keys reordered and single-item arrays',
      {
        Statement: [
          {
            Action: ['sts:AssumeRole'],
            Principal: { Service: ['cloudtrail.amazonaws.com'] },
            Effect: 'Allow',
          },
        ],
        Version: '2012-10-17',
      },
      true,
    ],
    [
      'with a condition added',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
          },
        ],
      },
      false,
    ],
    [
      'with another principal',
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      false,
    ],
    ['undefined', undefined, false],
  ])('compares a document %s: %s', (_, other, expected) => {
    expect(samePolicy(other, policy)).toBe(expected);
  });
});

describe('samePolicy with documents of several statements, actions and resources', () => {
  const policy = cloudTrailLogsPolicy({
    partition: 'aws',
    region: 'eu-west-1',
    account: '111122223333',
    logGroupName: '/cloudtrail-logs-guard/org-trail',
    organizationId: 'o-exampleorgid',
  });
  const [createStream, putEvents] = policy.Statement as [PolicyStatement, PolicyStatement];
  const [accountStreams, organizationStreams] = createStream.Resource as [string, string];
  const document = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  const s3Statement = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

  it.each<[string, unknown, boolean]>([
    ['in the same order', document(createStream, putEvents), true],
    ['with its statements in the other order', document(putEvents, createStream), true],
    [
      'with the resources of each statement in the other order',
      document(
        { ...createStream, Resource: [organizationStreams, accountStreams] },
        { ...putEvents, Resource: [organizationStreams, accountStreams] },
      ),
      true,
    ],
    [
      'with PutLogEvents added to the first statement',
      document({ ...createStream, Action: ['logs:PutLogEvents', 'logs:CreateLogStream'] }, putEvents),
      false,
    ],
    ['with an extra s3:* statement after them', document(createStream, putEvents, s3Statement), false],
    ['with an extra s3:* statement first', document(s3Statement, createStream, putEvents), false],
    ['with the second statement missing', document(createStream), false],
    ['with the same statement twice', document(createStream, createStream), false],
    [
      'with an extra action in the first statement',
      document({ ...createStream, Action: ['logs:CreateLogStream', 'logs:DeleteLogGroup'] }, putEvents),
      false,
    ],
    [
      'with an extra action in the second statement',
      document(createStream, { ...putEvents, Action: ['logs:PutLogEvents', 's3:*'] }),
      false,
    ],
    [
      'with the organization streams missing from the second statement',
      document(createStream, { ...putEvents, Resource: [accountStreams] }),
      false,
    ],
    [
      'with every log group allowed in the second statement',
      document(createStream, { ...putEvents, Resource: [accountStreams, '*'] }),
      false,
    ],
    ['null', null, false],
    ['a string', 'policy', false],
  ])('compares a document %s: %s', (_, other, expected) => {
    expect(samePolicy(other, policy)).toBe(expected);
    expect(samePolicy(policy, other)).toBe(expected);
  });

  it('tells two different multi-action statements apart whatever their order', () => {
    const ab = { Effect: 'Allow', Action: ['a:One', 'b:Two'], Resource: ['*'] };
    expect(samePolicy(document({ ...ab, Action: ['b:Two', 'a:One'] }), document(ab))).toBe(true);
    expect(samePolicy(document({ ...ab, Action: ['c:Three', 'a:One'] }), document(ab))).toBe(false);
  });
});

describe('decodePolicy', () => {
  it.each([
    ['%7B%22Version%22%3A%222012-10-17%22%7D', { Version: '2012-10-17' }],
    ['{"Version":"2012-10-17"}', { Version: '2012-10-17' }],
    ['not json', undefined],
    [undefined, undefined],
  ])('decodes %j', (encoded, expected) => {
    expect(decodePolicy(encoded)).toEqual(expected);
  });
});

describe('trustsCloudTrail', () => {
  const allow = (statement: Record<string, unknown>) => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'sts:AssumeRole',
        ...statement,
      },
    ],
  });
  it.each<[string, unknown, boolean]>([
    ['the documented trust policy', cloudTrailTrustPolicy(), true],
    [
      'a single statement object, service in a list, action in a list',
      {
        Statement: {
          Effect: 'Allow',
          Principal: { Service: ['ec2.amazonaws.com', 'cloudtrail.amazonaws.com'] },
          Action: ['STS:AssumeRole'],
        },
      },
      true,
    ],
    ['sts:*', allow({ Action: 'sts:*' }), true],
    ['*', allow({ Action: '*' }), true],
    ['the action after another one', allow({ Action: ['sts:TagSession', 'sts:AssumeRole'] }), true],
    [
      'non-string items in the lists',
      allow({ Action: [42, 'sts:AssumeRole'], Principal: { Service: [null, 'cloudtrail.amazonaws.com'] } }),
      true,
    ],
    [
      'null and list items among the statements',
      { Statement: [null, ['x'], 'x', cloudTrailTrustPolicy().Statement[0]] },
      true,
    ],
    ['a statement without Effect', allow({ Effect: undefined }), false],
    ['an Effect in lower case (IAM reads it case-sensitively)', allow({ Effect: 'allow' }), false],
    ['another service only', allow({ Principal: { Service: 'ec2.amazonaws.com' } }), false],
    ['another action only', allow({ Action: 'sts:TagSession' }), false],
    [
      'a Condition (CloudTrail sends no aws:SourceArn)',
      allow({ Condition: { StringEquals: { 'aws:SourceArn': 'x' } } }),
      false,
    ],
    [
      'an Allow and a Deny for CloudTrail',
      {
        Statement: [
          cloudTrailTrustPolicy().Statement[0],
          { Effect: 'Deny', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      false,
    ],
    ['an AWS account principal', allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }), false],
    ['no document (not JSON)', undefined, false],
    ['a document without statements', { Version: '2012-10-17' }, false],
  ])('%s: %s', (_, policy, expected) => {
    expect(trustsCloudTrail(policy)).toBe(expected);
  });
});
