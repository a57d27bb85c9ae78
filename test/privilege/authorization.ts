import { type AwsRequest, queryList } from './aws-request.js';

/**
 * What IAM authorizes for each API call the project makes: the action, the resource ARN in the shape AWS
 * evaluates (not the emulator's where they differ), the request's condition keys, and the further actions a
 * call needs (CreateLogGroup with tags also needs logs:TagResource). One entry per operation, each with the
 * Service Authorization Reference's resource type for its action, which the check compares with the type
 * iam-simulate (whose data is that reference) finds for the ARN. An operation without an entry fails the check.
 *
 * Where the request does not determine the whole ARN (an alarm name prefix, an aggregator's generated id), the
 * unknown part is `*`: the check treats every `*` of a request ARN as a character only a wildcard of a policy
 * matches, so such a call passes only a statement that covers every resource it could be.
 */

/** Resource ARN or `*` (wildcard-only actions), as IAM evaluates it. */
export interface Authorization {
  readonly action: string;
  readonly resource: string;
  /** The Service Authorization Reference's resource type for the ARN; undefined for `*`. */
  readonly resourceType: string | undefined;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
  /** The call that needs it, as the documentation tables show it (`logs:CreateLogGroup with tags`). */
  readonly neededBy: string;
}

/** What is known about a role before a call: its path and permissions boundary (role-facts.ts). */
export interface RoleFacts {
  path(account: string, roleName: string): string | undefined;
  boundary(account: string, roleName: string): string | undefined;
}

export interface CallContext {
  readonly request: AwsRequest;
  /** The account the caller acts in (its role's account). */
  readonly account: string;
  /** The organization of the accounts involved, when they are in one (aws:ResourceOrgID, aws:PrincipalOrgID). */
  readonly organizationId: string | undefined;
  readonly roles: RoleFacts;
}

/** An operation this file has no entry for: the check names it and where to add it. */
export class UnmappedOperationError extends Error {
  constructor(operation: string) {
    super(
      `${operation} has no authorization entry: add it to OPERATIONS in test/privilege/authorization.ts with the ` +
        "Service Authorization Reference's resource type and the ARN IAM evaluates.",
    );
    this.name = 'UnmappedOperationError';
  }
}

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference';

interface OperationEntry {
  /** The Service Authorization Reference page the action and resource type are taken from. */
  readonly reference: string;
  readonly authorize: (call: CallContext) => Authorization[];
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function text(input: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function required(call: CallContext, key: string): string {
  const value = text(call.request.input, key);
  if (value === undefined) {
    throw new Error(`${call.request.service}:${call.request.operation} was recorded without ${key}.`);
  }
  return value;
}

function responseJson(call: CallContext): Record<string, unknown> | undefined {
  if (call.request.response.status !== 200) return undefined;
  try {
    return JSON.parse(call.request.response.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function xmlValue(xml: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
}

function one(
  call: CallContext,
  resource: string,
  resourceType: string | undefined,
  context: Record<string, string | readonly string[]> = {},
  action = `${call.request.service}:${call.request.operation}`,
  neededBy = `${call.request.service}:${call.request.operation}`,
): Authorization {
  return { action, resource, resourceType, context, neededBy };
}

/** Wildcard-only actions (the reference lists no resource type): IAM evaluates `*`. */
function wildcardOnly(reference: string): OperationEntry {
  return { reference, authorize: (call) => [one(call, '*', undefined)] };
}

// --- CloudTrail ------------------------------------------------------------------------------------------------

/**
 * The trail ARN IAM evaluates: the ARN when the request gives one; for a name, the ARN GetTrail answered with
 * (a multi-region trail's copy answers with the home region's ARN), else the trail of that name in the region
 * and account called. moto answers a name outside the home region with TrailNotFoundException where AWS returns
 * the copy; the ARN is then the region called's, which the remediation's read grant (any region) covers either way.
 */
function trailArn(call: CallContext, nameKey: string): string {
  const name = required(call, nameKey);
  if (name.startsWith('arn:')) return name;
  const answered = (responseJson(call)?.Trail as { TrailARN?: string } | undefined)?.TrailARN;
  if (answered !== undefined) return answered;
  const { region } = call.request;
  return `arn:${partitionOf(region)}:cloudtrail:${region}:${call.account}:trail/${name}`;
}

function trailEntry(nameKey: string): OperationEntry {
  return {
    reference: `${SAR}/list_awscloudtrail.html`,
    authorize: (call) => [one(call, trailArn(call, nameKey), 'trail')],
  };
}

// --- CloudWatch Logs -------------------------------------------------------------------------------------------

/**
 * The log group ARN. "Both of the following are used. The second one, with the :* at the end, is what is
 * returned by the describe-log-groups CLI command and the DescribeLogGroups API": the one without `:*` for the
 * tagging operations' resourceArn, "the second version, with the trailing :*, ... when specifying permissions in
 * IAM policies for all other API actions" (CloudWatch Logs User Guide, "Overview of managing access permissions
 * to your CloudWatch Logs resources").
 */
function logGroupArn(call: CallContext, name: string, trailingStar: boolean): string {
  const { region } = call.request;
  const arn = `arn:${partitionOf(region)}:logs:${region}:${call.account}:log-group:${name}`;
  return trailingStar ? `${arn}:*` : arn;
}

function tagContext(tags: Readonly<Record<string, string>>): Record<string, string | readonly string[]> {
  return {
    ...Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:RequestTag/${key}`, value])),
    'aws:TagKeys': Object.keys(tags),
  };
}

function logGroupEntry(): OperationEntry {
  return {
    reference: `${SAR}/list_amazoncloudwatchlogs.html`,
    authorize: (call) => [one(call, logGroupArn(call, required(call, 'logGroupName'), true), 'log-group')],
  };
}

// --- IAM -------------------------------------------------------------------------------------------------------

/**
 * The role ARN IAM evaluates holds the role's path (`role/${RoleNameWithPath}`), which a request naming the role
 * does not carry: it is the path CreateRole gave or GetRole answered (role-facts.ts). A role not known to exist
 * (GetRole of a role not created yet) is taken at the root path: whether IAM evaluates a missing role's ARN with
 * a path is not documented, and infra/remediation-function.ts (RemediationScope.roleLookUp) assumes the same.
 */
function roleArn(call: CallContext, roleName: string): string {
  const answered = xmlValue(call.request.response.body, 'Arn');
  if (call.request.response.status === 200 && answered?.endsWith(`/${roleName}`)) return answered;
  const path = call.roles.path(call.account, roleName) ?? '/';
  return `arn:${partitionOf(call.request.region)}:iam::${call.account}:role${path}${roleName}`;
}

/** iam:PermissionsBoundary of an existing role: its current boundary (absent when it has none). */
function currentBoundary(call: CallContext, roleName: string): Record<string, string> {
  const boundary = call.roles.boundary(call.account, roleName);
  return boundary === undefined ? {} : { 'iam:PermissionsBoundary': boundary };
}

function roleEntry(
  context?: (call: CallContext, roleName: string) => Record<string, string>,
): OperationEntry {
  return {
    reference: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
    authorize: (call) => {
      const roleName = required(call, 'RoleName');
      return [one(call, roleArn(call, roleName), 'role', context?.(call, roleName) ?? {})];
    },
  };
}

function requestTags(call: CallContext): Record<string, string> {
  return Object.fromEntries(
    queryList(call.request.input, 'Tags').map(({ Key, Value }) => [Key, Value ?? '']),
  );
}

// --- CloudWatch ------------------------------------------------------------------------------------------------

function alarmArn(call: CallContext, name: string): string {
  const { region } = call.request;
  return `arn:${partitionOf(region)}:cloudwatch:${region}:${call.account}:alarm:${name}`;
}

function jsonTags(value: unknown): Record<string, string> {
  if (!Array.isArray(value)) return {};
  return Object.fromEntries(
    (value as { Key?: string; Value?: string }[]).map(({ Key, Value }) => [Key ?? '', Value ?? '']),
  );
}

/** Every operation the Lambdas and the CLI call, by `<IAM prefix>:<operation>`. */
export const OPERATIONS: Readonly<Record<string, OperationEntry>> = {
  'cloudtrail:DescribeTrails': wildcardOnly(`${SAR}/list_awscloudtrail.html`),
  'cloudtrail:GetTrail': trailEntry('Name'),
  'cloudtrail:GetTrailStatus': trailEntry('Name'),
  'cloudtrail:GetEventSelectors': trailEntry('TrailName'),
  // UpdateTrail with CloudWatchLogsRoleArn passes that role to CloudTrail: iam:PassRole on it, with
  // iam:PassedToService (CloudTrail User Guide, "Sending events to CloudWatch Logs": the user needs PassRole).
  'cloudtrail:UpdateTrail': {
    reference: `${SAR}/list_awscloudtrail.html`,
    authorize: (call) => {
      const trail = one(call, trailArn(call, 'Name'), 'trail');
      const role = text(call.request.input, 'CloudWatchLogsRoleArn');
      if (role === undefined) return [trail];
      return [
        trail,
        one(
          call,
          role,
          'role',
          { 'iam:PassedToService': 'cloudtrail.amazonaws.com' },
          'iam:PassRole',
          'cloudtrail:UpdateTrail with CloudWatchLogsRoleArn',
        ),
      ];
    },
  },

  'logs:DescribeLogGroups': wildcardOnly(`${SAR}/list_amazoncloudwatchlogs.html`),
  // "To assign tags when you create a log group, you must have either the logs:TagResource or
  // logs:TagLogGroup permission" (CreateLogGroup API reference, tags): logs:TagResource, the non-deprecated one.
  'logs:CreateLogGroup': {
    reference: `${SAR}/list_amazoncloudwatchlogs.html`,
    authorize: (call) => {
      const name = required(call, 'logGroupName');
      const tags = (call.request.input.tags ?? {}) as Record<string, string>;
      const create = one(call, logGroupArn(call, name, true), 'log-group', tagContext(tags));
      if (Object.keys(tags).length === 0) return [create];
      return [
        create,
        one(
          call,
          logGroupArn(call, name, false),
          'log-group',
          tagContext(tags),
          'logs:TagResource',
          'logs:CreateLogGroup with tags',
        ),
      ];
    },
  },
  'logs:PutRetentionPolicy': logGroupEntry(),
  'logs:AssociateKmsKey': logGroupEntry(),
  'logs:DescribeSubscriptionFilters': logGroupEntry(),
  'logs:PutMetricFilter': logGroupEntry(),
  'logs:DescribeMetricFilters': {
    reference: `${SAR}/list_amazoncloudwatchlogs.html`,
    authorize: (call) => {
      const name = text(call.request.input, 'logGroupName');
      return [
        name === undefined
          ? one(call, '*', undefined)
          : one(call, logGroupArn(call, name, true), 'log-group'),
      ];
    },
  },
  'logs:ListTagsForResource': {
    reference: `${SAR}/list_amazoncloudwatchlogs.html`,
    authorize: (call) => [one(call, required(call, 'resourceArn'), 'log-group')],
  },

  'iam:GetRole': roleEntry(currentBoundary),
  'iam:GetRolePolicy': roleEntry(),
  'iam:ListRolePolicies': roleEntry(),
  'iam:ListAttachedRolePolicies': roleEntry(),
  'iam:PutRolePolicy': roleEntry(currentBoundary),
  'iam:DeleteRolePolicy': roleEntry(currentBoundary),
  'iam:UpdateAssumeRolePolicy': roleEntry(currentBoundary),
  'iam:DetachRolePolicy': roleEntry((call, roleName) => ({
    ...currentBoundary(call, roleName),
    'iam:PolicyARN': required(call, 'PolicyArn'),
  })),
  // iam:PermissionsBoundary of PutRolePermissionsBoundary is the boundary requested (IAM User Guide,
  // "Condition keys for IAM": "the permissions boundary ... specified in the request").
  'iam:PutRolePermissionsBoundary': roleEntry((call) => ({
    'iam:PermissionsBoundary': required(call, 'PermissionsBoundary'),
  })),
  // CreateRole with Tags is also authorized as iam:TagRole on the new role (what IAM checks for tags on create;
  // the remediation's role-api.ts lists "iam:CreateRole + iam:TagRole", and iamlive records the same pair:
  // github.com/iann0036/iamlive pull request 98).
  'iam:CreateRole': {
    reference: `${SAR}/list_awsidentityandaccessmanagementiam.html`,
    authorize: (call) => {
      const roleName = required(call, 'RoleName');
      const path = text(call.request.input, 'Path') ?? '/';
      const arn = `arn:${partitionOf(call.request.region)}:iam::${call.account}:role${path}${roleName}`;
      const boundary = text(call.request.input, 'PermissionsBoundary');
      const tags = requestTags(call);
      const context = {
        ...(boundary === undefined ? {} : { 'iam:PermissionsBoundary': boundary }),
        ...tagContext(tags),
      };
      const create = one(call, arn, 'role', context);
      if (Object.keys(tags).length === 0) return [create];
      return [create, one(call, arn, 'role', tagContext(tags), 'iam:TagRole', 'iam:CreateRole with Tags')];
    },
  },

  // GetCallerIdentity: "No permissions are required to perform this operation" (STS API reference); iam-simulate
  // allows it whatever the policies say, as IAM does.
  'sts:GetCallerIdentity': wildcardOnly(`${SAR}/list_awssecuritytokenservice.html`),
  // AssumeRole is evaluated against the role's trust policy as well (the check adds it as the resource policy);
  // aws:ResourceOrgID is the organization of the role's account.
  'sts:AssumeRole': {
    reference: `${SAR}/list_awssecuritytokenservice.html`,
    authorize: (call) => [
      one(call, required(call, 'RoleArn'), 'role', {
        'sts:RoleSessionName': required(call, 'RoleSessionName'),
        ...(call.organizationId === undefined
          ? {}
          : { 'aws:ResourceOrgID': call.organizationId, 'aws:PrincipalOrgID': call.organizationId }),
      }),
    ],
  },

  'organizations:DescribeOrganization': wildcardOnly(`${SAR}/list_awsorganizations.html`),
  'organizations:ListAccounts': wildcardOnly(`${SAR}/list_awsorganizations.html`),
  // The child's ARN names the management account (and the organization), which the request does not: unknown.
  'organizations:ListParents': {
    reference: `${SAR}/list_awsorganizations.html`,
    authorize: (call) => {
      const child = required(call, 'ChildId');
      const organization = call.organizationId ?? 'o-*';
      const [path, type] = child.startsWith('ou-') ? ['ou', 'organizationalunit'] : ['account', 'account'];
      return [one(call, `arn:aws:organizations::*:${path}/${organization}/${child}`, type)];
    },
  },

  'config:PutEvaluations': wildcardOnly(`${SAR}/list_awsconfig.html`),
  'config:GetResourceConfigHistory': wildcardOnly(`${SAR}/list_awsconfig.html`),
  // The rule and aggregator ARNs hold an id CloudFormation or Config generated, which the request (a name) does
  // not carry: unknown, so only a grant on every rule or aggregator of the account and region passes.
  'config:GetComplianceDetailsByConfigRule': {
    reference: `${SAR}/list_awsconfig.html`,
    authorize: (call) => {
      const { region } = call.request;
      return [
        one(call, `arn:${partitionOf(region)}:config:${region}:${call.account}:config-rule/*`, 'ConfigRule'),
      ];
    },
  },
  ...Object.fromEntries(
    [
      'DescribeAggregateComplianceByConfigRules',
      'GetAggregateComplianceDetailsByConfigRule',
      'DescribeConfigurationAggregatorSourcesStatus',
      'GetAggregateConfigRuleComplianceSummary',
    ].map((operation) => [
      `config:${operation}`,
      {
        reference: `${SAR}/list_awsconfig.html`,
        authorize: (call: CallContext) => {
          const { region } = call.request;
          return [
            one(
              call,
              `arn:${partitionOf(region)}:config:${region}:${call.account}:config-aggregator/*`,
              'ConfigurationAggregator',
            ),
          ];
        },
      },
    ]),
  ),

  'ssm:DescribeAutomationExecutions': wildcardOnly(`${SAR}/list_awssystemsmanager.html`),
  'ssm:GetAutomationExecution': {
    reference: `${SAR}/list_awssystemsmanager.html`,
    authorize: (call) => {
      const { region } = call.request;
      const id = required(call, 'AutomationExecutionId');
      return [
        one(
          call,
          `arn:${partitionOf(region)}:ssm:${region}:${call.account}:automation-execution/${id}`,
          'automation-execution',
        ),
      ];
    },
  },

  // PutMetricAlarm with Tags: "To be able to associate tags with the alarm when you create the alarm, you must
  // have the cloudwatch:TagResource permission" (PutMetricAlarm API reference, Tags). cloudwatch:AlarmActions is
  // the condition key on the actions an alarm may take.
  'cloudwatch:PutMetricAlarm': {
    reference: `${SAR}/list_amazoncloudwatch.html`,
    authorize: (call) => {
      const arn = alarmArn(call, required(call, 'AlarmName'));
      const tags = jsonTags(call.request.input.Tags);
      const actions = (call.request.input.AlarmActions ?? []) as string[];
      const put = one(call, arn, 'alarm', { 'cloudwatch:AlarmActions': actions, ...tagContext(tags) });
      if (Object.keys(tags).length === 0) return [put];
      return [
        put,
        one(
          call,
          arn,
          'alarm',
          tagContext(tags),
          'cloudwatch:TagResource',
          'cloudwatch:PutMetricAlarm with Tags',
        ),
      ];
    },
  },
  // By names: each alarm. By prefix: every alarm the prefix could name (IAM's evaluation of a prefix query is
  // not documented; requiring the whole prefix is the narrowest reading a grant must satisfy).
  'cloudwatch:DescribeAlarms': {
    reference: `${SAR}/list_amazoncloudwatch.html`,
    authorize: (call) => {
      const names = call.request.input.AlarmNames as string[] | undefined;
      if (names !== undefined && names.length > 0) {
        return names.map((name) => one(call, alarmArn(call, name), 'alarm'));
      }
      const prefix = text(call.request.input, 'AlarmNamePrefix') ?? '';
      return [one(call, alarmArn(call, `${prefix}*`), 'alarm')];
    },
  },
  'cloudwatch:ListTagsForResource': {
    reference: `${SAR}/list_amazoncloudwatch.html`,
    authorize: (call) => [one(call, required(call, 'ResourceARN'), 'alarm')],
  },

  'sns:ListSubscriptionsByTopic': {
    reference: `${SAR}/list_amazonsns.html`,
    authorize: (call) => [one(call, required(call, 'TopicArn'), 'topic')],
  },

  'ec2:DescribeRegions': wildcardOnly(`${SAR}/list_amazonec2.html`),
  // Without AccountId, ListRegions is about the caller's own account: resource type `account`.
  'account:ListRegions': {
    reference: `${SAR}/list_awsaccountmanagement.html`,
    authorize: (call) => [one(call, `arn:aws:account::${call.account}:account`, 'account')],
  },

  'lambda:Invoke': {
    reference: `${SAR}/list_awslambda.html`,
    authorize: (call) => {
      const name = required(call, 'FunctionName');
      const { region } = call.request;
      const arn = name.startsWith('arn:')
        ? name
        : `arn:${partitionOf(region)}:lambda:${region}:${call.account}:function:${name}`;
      return [one(call, arn, 'function', {}, 'lambda:InvokeFunction')];
    },
  },
};

/** What IAM authorizes for `call`; UnmappedOperationError for an operation without an entry. */
export function authorizationsOf(call: CallContext): Authorization[] {
  const key = `${call.request.service}:${call.request.operation}`;
  const entry = OPERATIONS[key];
  if (entry === undefined) throw new UnmappedOperationError(key);
  return entry.authorize(call);
}
