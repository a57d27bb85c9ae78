import { describe, expect, it } from 'vitest';
import {
  type Authorization,
  authorizationsOf,
  type RoleFacts,
  UnmappedOperationError,
} from './authorization.js';
import { readAwsRequest } from './aws-request.js';
import { jsonRequest, OK, queryRequest, response } from './exchanges.js';
import { decide } from './simulate.js';

const ACCOUNT = '123456789012';
const GROUP = '/cloudtrail-logs-guard/main';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}`;
const ROLE = 'CloudTrailToLogs-us-east-1-main';
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
const TAGS = { 'managed-by': 'cloudtrail-logs-guard' };
const TAG_CONTEXT = { 'aws:RequestTag/managed-by': 'cloudtrail-logs-guard', 'aws:TagKeys': ['managed-by'] };

const NO_FACTS: RoleFacts = { path: () => undefined, boundary: () => undefined };
const OWN_ROLE_FACTS: RoleFacts = {
  path: (account, name) => (account === ACCOUNT && name === ROLE ? '/cloudtrail-logs-guard/' : undefined),
  boundary: (account, name) => (account === ACCOUNT && name === ROLE ? BOUNDARY : undefined),
};

function authorize(
  request: ReturnType<typeof jsonRequest>,
  answer = OK,
  roles = NO_FACTS,
  organizationId?: string,
): Authorization[] {
  return authorizationsOf({
    request: readAwsRequest(request, answer),
    account: ACCOUNT,
    organizationId,
    roles,
  });
}

const auth = (
  action: string,
  resource: string,
  resourceType: string | undefined,
  context: Authorization['context'] = {},
  neededBy = action,
): Authorization => ({ action, resource, resourceType, context, neededBy });

const CASES: [string, ReturnType<typeof jsonRequest>, Authorization[]][] = [
  [
    'CreateLogGroup with tags: the group with :*, and logs:TagResource on the group without it',
    jsonRequest('logs', 'Logs_20140328.CreateLogGroup', { logGroupName: GROUP, tags: TAGS }),
    [
      auth('logs:CreateLogGroup', `${GROUP_ARN}:*`, 'log-group', TAG_CONTEXT),
      auth('logs:TagResource', GROUP_ARN, 'log-group', TAG_CONTEXT, 'logs:CreateLogGroup with tags'),
    ],
  ],
  [
    'CreateLogGroup without tags',
    jsonRequest('logs', 'Logs_20140328.CreateLogGroup', { logGroupName: GROUP }),
    [auth('logs:CreateLogGroup', `${GROUP_ARN}:*`, 'log-group', { 'aws:TagKeys': [] })],
  ],
  [
    'ListTagsForResource on the ARN given (no :*)',
    jsonRequest('logs', 'Logs_20140328.ListTagsForResource', { resourceArn: GROUP_ARN }),
    [auth('logs:ListTagsForResource', GROUP_ARN, 'log-group')],
  ],
  [
    'DescribeLogGroups: wildcard-only',
    jsonRequest('logs', 'Logs_20140328.DescribeLogGroups', { logGroupNamePrefix: '/x' }),
    [auth('logs:DescribeLogGroups', '*', undefined)],
  ],
  [
    'GetTrailStatus by ARN, the ARN as given',
    jsonRequest(
      'cloudtrail',
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.GetTrailStatus',
      { Name: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main' },
      { region: 'us-east-1' },
    ),
    [auth('cloudtrail:GetTrailStatus', 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main', 'trail')],
  ],
  [
    'GetTrail by name: the region and account called',
    jsonRequest('cloudtrail', 'CloudTrail_20131101.GetTrail', { Name: 'main' }, { region: 'eu-west-1' }),
    [auth('cloudtrail:GetTrail', 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main', 'trail')],
  ],
  [
    'UpdateTrail with a role: iam:PassRole on it, to CloudTrail',
    jsonRequest('cloudtrail', 'CloudTrail_20131101.UpdateTrail', {
      Name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main',
      CloudWatchLogsLogGroupArn: `${GROUP_ARN}:*`,
      CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`,
    }),
    [
      auth('cloudtrail:UpdateTrail', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main', 'trail'),
      auth(
        'iam:PassRole',
        `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`,
        'role',
        { 'iam:PassedToService': 'cloudtrail.amazonaws.com' },
        'cloudtrail:UpdateTrail with CloudWatchLogsRoleArn',
      ),
    ],
  ],
  [
    'CreateRole with a path, a boundary and tags: and iam:TagRole',
    queryRequest('iam', 'CreateRole', {
      RoleName: ROLE,
      Path: '/cloudtrail-logs-guard/',
      PermissionsBoundary: BOUNDARY,
      'Tags.member.1.Key': 'managed-by',
      'Tags.member.1.Value': 'cloudtrail-logs-guard',
    }),
    [
      auth('iam:CreateRole', `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`, 'role', {
        'iam:PermissionsBoundary': BOUNDARY,
        ...TAG_CONTEXT,
      }),
      auth(
        'iam:TagRole',
        `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`,
        'role',
        TAG_CONTEXT,
        'iam:CreateRole with Tags',
      ),
    ],
  ],
  [
    'GetRole of a role not known to exist: the root path',
    queryRequest('iam', 'GetRole', { RoleName: ROLE }),
    [auth('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/${ROLE}`, 'role')],
  ],
  [
    'PutMetricAlarm with tags and an action: cloudwatch:AlarmActions, and cloudwatch:TagResource',
    jsonRequest('monitoring', 'GraniteServiceVersion20100801.PutMetricAlarm', {
      AlarmName: 'cloudtrail-logs-guard-main-CloudWatch.1',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:alarms'],
      Tags: [{ Key: 'managed-by', Value: 'cloudtrail-logs-guard' }],
    }),
    [
      auth(
        'cloudwatch:PutMetricAlarm',
        `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-CloudWatch.1`,
        'alarm',
        { 'cloudwatch:AlarmActions': ['arn:aws:sns:us-east-1:123456789012:alarms'], ...TAG_CONTEXT },
      ),
      auth(
        'cloudwatch:TagResource',
        `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-CloudWatch.1`,
        'alarm',
        TAG_CONTEXT,
        'cloudwatch:PutMetricAlarm with Tags',
      ),
    ],
  ],
  [
    'DescribeAlarms by prefix: every alarm the prefix names',
    jsonRequest('monitoring', 'GraniteServiceVersion20100801.DescribeAlarms', {
      AlarmNamePrefix: 'cloudtrail-logs-guard-main-',
    }),
    [
      auth(
        'cloudwatch:DescribeAlarms',
        `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-*`,
        'alarm',
      ),
    ],
  ],
  [
    'GetAutomationExecution: the execution of the account and region called',
    jsonRequest('ssm', 'AmazonSSM.GetAutomationExecution', { AutomationExecutionId: 'e-1' }),
    [
      auth(
        'ssm:GetAutomationExecution',
        `arn:aws:ssm:us-east-1:${ACCOUNT}:automation-execution/e-1`,
        'automation-execution',
      ),
    ],
  ],
  [
    'ListSubscriptionsByTopic (query protocol): the topic',
    queryRequest('sns', 'ListSubscriptionsByTopic', {
      TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:cloudtrail-logs-guard-alarms`,
    }),
    [
      auth(
        'sns:ListSubscriptionsByTopic',
        `arn:aws:sns:us-east-1:${ACCOUNT}:cloudtrail-logs-guard-alarms`,
        'topic',
      ),
    ],
  ],
  [
    'ListParents of an account: the management account and organization are unknown',
    jsonRequest('organizations', 'AWSOrganizationsV20161128.ListParents', { ChildId: '222222222222' }),
    [auth('organizations:ListParents', 'arn:aws:organizations::*:account/o-*/222222222222', 'account')],
  ],
  [
    'ListParents of an OU',
    jsonRequest('organizations', 'AWSOrganizationsV20161128.ListParents', { ChildId: 'ou-ab12-cdefgh34' }),
    [
      auth(
        'organizations:ListParents',
        'arn:aws:organizations::*:ou/o-*/ou-ab12-cdefgh34',
        'organizationalunit',
      ),
    ],
  ],
  [
    'DescribeAutomationExecutions: wildcard-only',
    jsonRequest('ssm', 'AmazonSSM.DescribeAutomationExecutions', {
      Filters: [{ Key: 'DocumentNamePrefix', Values: ['cloudtrail-logs-guard'] }],
    }),
    [auth('ssm:DescribeAutomationExecutions', '*', undefined)],
  ],
  [
    "DescribeConfigurationAggregatorSourcesStatus: the aggregator's id is unknown",
    jsonRequest('config', 'StarlingDoveService.DescribeConfigurationAggregatorSourcesStatus', {
      ConfigurationAggregatorName: 'organization',
    }),
    [
      auth(
        'config:DescribeConfigurationAggregatorSourcesStatus',
        `arn:aws:config:us-east-1:${ACCOUNT}:config-aggregator/*`,
        'ConfigurationAggregator',
      ),
    ],
  ],
  [
    "an aggregator read: the aggregator's id is unknown",
    jsonRequest('config', 'StarlingDoveService.DescribeAggregateComplianceByConfigRules', {
      ConfigurationAggregatorName: 'organization',
    }),
    [
      auth(
        'config:DescribeAggregateComplianceByConfigRules',
        `arn:aws:config:us-east-1:${ACCOUNT}:config-aggregator/*`,
        'ConfigurationAggregator',
      ),
    ],
  ],
];

describe('authorizationsOf', () => {
  it.each(CASES)('%s', (_case, request, expected) => {
    expect(authorize(request)).toEqual(expected);
  });

  it.each(CASES)(
    "%s: each resource type is the Service Authorization Reference's (iam-simulate's data)",
    async (_case, request) => {
      for (const authorization of authorize(request)) {
        const answer = await decide({
          principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
          account: ACCOUNT,
          statements: [],
          authorization,
        });
        expect({
          action: authorization.action,
          type: answer.resourceType,
          ignored: answer.ignoredContextKeys,
        }).toEqual({
          action: authorization.action,
          type: authorization.resourceType,
          ignored: [],
        });
      }
    },
  );

  it('takes a role path and current boundary from what the scenario learnt', () => {
    expect(
      authorize(
        queryRequest('iam', 'PutRolePolicy', { RoleName: ROLE, PolicyName: 'p' }),
        OK,
        OWN_ROLE_FACTS,
      ),
    ).toEqual([
      auth('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`, 'role', {
        'iam:PermissionsBoundary': BOUNDARY,
      }),
    ]);
  });

  it('takes a role ARN from the GetRole answer', () => {
    const answer = response(
      200,
      `<GetRoleResponse><GetRoleResult><Role><Path>/p/</Path><Arn>arn:aws:iam::${ACCOUNT}:role/p/${ROLE}</Arn></Role></GetRoleResult></GetRoleResponse>`,
    );
    expect(authorize(queryRequest('iam', 'GetRole', { RoleName: ROLE }), answer)).toEqual([
      auth('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/p/${ROLE}`, 'role'),
    ]);
  });

  it("takes a trail's home-region ARN from the GetTrail answer", () => {
    const answer = response(
      200,
      JSON.stringify({ Trail: { TrailARN: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main' } }),
    );
    expect(
      authorize(jsonRequest('cloudtrail', 'CloudTrail_20131101.GetTrail', { Name: 'main' }), answer),
    ).toEqual([auth('cloudtrail:GetTrail', 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/main', 'trail')]);
  });

  it('gives AssumeRole the organization of the accounts and the session name', () => {
    const request = queryRequest('sts', 'AssumeRole', {
      RoleArn: 'arn:aws:iam::123456789012:role/cloudtrail-logs-guard-fix-us-east-1',
      RoleSessionName: 'cloudtrail-logs-guard',
    });
    expect(authorize(request, OK, NO_FACTS, 'o-exampleorg1')).toEqual([
      auth('sts:AssumeRole', 'arn:aws:iam::123456789012:role/cloudtrail-logs-guard-fix-us-east-1', 'role', {
        'sts:RoleSessionName': 'cloudtrail-logs-guard',
        'aws:ResourceOrgID': 'o-exampleorg1',
        'aws:PrincipalOrgID': 'o-exampleorg1',
      }),
    ]);
  });

  it('names an operation without an entry and where to add it', () => {
    expect(() =>
      authorize(jsonRequest('logs', 'Logs_20140328.DeleteLogGroup', { logGroupName: GROUP })),
    ).toThrow(new UnmappedOperationError('logs:DeleteLogGroup'));
  });

  it('names a parameter the entry needs and the request lacks', () => {
    expect(() => authorize(jsonRequest('logs', 'Logs_20140328.PutRetentionPolicy', {}))).toThrow(
      'logs:PutRetentionPolicy was recorded without logGroupName.',
    );
  });
});
