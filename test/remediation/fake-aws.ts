import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsCommandOutput,
  GetTrailCommand,
  GetTrailStatusCommand,
  InvalidCloudWatchLogsRoleArnException,
  type Trail,
  TrailNotFoundException,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand as ListAlarmTagsCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  AssociateKmsKeyCommand,
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  DescribeSubscriptionFiltersCommand,
  ListTagsForResourceCommand,
  type MetricFilter,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  ListParentsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListSubscriptionsByTopicCommand, NotFoundException, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { RemediationClients } from '../../remediation/clients.js';
import getTrailFixture from '../fixtures/remediation/get-trail.json' with { type: 'json' };

/**
 * An in-memory account behind aws-sdk-client-mock: the SDK clients are mocked at their boundary and answer
 * from this state, so a run's writes are visible to the next run (re-run tests) and to assertions.
 */

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const TRAIL_NAME = 'management-events';
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL_NAME}`;
export const LOG_GROUP = `/cloudtrail-logs-guard/${TRAIL_NAME}`;
export const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*`;
export const ROLE = `CloudTrailToLogs-${REGION}-${TRAIL_NAME}`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`;
/** The alarms' topic the fake account has, with one confirmed subscription. */
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cloudtrail-logs-guard-alarms`;

/** A confirmed subscription's ARN, as SNS gives it (`<topic ARN>:<id>`). */
export function subscriptionArn(topicArn: string, index: number): string {
  return `${topicArn}:${String(index).padStart(8, '0')}-1111-2222-3333-444455556666`;
}

/** The simulated present: CreateRole stamps new roles with it; tests start their simulated clock there. */
export const FAKE_NOW = new Date('2026-11-29T19:00:00Z');
/** CreateDate of a role a test puts into the world without `created`: long before FAKE_NOW. */
export const OLD_ROLE_DATE = new Date('2026-11-01T00:00:00Z');

export interface FakeLogGroup {
  retentionInDays?: number;
  kmsKeyId?: string;
  tags: Record<string, string>;
  /** DescribeSubscriptionFilters' answer. @default none */
  subscriptionFilters?: { filterName: string; destinationArn: string }[];
}

export interface FakeRole {
  path: string;
  trust: string;
  inline: Map<string, string>;
  attached: string[];
  tags: { Key: string; Value: string }[];
  /** ARN of the permissions boundary; absent for none. */
  boundary?: string;
  /** GetRole's CreateDate. @default OLD_ROLE_DATE */
  created?: Date;
}

export interface FakeWorld {
  account: string;
  trails: Trail[];
  /**
   * Copies of trails of other regions or accounts this region sees: DescribeTrails lists them, GetTrail finds them
   * by ARN only (by name it knows only the trails created in this region).
   */
  shadowTrails: Trail[];
  /** GetTrailStatus' LatestCloudWatchLogsDeliveryError; undefined for none. */
  deliveryError: string | undefined;
  logGroups: Map<string, FakeLogGroup>;
  roles: Map<string, FakeRole>;
  organizationId: string | undefined;
  /** UpdateTrail calls still to fail with InvalidCloudWatchLogsRoleArnException (IAM propagation). */
  propagationFailures: number;
  /** Per command name, things to do once before the command runs: an error is thrown, a function is called. */
  failures: Map<string, unknown[]>;
  /** UpdateTrail succeeds but changes nothing (for the read-back verification). */
  dropUpdates: boolean;
  /**
   * The remediation Lambda's IAM policy with a delivery boundary (infra/remediation-function.ts): CreateRole and
   * PutRolePermissionsBoundary only with this boundary, UpdateAssumeRolePolicy and PutRolePolicy only on a role
   * that carries it; AccessDenied otherwise. undefined: not enforced.
   */
  enforcedBoundary: string | undefined;
  /** GetTrailStatus' IsLogging. @default true */
  isLogging: boolean;
  /** GetEventSelectors' answer. @default one classic selector: all read and write management events */
  eventSelectors: Omit<GetEventSelectorsCommandOutput, '$metadata'>;
  /** Metric filters per log group name (DescribeMetricFilters, PutMetricFilter). */
  metricFilters: Map<string, MetricFilter[]>;
  /** CloudWatch metric alarms by name, with their tags (DescribeAlarms, ListTagsForResource, PutMetricAlarm). */
  alarms: Map<string, { alarm: MetricAlarm; tags: { Key: string; Value: string }[] }>;
  /**
   * The organization's tree for ListParents: each account or OU with its one parent ("In the current release, a
   * child can have only a single parent": ListParents, API reference). A child not in it is ChildNotFoundException.
   * @default empty
   */
  parents: Record<string, string>;
  /**
   * SNS topics by ARN, each with the SubscriptionArn of its subscriptions (ListSubscriptionsByTopic):
   * `PendingConfirmation` for one not confirmed. @default TOPIC with one confirmed subscription
   */
  topics: Map<string, string[]>;
  /** Every command received, in order. */
  calls: string[];
  /** Successful writes, in order: `CreateLogGroup /name`, ... */
  writes: string[];
}

export function freshTrail(change: Partial<Trail> = {}): Trail {
  return { ...structuredClone(getTrailFixture.Trail), ...change };
}

export function newWorld(change: Partial<FakeWorld> = {}): FakeWorld {
  return {
    account: ACCOUNT,
    trails: [freshTrail()],
    shadowTrails: [],
    deliveryError: undefined,
    logGroups: new Map(),
    roles: new Map(),
    organizationId: undefined,
    propagationFailures: 0,
    failures: new Map(),
    dropUpdates: false,
    enforcedBoundary: undefined,
    isLogging: true,
    eventSelectors: {
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: [],
        },
      ],
    },
    metricFilters: new Map(),
    alarms: new Map(),
    parents: {},
    topics: new Map([[TOPIC, [subscriptionArn(TOPIC, 1)]]]),
    calls: [],
    writes: [],
    ...change,
  };
}

export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

/** Once, before `command` runs: throw `error`, or call it when it is a function. */
export function failOnce(world: FakeWorld, command: string, error: unknown): void {
  world.failures.set(command, [...(world.failures.get(command) ?? []), error]);
}

const meta = { $metadata: {} };

function find(world: FakeWorld, name: string | undefined): Trail | undefined {
  return world.trails.find((trail) => trail.Name === name || trail.TrailARN === name);
}

function role(world: FakeWorld, name: string | undefined): FakeRole {
  const found = world.roles.get(name ?? '');
  if (found === undefined)
    throw new NoSuchEntityException({ message: `The role with name ${name} cannot be found.`, ...meta });
  return found;
}

function accessDenied(world: FakeWorld, action: string, roleName: string | undefined): Error {
  return awsError(
    'AccessDenied',
    `User: arn:aws:sts::${world.account}:assumed-role/remediation/fn is not authorized to perform: ${action} on resource: role ${roleName} because no identity-based policy allows the ${action} action`,
  );
}

/** Throws AccessDenied when the boundary the Lambda's policy requires is enforced and `boundary` is not it. */
function enforceBoundary(
  world: FakeWorld,
  action: string,
  roleName: string | undefined,
  boundary: string | undefined,
): void {
  if (world.enforcedBoundary !== undefined && boundary !== world.enforcedBoundary) {
    throw accessDenied(world, action, roleName);
  }
}

/** Mocks every remediation client class and returns fresh clients (no memoized caller context). */
export function fakeAws(world: FakeWorld): RemediationClients {
  function handle<I, O>(command: string, apply: (input: I) => O): (input: I) => O {
    return (input) => {
      world.calls.push(command);
      const before = world.failures.get(command)?.shift();
      if (typeof before === 'function') before();
      else if (before !== undefined) throw before;
      return apply(input);
    };
  }
  function write(entry: string): void {
    world.writes.push(entry);
  }

  const cloudTrail = mockClient(CloudTrailClient);
  cloudTrail.on(GetTrailCommand).callsFake(
    handle('GetTrail', (input: { Name?: string }) => {
      const trail =
        find(world, input.Name) ?? world.shadowTrails.find((shadow) => shadow.TrailARN === input.Name);
      if (trail === undefined)
        throw new TrailNotFoundException({ message: `Unknown trail: ${input.Name}`, ...meta });
      return { Trail: structuredClone(trail) };
    }),
  );
  cloudTrail.on(DescribeTrailsCommand).callsFake(
    handle('DescribeTrails', () => ({
      trailList: structuredClone([...world.trails, ...world.shadowTrails]),
    })),
  );
  cloudTrail.on(GetTrailStatusCommand).callsFake(
    handle('GetTrailStatus', (input: { Name?: string }) => {
      if (find(world, input.Name) === undefined)
        throw new TrailNotFoundException({ message: `Unknown trail: ${input.Name}`, ...meta });
      return {
        IsLogging: world.isLogging,
        LatestCloudWatchLogsDeliveryTime: OLD_ROLE_DATE,
        ...(world.deliveryError === undefined
          ? {}
          : { LatestCloudWatchLogsDeliveryError: world.deliveryError }),
      };
    }),
  );
  cloudTrail.on(GetEventSelectorsCommand).callsFake(
    handle('GetEventSelectors', (input: { TrailName?: string }) => {
      if (find(world, input.TrailName) === undefined)
        throw new TrailNotFoundException({ message: `Unknown trail: ${input.TrailName}`, ...meta });
      return structuredClone(world.eventSelectors);
    }),
  );
  cloudTrail.on(UpdateTrailCommand).callsFake(
    handle(
      'UpdateTrail',
      (input: { Name?: string; CloudWatchLogsLogGroupArn?: string; CloudWatchLogsRoleArn?: string }) => {
        const trail = find(world, input.Name);
        if (trail === undefined)
          throw new TrailNotFoundException({ message: `Unknown trail: ${input.Name}`, ...meta });
        if (world.propagationFailures > 0) {
          world.propagationFailures--;
          throw new InvalidCloudWatchLogsRoleArnException({
            message: 'Access denied. Verify in IAM that the role has adequate permissions.',
            ...meta,
          });
        }
        if (!world.dropUpdates) {
          trail.CloudWatchLogsLogGroupArn = input.CloudWatchLogsLogGroupArn;
          trail.CloudWatchLogsRoleArn = input.CloudWatchLogsRoleArn;
        }
        write(`UpdateTrail ${input.Name}`);
        return structuredClone(trail);
      },
    ),
  );

  const logs = mockClient(CloudWatchLogsClient);
  logs.on(DescribeLogGroupsCommand).callsFake(
    handle('DescribeLogGroups', (input: { logGroupNamePrefix?: string; nextToken?: string }) => {
      // One group a page, so the pagination path runs.
      const names = [...world.logGroups.keys()]
        .filter((name) => name.startsWith(input.logGroupNamePrefix ?? ''))
        .sort();
      const index = input.nextToken === undefined ? 0 : Number(input.nextToken);
      const name = names[index];
      if (name === undefined) return { logGroups: [] };
      const group = world.logGroups.get(name);
      return {
        logGroups: [
          {
            logGroupName: name,
            arn: `arn:aws:logs:${REGION}:${world.account}:log-group:${name}:*`,
            logGroupArn: `arn:aws:logs:${REGION}:${world.account}:log-group:${name}`,
            retentionInDays: group?.retentionInDays,
            kmsKeyId: group?.kmsKeyId,
          },
        ],
        nextToken: index + 1 < names.length ? String(index + 1) : undefined,
      };
    }),
  );
  logs.on(ListTagsForResourceCommand).callsFake(
    handle('ListTagsForResource', (input: { resourceArn?: string }) => {
      const name = input.resourceArn?.split(':log-group:')[1] ?? '';
      const group = world.logGroups.get(name);
      if (group === undefined)
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      return { tags: { ...group.tags } };
    }),
  );
  logs.on(DescribeSubscriptionFiltersCommand).callsFake(
    handle('DescribeSubscriptionFilters', (input: { logGroupName?: string }) => {
      const group = world.logGroups.get(input.logGroupName ?? '');
      if (group === undefined)
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      return {
        subscriptionFilters: (group.subscriptionFilters ?? []).map((filter) => ({
          ...filter,
          logGroupName: input.logGroupName,
          filterPattern: '',
        })),
      };
    }),
  );
  logs.on(DescribeMetricFiltersCommand).callsFake(
    handle('DescribeMetricFilters', (input: { logGroupName?: string; filterNamePrefix?: string }) => {
      if (!world.logGroups.has(input.logGroupName ?? ''))
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      const filters = world.metricFilters.get(input.logGroupName ?? '') ?? [];
      return {
        metricFilters: structuredClone(
          filters.filter((filter) => filter.filterName?.startsWith(input.filterNamePrefix ?? '')),
        ),
      };
    }),
  );
  logs.on(PutMetricFilterCommand).callsFake(
    handle('PutMetricFilter', (input: MetricFilter) => {
      const name = input.logGroupName ?? '';
      if (!world.logGroups.has(name))
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      const others = (world.metricFilters.get(name) ?? []).filter((f) => f.filterName !== input.filterName);
      world.metricFilters.set(name, [...others, structuredClone(input)]);
      write(`PutMetricFilter ${name}/${input.filterName}`);
      return {};
    }),
  );
  logs.on(CreateLogGroupCommand).callsFake(
    handle('CreateLogGroup', (input: { logGroupName?: string; tags?: Record<string, string> }) => {
      const name = input.logGroupName ?? '';
      if (world.logGroups.has(name)) {
        throw new ResourceAlreadyExistsException({
          message: 'The specified log group already exists',
          ...meta,
        });
      }
      world.logGroups.set(name, { tags: { ...input.tags } });
      write(`CreateLogGroup ${name}`);
      return {};
    }),
  );
  logs.on(PutRetentionPolicyCommand).callsFake(
    handle('PutRetentionPolicy', (input: { logGroupName?: string; retentionInDays?: number }) => {
      const group = world.logGroups.get(input.logGroupName ?? '');
      if (group === undefined)
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      group.retentionInDays = input.retentionInDays;
      write(`PutRetentionPolicy ${input.logGroupName} ${input.retentionInDays}`);
      return {};
    }),
  );
  logs.on(AssociateKmsKeyCommand).callsFake(
    handle('AssociateKmsKey', (input: { logGroupName?: string; kmsKeyId?: string }) => {
      const group = world.logGroups.get(input.logGroupName ?? '');
      if (group === undefined)
        throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
      group.kmsKeyId = input.kmsKeyId;
      write(`AssociateKmsKey ${input.logGroupName} ${input.kmsKeyId}`);
      return {};
    }),
  );

  const iam = mockClient(IAMClient);
  iam.on(GetRoleCommand).callsFake(
    handle('GetRole', (input: { RoleName?: string }) => {
      const found = role(world, input.RoleName);
      return {
        Role: {
          RoleName: input.RoleName,
          Path: found.path,
          Arn: `arn:aws:iam::${world.account}:role${found.path}${input.RoleName}`,
          RoleId: 'AROAEXAMPLEID',
          CreateDate: found.created ?? OLD_ROLE_DATE,
          AssumeRolePolicyDocument: encodeURIComponent(found.trust),
          Tags: found.tags,
          ...(found.boundary === undefined
            ? {}
            : {
                PermissionsBoundary: {
                  PermissionsBoundaryType: 'Policy' as const,
                  PermissionsBoundaryArn: found.boundary,
                },
              }),
        },
      };
    }),
  );
  iam.on(CreateRoleCommand).callsFake(
    handle(
      'CreateRole',
      (input: {
        RoleName?: string;
        Path?: string;
        AssumeRolePolicyDocument?: string;
        Tags?: FakeRole['tags'];
        PermissionsBoundary?: string;
      }) => {
        const name = input.RoleName ?? '';
        enforceBoundary(world, 'iam:CreateRole', name, input.PermissionsBoundary);
        if (world.roles.has(name)) {
          throw new EntityAlreadyExistsException({
            message: `Role with name ${name} already exists.`,
            ...meta,
          });
        }
        world.roles.set(name, {
          path: input.Path ?? '/',
          trust: input.AssumeRolePolicyDocument ?? '',
          inline: new Map(),
          attached: [],
          tags: input.Tags ?? [],
          ...(input.PermissionsBoundary === undefined ? {} : { boundary: input.PermissionsBoundary }),
          created: FAKE_NOW,
        });
        write(`CreateRole ${name}`);
        return { Role: { RoleName: name } };
      },
    ),
  );
  iam.on(PutRolePermissionsBoundaryCommand).callsFake(
    handle('PutRolePermissionsBoundary', (input: { RoleName?: string; PermissionsBoundary?: string }) => {
      enforceBoundary(world, 'iam:PutRolePermissionsBoundary', input.RoleName, input.PermissionsBoundary);
      role(world, input.RoleName).boundary = input.PermissionsBoundary;
      write(`PutRolePermissionsBoundary ${input.RoleName} ${input.PermissionsBoundary}`);
      return {};
    }),
  );
  iam.on(UpdateAssumeRolePolicyCommand).callsFake(
    handle('UpdateAssumeRolePolicy', (input: { RoleName?: string; PolicyDocument?: string }) => {
      const found = role(world, input.RoleName);
      enforceBoundary(world, 'iam:UpdateAssumeRolePolicy', input.RoleName, found.boundary);
      found.trust = input.PolicyDocument ?? '';
      write(`UpdateAssumeRolePolicy ${input.RoleName}`);
      return {};
    }),
  );
  iam.on(ListRolePoliciesCommand).callsFake(
    handle('ListRolePolicies', (input: { RoleName?: string }) => ({
      PolicyNames: [...role(world, input.RoleName).inline.keys()],
      IsTruncated: false,
    })),
  );
  iam.on(GetRolePolicyCommand).callsFake(
    handle('GetRolePolicy', (input: { RoleName?: string; PolicyName?: string }) => {
      const document = role(world, input.RoleName).inline.get(input.PolicyName ?? '');
      if (document === undefined) throw new NoSuchEntityException({ message: 'no such policy', ...meta });
      return {
        RoleName: input.RoleName,
        PolicyName: input.PolicyName,
        PolicyDocument: encodeURIComponent(document),
      };
    }),
  );
  iam.on(PutRolePolicyCommand).callsFake(
    handle('PutRolePolicy', (input: { RoleName?: string; PolicyName?: string; PolicyDocument?: string }) => {
      const found = role(world, input.RoleName);
      enforceBoundary(world, 'iam:PutRolePolicy', input.RoleName, found.boundary);
      found.inline.set(input.PolicyName ?? '', input.PolicyDocument ?? '');
      write(`PutRolePolicy ${input.RoleName}/${input.PolicyName}`);
      return {};
    }),
  );
  iam.on(DeleteRolePolicyCommand).callsFake(
    handle('DeleteRolePolicy', (input: { RoleName?: string; PolicyName?: string }) => {
      if (!role(world, input.RoleName).inline.delete(input.PolicyName ?? '')) {
        throw new NoSuchEntityException({ message: 'no such policy', ...meta });
      }
      write(`DeleteRolePolicy ${input.RoleName}/${input.PolicyName}`);
      return {};
    }),
  );
  iam.on(ListAttachedRolePoliciesCommand).callsFake(
    handle('ListAttachedRolePolicies', (input: { RoleName?: string }) => ({
      AttachedPolicies: role(world, input.RoleName).attached.map((arn) => ({
        PolicyArn: arn,
        PolicyName: arn.split('/').at(-1),
      })),
      IsTruncated: false,
    })),
  );
  iam.on(DetachRolePolicyCommand).callsFake(
    handle('DetachRolePolicy', (input: { RoleName?: string; PolicyArn?: string }) => {
      const found = role(world, input.RoleName);
      if (!found.attached.includes(input.PolicyArn ?? ''))
        throw new NoSuchEntityException({ message: 'not attached', ...meta });
      found.attached = found.attached.filter((arn) => arn !== input.PolicyArn);
      write(`DetachRolePolicy ${input.RoleName}/${input.PolicyArn}`);
      return {};
    }),
  );

  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).callsFake(
    handle('GetCallerIdentity', () => ({
      Account: world.account,
      Arn: `arn:aws:sts::${world.account}:assumed-role/remediation/fn`,
      UserId: 'AROAEXAMPLE:fn',
    })),
  );

  const organizations = mockClient(OrganizationsClient);
  organizations.on(DescribeOrganizationCommand).callsFake(
    handle('DescribeOrganization', () => {
      if (world.organizationId === undefined) {
        throw awsError(
          'AWSOrganizationsNotInUseException',
          'Your account is not a member of an organization.',
        );
      }
      return { Organization: { Id: world.organizationId, MasterAccountId: world.account } };
    }),
  );

  organizations.on(ListParentsCommand).callsFake(
    handle('ListParents', (input: { ChildId?: string }) => {
      const parent = world.parents[input.ChildId ?? ''];
      if (parent === undefined) {
        throw awsError(
          'ChildNotFoundException',
          "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        );
      }
      return { Parents: [{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
    }),
  );

  const cloudWatch = mockClient(CloudWatchClient);
  cloudWatch.on(DescribeAlarmsCommand).callsFake(
    handle('DescribeAlarms', (input: { AlarmNamePrefix?: string }) => ({
      MetricAlarms: [...world.alarms.values()]
        .map(({ alarm }) => structuredClone(alarm))
        .filter((alarm) => alarm.AlarmName?.startsWith(input.AlarmNamePrefix ?? '')),
    })),
  );
  cloudWatch.on(ListAlarmTagsCommand).callsFake(
    handle('cloudwatch:ListTagsForResource', (input: { ResourceARN?: string }) => {
      const found = [...world.alarms.values()].find(({ alarm }) => alarm.AlarmArn === input.ResourceARN);
      if (found === undefined) throw awsError('ResourceNotFoundException', 'Alarm not found.');
      return { Tags: structuredClone(found.tags) };
    }),
  );
  cloudWatch.on(PutMetricAlarmCommand).callsFake(
    handle('PutMetricAlarm', (input: MetricAlarm & { Tags?: { Key: string; Value: string }[] }) => {
      const { Tags, ...alarm } = input;
      const name = alarm.AlarmName ?? '';
      const previous = world.alarms.get(name);
      world.alarms.set(name, {
        alarm: { ...structuredClone(alarm), AlarmArn: alarmArn(world, name) },
        // PutMetricAlarm ignores Tags when the alarm exists (UntagResource/TagResource change them).
        tags: previous?.tags ?? structuredClone(Tags ?? []),
      });
      write(`PutMetricAlarm ${name}`);
      return {};
    }),
  );

  const sns = mockClient(SNSClient);
  sns.on(ListSubscriptionsByTopicCommand).callsFake(
    handle('ListSubscriptionsByTopic', (input: { TopicArn?: string; NextToken?: string }) => {
      const arns = world.topics.get(input.TopicArn ?? '');
      if (arns === undefined) throw new NotFoundException({ message: 'Topic does not exist', ...meta });
      // "Each call returns a limited list of subscriptions, up to 100. If there are more subscriptions, a NextToken
      // is also returned." (API_ListSubscriptionsByTopic)
      const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
      const page = arns.slice(start, start + SUBSCRIPTIONS_PAGE);
      return {
        Subscriptions: page.map((arn, index) => ({
          SubscriptionArn: arn,
          Owner: world.account,
          Protocol: 'email',
          Endpoint: `security-${start + index}@example.com`,
          TopicArn: input.TopicArn,
        })),
        ...(start + SUBSCRIPTIONS_PAGE < arns.length
          ? { NextToken: String(start + SUBSCRIPTIONS_PAGE) }
          : {}),
      };
    }),
  );

  return {
    cloudTrail: new CloudTrailClient({}),
    logs: new CloudWatchLogsClient({}),
    iam: new IAMClient({}),
    sts: new STSClient({}),
    organizations: new OrganizationsClient({}),
  };
}

/** An alarm's ARN in the fake account. */
export function alarmArn(world: FakeWorld, name: string): string {
  return `arn:aws:cloudwatch:${REGION}:${world.account}:alarm:${name}`;
}

/** ListSubscriptionsByTopic's page size (API reference: "up to 100"). */
export const SUBSCRIPTIONS_PAGE = 100;

/** The monitoring's CloudWatch and SNS clients, answered by the fake account of the last fakeAws call. */
export function fakeMonitoring(): { cloudWatch: CloudWatchClient; sns: SNSClient } {
  return { cloudWatch: new CloudWatchClient({}), sns: new SNSClient({}) };
}
