import { describe, expect, it } from 'vitest';
import { errorJson, forTheCommandLine, operatorMessage } from '../../cli/error-report.js';
import { AggregatorReadError, FixIncompleteError } from '../../cli/errors.js';
import {
  AdoptionRefusedError,
  AwsCallError,
  IntegrationBrokenError,
  MonitoringConflictError,
  RemediationConflictError,
  RoleNotUsableByCloudTrailError,
  TrailNotFoundError,
  TrailNotInHomeRegionError,
  TrailOfOtherAccountError,
  UpdateTrailRetriesExhaustedError,
  VerificationError,
} from '../../remediation/errors.js';
import { AccessDeniedError } from '../../rule/errors.js';
import { serviceError } from './sdk-errors.js';

const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/app';
const ROLE = 'arn:aws:iam::111122223333:role/cloudtrail-logs-guard/CloudTrailToLogs-us-east-1-app';

/** Every error of the remediation the command line can meet, as the remediation builds it. */
const REMEDIATION_ERRORS: readonly (readonly [string, Error, string])[] = [
  [
    'an unknown trail',
    new TrailNotFoundError('app', '111122223333', 'us-east-1'),
    'Trail app was not found in account 111122223333, region us-east-1. Check the name or ARN, and run it with the credentials (--profile) and --region of the account and region where the trail was created.',
  ],
  [
    "a copy of another account's organization trail",
    new TrailNotFoundError('org', '111122223333', 'us-east-1', {
      elsewhere: [
        {
          arn: 'arn:aws:cloudtrail:eu-west-1:999988887777:trail/org',
          homeRegion: 'eu-west-1',
          account: '999988887777',
          isOrganizationTrail: true,
        },
      ],
    }),
    'Trail org was not created in account 111122223333, region us-east-1: this region only sees a copy of organization trail arn:aws:cloudtrail:eu-west-1:999988887777:trail/org: run it with --region eu-west-1 and the credentials of account 999988887777 (--profile). Nothing was changed.',
  ],
  [
    'a copy of a multi-region trail',
    new TrailNotInHomeRegionError(TRAIL, 'eu-west-1', 'us-east-1'),
    `Trail ${TRAIL} is a copy of a multi-region trail in region us-east-1; its home region is eu-west-1. Nothing was changed: run it with --region eu-west-1, or give the trail ARN.`,
  ],
  [
    "another account's trail",
    new TrailOfOtherAccountError(TRAIL, '999988887777', '111122223333'),
    `Trail ${TRAIL} belongs to account 999988887777, not to account 111122223333 whose credentials you run with (an organization trail seen from a member account). Nothing was changed: run it with the credentials of account 999988887777 (--profile).`,
  ],
  [
    'a refused adoption',
    new AdoptionRefusedError(TRAIL, ['log group /g exists'], 'managed-by=cloudtrail-logs-guard'),
    `Trail ${TRAIL} was not changed: log group /g exists. The remediation reuses only what carries its tag managed-by=cloudtrail-logs-guard. Delete or rename what you do not trust and run the same command again, or, after checking where it sends events, run it with --adopt-existing to use it as it is.`,
  ],
  [
    'a broken integration',
    new IntegrationBrokenError(TRAIL, [
      'role r was not created by the remediation, and its trust policy or policy is not the documented one: correct it yourself, or run the remediation with AdoptExisting=true (CLI: --adopt-existing) to rewrite it',
    ]),
    `Trail ${TRAIL} names a CloudWatch Logs integration that is broken, and nothing was changed: role r was not created by the remediation, and its trust policy or policy is not the documented one: correct it yourself, or run it with --adopt-existing to rewrite it.`,
  ],
  [
    "a log group's other key",
    new RemediationConflictError(
      'Log group /g is encrypted with KMS key k1, not k2. To keep that key, run the remediation with KmsKeyArn set to it or empty; to use the other key, associate it yourself (aws logs associate-kms-key).',
    ),
    'Log group /g is encrypted with KMS key k1, not k2. To keep that key, run it with --kms-key set to it, or without --kms-key; to use the other key, associate it yourself (aws logs associate-kms-key).',
  ],
  [
    'a role UpdateTrail kept refusing',
    new UpdateTrailRetriesExhaustedError(TRAIL, ROLE, 12, 120_000, new Error('x')),
    `UpdateTrail on ${TRAIL} still failed with Error after 12 attempts within the 120000 ms retry bound. IAM may not have propagated role ${ROLE} yet, the role cannot be assumed by cloudtrail.amazonaws.com, or the credentials you run with lack iam:PassRole on it: check those, then run the same command again.`,
  ],
  [
    'a role CloudTrail cannot use',
    new RoleNotUsableByCloudTrailError(TRAIL, ROLE, undefined, new Error('x')),
    `UpdateTrail on ${TRAIL} failed with InvalidCloudWatchLogsRoleArnException: role ${ROLE} exists and this run did not change it, but CloudTrail cannot use it. Check that its trust policy lets cloudtrail.amazonaws.com assume it, that its permissions (and permissions boundary, and any service control policy) allow logs:CreateLogStream and logs:PutLogEvents on its log group, and that the credentials you run with have iam:PassRole on it; then run the same command again.`,
  ],
  [
    'a trail that does not read back',
    new VerificationError(TRAIL, 'log group a and role b', 'log group none and role none'),
    `Trail ${TRAIL} does not read back the CloudWatch Logs settings just written: expected log group a and role b, found log group none and role none. Another change may have raced this one; run the same command again.`,
  ],
  [
    "a monitoring name that is someone else's",
    new MonitoringConflictError(TRAIL, ['alarm a has no tag']),
    `The CIS monitoring of trail ${TRAIL} was not set up, because names it would use are taken by resources it did not create: alarm a has no tag. Rename or delete them, then run the same command again.`,
  ],
];

describe('operatorMessage', () => {
  it.each(REMEDIATION_ERRORS)('tells %s in command-line terms', (_name, error, line) => {
    expect(operatorMessage(error, 'us-east-1')).toBe(line);
  });

  it.each(REMEDIATION_ERRORS)(
    'leaves nothing addressed to the Lambda or the SSM document in %s',
    (_name, error) => {
      expect(operatorMessage(error, 'us-east-1')).not.toMatch(
        /run the remediation|remediation Lambda|AdoptExisting|KmsKeyArn|where the remediation runs/,
      );
    },
  );

  it.each([
    [
      "the remediation's failed call, with its resource",
      new AwsCallError(
        'iam:CreateRole',
        'CloudTrailToLogs-us-east-1-app',
        serviceError('AccessDenied', 'User is not authorized to perform iam:CreateRole', 403),
      ),
      'iam:CreateRole on CloudTrailToLogs-us-east-1-app in us-east-1 failed: HTTP 403 AccessDenied: User is not authorized to perform iam:CreateRole. Grant iam:CreateRole on CloudTrailToLogs-us-east-1-app to the credentials you run with, or check that no SCP denies it in this region.',
    ],
    [
      "the remediation's failed call on a dry run, with no advice to run the remediation again",
      new AwsCallError(
        'cloudtrail:GetTrail',
        'app',
        Object.assign(new SyntaxError('Unexpected token \'<\', "<html>" is not valid JSON'), {
          $metadata: { httpStatusCode: 502 },
          $response: { statusCode: 502, headers: { 'content-type': 'text/html' } },
        }),
      ),
      'cloudtrail:GetTrail on app in us-east-1 failed: HTTP 502 UnreadableResponse: the answer is not an AWS API response (text/html). Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.',
    ],
    [
      "the rule's denied call",
      new AccessDeniedError('iam:GetRole', 'role r', { cause: serviceError('AccessDenied', 'denied', 403) }),
      'iam:GetRole in us-east-1 failed: HTTP 403 AccessDenied: denied. Grant iam:GetRole to the credentials you run with, or check that no SCP denies it in this region.',
    ],
    [
      'a partial fix, by the error that stopped it',
      new FixIncompleteError(
        TRAIL,
        [],
        [],
        new AwsCallError('iam:CreateRole', 'r', serviceError('Throttling', 'Rate exceeded', 400)),
      ),
      'iam:CreateRole on r in us-east-1 failed: HTTP 400 Throttling: Rate exceeded. AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.',
    ],
  ])('says %s as scan says a failed call', (_name, error, line) => {
    expect(operatorMessage(error, 'us-east-1')).toBe(line);
  });

  it('leaves the region out when it is not known', () => {
    const error = new AwsCallError(
      'cloudtrail:GetTrail',
      'app',
      serviceError('InternalFailure', 'oops', 500),
    );
    expect(operatorMessage(error, undefined)).toBe(
      'cloudtrail:GetTrail on app failed: HTTP 500 InternalFailure: oops. Run it again with --debug to see the requests.',
    );
  });

  it('keeps only the first line of any other error', () => {
    expect(operatorMessage(new Error('first\nsecond'), 'us-east-1')).toBe('first');
  });
});

describe('forTheCommandLine', () => {
  it('gives a sentence that now starts with the credentials its capital back', () => {
    expect(forTheCommandLine("Denied. The remediation Lambda's role needs x.")).toBe(
      'Denied. The credentials you run with need x.',
    );
  });
});

describe('errorJson', () => {
  it('carries the classified failure of a call: operation, resource, region, cause, code and status', () => {
    const error = new AggregatorReadError(
      'org',
      'config:DescribeAggregateComplianceByConfigRules',
      serviceError('AccessDeniedException', 'denied', 400),
    );
    expect(errorJson('report', error, 'eu-west-1', 1)).toEqual({
      command: 'report',
      message:
        'config:DescribeAggregateComplianceByConfigRules on aggregator org in eu-west-1 failed: HTTP 400 AccessDeniedException: denied. Grant config:DescribeAggregateComplianceByConfigRules on aggregator org to the credentials you run with, or check that no SCP denies it in this region.',
      exitCode: 1,
      operation: 'config:DescribeAggregateComplianceByConfigRules',
      resource: 'aggregator org',
      region: 'eu-west-1',
      cause: 'permission',
      code: 'AccessDeniedException',
      httpStatus: 400,
    });
  });

  it('is the message alone for an error that is not a failed call', () => {
    expect(
      errorJson('fix', new TrailOfOtherAccountError(TRAIL, '999988887777', '111122223333'), undefined, 1),
    ).toEqual({
      command: 'fix',
      message: `Trail ${TRAIL} belongs to account 999988887777, not to account 111122223333 whose credentials you run with (an organization trail seen from a member account). Nothing was changed: run it with the credentials of account 999988887777 (--profile).`,
      exitCode: 1,
    });
  });
});
