import { GetEventSelectorsCommand, GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  type MetricAlarm,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ListSubscriptionsByTopicCommand,
  type ListSubscriptionsByTopicCommandOutput,
  SNSClient,
} from '@aws-sdk/client-sns';
import { clientPerAccount, type SdkCredentials } from '../../common/account-clients.js';
import { carriesCreatedByTags } from '../../common/project.js';
import { awsCall, isAwsError } from '../aws-call.js';
import type { RemediationClients } from '../clients.js';
import { MONITORING_NAME_PREFIX } from '../definition.js';
import { AwsCallError, MonitoringTopicNotFoundError } from '../errors.js';
import { ALARM_SETTINGS, alarmPrefixFor, METRIC_VALUE } from './names.js';
import type {
  AlarmState,
  MetricFilterState,
  MonitoringOperation,
  MonitoringState,
  MonitoringTrailState,
} from './state.js';

/**
 * The monitoring's AWS I/O, loaded only when a request turns monitoring on (the CloudWatch client stays out of
 * the remediation's cold start otherwise). The role needs exactly these actions:
 *
 * - reads: cloudtrail:GetTrail, cloudtrail:GetTrailStatus and cloudtrail:GetEventSelectors (does the trail
 *   qualify), logs:DescribeMetricFilters on the trail's log group, cloudwatch:DescribeAlarms and
 *   cloudwatch:ListTagsForResource on the alarms named MONITORING_NAME_PREFIX* (whose are they),
 *   sns:ListSubscriptionsByTopic on the alarms' topic (does anyone get the notifications);
 * - writes: logs:PutMetricFilter on the trail's log group (under LOG_GROUP_PREFIX), cloudwatch:PutMetricAlarm and
 *   cloudwatch:TagResource (PutMetricAlarm with Tags) on alarms named MONITORING_NAME_PREFIX*.
 */

// One CloudWatch client per credentials, with the project's shared settings (as ../clients.ts).
const cloudWatchFor = clientPerAccount((settings) => new CloudWatchClient(settings));

/** The CloudWatch client for the given credentials (undefined: the Lambda's own, default chain). */
export function cloudWatchClient(credentials?: SdkCredentials): CloudWatchClient {
  return cloudWatchFor(credentials);
}

const snsFor = clientPerAccount((settings) => new SNSClient(settings));

/** The SNS client (subscriptions of the alarms' topic) for the given credentials, as cloudWatchClient. */
export function snsClient(credentials?: SdkCredentials): SNSClient {
  return snsFor(credentials);
}

/**
 * The SubscriptionArn of each subscription of the topic (plan.ts's countSubscribers tells confirmed ones apart),
 * from every page of ListSubscriptionsByTopic ("Each call returns a limited list of subscriptions, up to 100. If
 * there are more subscriptions, a NextToken is also returned",
 * https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html). A topic SNS does not know throws
 * MonitoringTopicNotFoundError.
 */
export async function readSubscriptionArns(sns: SNSClient, topicArn: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    let page: ListSubscriptionsByTopicCommandOutput;
    try {
      page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
    } catch (error) {
      if (isAwsError(error, 'NotFoundException', 'NotFound'))
        throw new MonitoringTopicNotFoundError(topicArn, error);
      throw new AwsCallError('sns:ListSubscriptionsByTopic', topicArn, error);
    }
    arns.push(...(page.Subscriptions ?? []).map((subscription) => subscription.SubscriptionArn ?? ''));
    nextToken = page.NextToken;
  } while (nextToken !== undefined && nextToken !== '');
  return arns;
}

/** What the controls require of the trail: multi-Region (GetTrail), logging (GetTrailStatus), its selectors. */
export async function readMonitoringTrail(
  clients: RemediationClients,
  trailArn: string,
  logGroupArn: string,
): Promise<MonitoringTrailState> {
  const [trail, status, selectors] = await Promise.all([
    awsCall('cloudtrail:GetTrail', trailArn, () =>
      clients.cloudTrail.send(new GetTrailCommand({ Name: trailArn })),
    ),
    awsCall('cloudtrail:GetTrailStatus', trailArn, () =>
      clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trailArn })),
    ),
    awsCall('cloudtrail:GetEventSelectors', trailArn, () =>
      clients.cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trailArn })),
    ),
  ]);
  return {
    arn: trailArn,
    name: trail.Trail?.Name ?? trailArn,
    isMultiRegionTrail: trail.Trail?.IsMultiRegionTrail === true,
    isLogging: status.IsLogging === true,
    eventSelectors: (selectors.EventSelectors ?? []).map((selector) => ({
      readWriteType: selector.ReadWriteType,
      includeManagementEvents: selector.IncludeManagementEvents,
      excludeManagementEventSources: selector.ExcludeManagementEventSources ?? [],
    })),
    advancedEventSelectors: (selectors.AdvancedEventSelectors ?? []).map((selector) =>
      (selector.FieldSelectors ?? []).map((field) => ({
        field: field.Field ?? '',
        equals: field.Equals ?? [],
      })),
    ),
    logGroupArn,
  };
}

async function readFilters(clients: RemediationClients, logGroupName: string): Promise<MetricFilterState[]> {
  const filters: MetricFilterState[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('logs:DescribeMetricFilters', logGroupName, () =>
      clients.logs.send(
        new DescribeMetricFiltersCommand({
          logGroupName,
          filterNamePrefix: MONITORING_NAME_PREFIX,
          nextToken,
        }),
      ),
    );
    for (const filter of page.metricFilters ?? []) {
      filters.push({
        name: filter.filterName ?? '',
        pattern: filter.filterPattern ?? '',
        transformations: (filter.metricTransformations ?? []).map((t) => ({
          namespace: t.metricNamespace ?? '',
          name: t.metricName ?? '',
          value: t.metricValue ?? '',
        })),
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return filters;
}

async function isOurs(cloudWatch: CloudWatchClient, alarmArn: string): Promise<boolean> {
  const { Tags } = await awsCall('cloudwatch:ListTagsForResource', alarmArn, () =>
    cloudWatch.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn })),
  );
  return carriesCreatedByTags(
    Object.fromEntries((Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
  );
}

async function readAlarms(cloudWatch: CloudWatchClient, trailName: string): Promise<AlarmState[]> {
  const prefix = alarmPrefixFor(trailName);
  const found: MetricAlarm[] = [];
  let nextToken: string | undefined;
  do {
    const page = await awsCall('cloudwatch:DescribeAlarms', `${prefix}*`, () =>
      cloudWatch.send(
        new DescribeAlarmsCommand({
          AlarmNamePrefix: prefix,
          AlarmTypes: ['MetricAlarm'],
          NextToken: nextToken,
        }),
      ),
    );
    found.push(...(page.MetricAlarms ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return Promise.all(
    found.map(async (alarm) => ({
      name: alarm.AlarmName ?? '',
      namespace: alarm.Namespace,
      metricName: alarm.MetricName,
      statistic: alarm.Statistic,
      extendedStatistic: alarm.ExtendedStatistic,
      dimensions: (alarm.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })),
      unit: alarm.Unit,
      periodSeconds: alarm.Period,
      evaluationPeriods: alarm.EvaluationPeriods,
      datapointsToAlarm: alarm.DatapointsToAlarm,
      threshold: alarm.Threshold,
      comparisonOperator: alarm.ComparisonOperator,
      treatMissingData: alarm.TreatMissingData,
      actionsEnabled: alarm.ActionsEnabled,
      alarmActions: alarm.AlarmActions ?? [],
      okActions: alarm.OKActions ?? [],
      insufficientDataActions: alarm.InsufficientDataActions ?? [],
      usesMetricMath: (alarm.Metrics ?? []).length > 0,
      createdByRemediation: alarm.AlarmArn === undefined ? false : await isOurs(cloudWatch, alarm.AlarmArn),
    })),
  );
}

/** The clients of the monitoring's own services, for the same account and region as the remediation's. */
export interface MonitoringClients {
  readonly cloudWatch: CloudWatchClient;
  readonly sns: SNSClient;
}

/**
 * Everything planMonitoring needs. `logGroupExists` false (a dry run before the log group is created): no filter
 * can exist yet, so none is read.
 */
export async function readMonitoringState(
  clients: RemediationClients,
  monitoring: MonitoringClients,
  trail: MonitoringTrailState,
  request: { readonly logGroupName: string; readonly logGroupExists: boolean; readonly topicArn: string },
): Promise<MonitoringState> {
  const [filters, alarms, subscriptionArns] = await Promise.all([
    request.logGroupExists ? readFilters(clients, request.logGroupName) : [],
    readAlarms(monitoring.cloudWatch, trail.name),
    readSubscriptionArns(monitoring.sns, request.topicArn),
  ]);
  return { trail, logGroupName: request.logGroupName, filters, alarms, subscriptionArns };
}

/** Writes one monitoring step. */
export async function applyMonitoringOperation(
  clients: RemediationClients,
  cloudWatch: CloudWatchClient,
  operation: MonitoringOperation,
): Promise<void> {
  if (operation.type === 'PutMetricFilter') {
    await awsCall('logs:PutMetricFilter', `${operation.logGroupName}/${operation.filterName}`, () =>
      clients.logs.send(
        new PutMetricFilterCommand({
          logGroupName: operation.logGroupName,
          filterName: operation.filterName,
          filterPattern: operation.filterPattern,
          metricTransformations: [
            {
              metricNamespace: operation.namespace,
              metricName: operation.metricName,
              metricValue: METRIC_VALUE,
            },
          ],
        }),
      ),
    );
    return;
  }
  const s = ALARM_SETTINGS;
  await awsCall('cloudwatch:PutMetricAlarm', operation.alarmName, () =>
    cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: operation.alarmName,
        AlarmDescription: operation.description,
        Namespace: operation.namespace,
        MetricName: operation.metricName,
        Statistic: s.statistic,
        Period: s.periodSeconds,
        EvaluationPeriods: s.evaluationPeriods,
        Threshold: s.threshold,
        ComparisonOperator: s.comparisonOperator,
        TreatMissingData: s.treatMissingData,
        ActionsEnabled: true,
        AlarmActions: [operation.topicArn],
        Tags: Object.entries(operation.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
}
