import type { Step } from '../actions.js';

/**
 * What the monitoring's plan reads (the trail's flags and selectors, the filters on its log group, the alarms)
 * and the operations it may take. The orchestrator (remediation/remediate.ts) reads it with monitoring-api.ts
 * and hands it to plan.ts. Types only.
 */

/** A classic event selector of the trail (GetEventSelectors). */
export interface EventSelectorState {
  readonly readWriteType: string | undefined;
  readonly includeManagementEvents: boolean | undefined;
  readonly excludeManagementEventSources: readonly string[];
}

/** One field selector of an advanced event selector (GetEventSelectors). */
export interface FieldSelectorState {
  readonly field: string;
  readonly equals: readonly string[];
}

/** What the monitoring controls require of a trail, read in its home region. */
export interface MonitoringTrailState {
  readonly arn: string;
  readonly name: string;
  readonly isMultiRegionTrail: boolean;
  /** GetTrailStatus' IsLogging. */
  readonly isLogging: boolean;
  readonly eventSelectors: readonly EventSelectorState[];
  /** Advanced event selectors, each as its list of field selectors; empty when the trail uses classic ones. */
  readonly advancedEventSelectors: readonly (readonly FieldSelectorState[])[];
  /** The log group the trail sends to (or will, once integrated), as UpdateTrail takes it (`...:*`). */
  readonly logGroupArn: string;
}

/** A metric filter on the log group, as DescribeMetricFilters returns it. */
export interface MetricFilterState {
  readonly name: string;
  readonly pattern: string;
  readonly transformations: readonly {
    readonly namespace: string;
    readonly name: string;
    readonly value: string;
  }[];
}

/** A metric dimension of an alarm (DescribeAlarms' Dimensions). */
export interface DimensionState {
  readonly name: string;
  readonly value: string;
}

/**
 * A metric alarm, as DescribeAlarms returns it, with whether it carries CREATED_BY_TAGS (ListTagsForResource).
 * Every setting that changes when or whom it notifies is read, so none can drift unseen.
 */
export interface AlarmState {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly metricName: string | undefined;
  readonly statistic: string | undefined;
  /** Set instead of `statistic` for a percentile alarm. */
  readonly extendedStatistic: string | undefined;
  readonly dimensions: readonly DimensionState[];
  readonly unit: string | undefined;
  readonly periodSeconds: number | undefined;
  readonly evaluationPeriods: number | undefined;
  readonly datapointsToAlarm: number | undefined;
  readonly threshold: number | undefined;
  readonly comparisonOperator: string | undefined;
  readonly treatMissingData: string | undefined;
  /** DescribeAlarms' ActionsEnabled: false silences every action while the alarm still changes state. */
  readonly actionsEnabled: boolean | undefined;
  readonly alarmActions: readonly string[];
  readonly okActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** Metric math (Metrics) instead of one metric: the alarm does not watch the filter's metric as such. */
  readonly usesMetricMath: boolean;
  readonly createdByRemediation: boolean;
}

/**
 * The subscriptions of the alarms' topic, counted (plan.ts countSubscribers): `confirmed` have an ARN as
 * SubscriptionArn; `unconfirmed` do not ("PendingConfirmation": an email or HTTPS endpoint that has not confirmed).
 */
export interface SubscriberState {
  readonly confirmed: number;
  readonly unconfirmed: number;
}

/** What exists under the monitoring's names on the trail's log group and in CloudWatch. */
export interface MonitoringState {
  readonly trail: MonitoringTrailState;
  /** The name of the trail's log group (`logGroupArn`), which the filters go on. */
  readonly logGroupName: string;
  readonly filters: readonly MetricFilterState[];
  readonly alarms: readonly AlarmState[];
  /** SubscriptionArn of each subscription of the alarms' topic (ListSubscriptionsByTopic): who it notifies. */
  readonly subscriptionArns: readonly string[];
}

export type MonitoringOperation =
  | {
      readonly type: 'PutMetricFilter';
      readonly control: string;
      readonly logGroupName: string;
      readonly filterName: string;
      readonly filterPattern: string;
      readonly namespace: string;
      readonly metricName: string;
    }
  | {
      readonly type: 'PutMetricAlarm';
      readonly control: string;
      readonly alarmName: string;
      readonly description: string;
      readonly namespace: string;
      readonly metricName: string;
      readonly topicArn: string;
      readonly tags: Readonly<Record<string, string>>;
    };

export type MonitoringStep = Step<MonitoringOperation>;
