import { type ActionStatus, actionStatus, type CallerContext } from '../actions.js';
import { parseLogGroupArn, parseTopicArn } from '../arns.js';
import { LOG_GROUP_PREFIX, MONITORING_METRIC_NAMESPACE, tagsForTrail } from '../definition.js';
import { MonitoringConflictError, MonitoringTopicRefusedError } from '../errors.js';
import { CONTROLS_PAGE, MONITORING_CONTROLS, type MonitoringControl } from './controls.js';
import { ALARM_SETTINGS, alarmNameFor, filterNameFor, METRIC_VALUE, metricNameFor } from './names.js';
import type {
  AlarmState,
  FieldSelectorState,
  MetricFilterState,
  MonitoringOperation,
  MonitoringState,
  MonitoringStep,
  MonitoringTrailState,
  SubscriberState,
} from './state.js';

/**
 * The pure half of the opt-in CIS monitoring: does the trail qualify for CloudWatch.1-14, and which metric filters
 * and alarms must be created on its log group (the CIS patterns themselves are in controls.ts). No SDK, no
 * environment.
 */

/** One line of the monitoring part of the summary. */
export interface MonitoringAction {
  readonly action: MonitoringOperation['type'];
  /** Security Hub control id, e.g. CloudWatch.1. */
  readonly control: string;
  /** Filter name (`<log group>/<filter>`) or alarm name. */
  readonly resource: string;
  readonly status: ActionStatus;
  readonly detail: string;
}

/**
 * EQUIPPED: filters or alarms were created (or put back) now; ALREADY_EQUIPPED: all were present (dry run or not);
 * NOT_QUALIFIED: the trail does not meet what the controls require of it, and nothing was created; PLANNED: a dry
 * run's list of what is missing.
 */
export type MonitoringOutcome = 'EQUIPPED' | 'ALREADY_EQUIPPED' | 'NOT_QUALIFIED' | 'PLANNED';

export interface MonitoringSummary {
  readonly outcome: MonitoringOutcome;
  readonly topicArn: string;
  readonly actions: readonly MonitoringAction[];
  /** NOT_QUALIFIED only: why the trail does not qualify. */
  readonly problems?: readonly string[];
  /** The topic's subscriptions, read for a qualifying trail (not for NOT_QUALIFIED). */
  readonly subscribers?: SubscriberState;
  /** What still keeps Security Hub's controls from passing, e.g. NO_CONFIRMED_SUBSCRIBER; absent when nothing. */
  readonly warnings?: readonly string[];
}

/**
 * The first words of the warning for a topic nobody confirmed a subscription to: the summary, the CLI and the
 * Lambda's log line all start with them, so an operator can search for them.
 */
export const NO_CONFIRMED_SUBSCRIBER = 'no confirmed subscriber';

/**
 * Refuses a topic of another account or region than the caller's, where the trail's log group and so the alarms
 * are (qualificationProblems requires that of the log group): the alarms of a re-run with another
 * MonitoringTopicArn must never notify someone else's topic. Throws MonitoringTopicRefusedError; call it before
 * any write.
 */
export function assertTopicUsable(topicArn: string, caller: CallerContext): void {
  const topic = parseTopicArn(topicArn);
  if (topic?.account === caller.account && topic.region === caller.region) return;
  throw new MonitoringTopicRefusedError(topicArn, caller.account, caller.region);
}

/**
 * Counts a topic's subscriptions by their SubscriptionArn: an ARN is confirmed; anything else is not. SNS gives a
 * subscription whose endpoint has not confirmed no ARN ("the string 'pending confirmation' if the subscription
 * requires confirmation", https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html; ListSubscriptionsByTopic
 * lists it as "PendingConfirmation"). Which other non-ARN values exist is not documented, so only an ARN counts:
 * Security Hub counts only confirmed subscriptions (the CIS audit step checks that SubscriptionArn is an ARN).
 */
export function countSubscribers(subscriptionArns: readonly string[]): SubscriberState {
  const confirmed = subscriptionArns.filter((arn) => arn.startsWith('arn:')).length;
  return { confirmed, unconfirmed: subscriptionArns.length - confirmed };
}

/** The warnings of a qualifying trail's monitoring: today only a topic without a confirmed subscriber. */
export function monitoringWarnings(topicArn: string, subscribers: SubscriberState): string[] {
  if (subscribers.confirmed > 0) return [];
  const pending =
    subscribers.unconfirmed === 0 ? 'none at all' : `${subscribers.unconfirmed} pending confirmation`;
  return [
    `${NO_CONFIRMED_SUBSCRIBER}: SNS topic ${topicArn} has no confirmed subscription (${pending}), so the alarms ` +
      "notify nobody and Security Hub's CloudWatch.1-14 controls fail until someone subscribes and confirms " +
      `(aws sns subscribe --topic-arn ${topicArn} --protocol email --notification-endpoint <address>, or ` +
      'deploy with -c alarmEmail=<address>)',
  ];
}

function coversManagementReadWrite(trail: MonitoringTrailState): boolean {
  const classic = trail.eventSelectors.some(
    (selector) =>
      selector.includeManagementEvents !== false &&
      (selector.readWriteType ?? 'All') === 'All' &&
      selector.excludeManagementEventSources.length === 0,
  );
  return classic || trail.advancedEventSelectors.some(selectsAllManagementEvents);
}

/**
 * An advanced selector logs all management events only when its one field selector is eventCategory equals
 * Management: any other field narrows it (readOnly picks one half; eventSource NotEquals drops services some
 * controls watch).
 */
function selectsAllManagementEvents(fields: readonly FieldSelectorState[]): boolean {
  const [only, ...others] = fields;
  return (
    only !== undefined &&
    others.length === 0 &&
    only.field === 'eventCategory' &&
    only.equals.length === 1 &&
    only.equals[0] === 'Management'
  );
}

/**
 * Why the trail does not qualify for CloudWatch.1-14; empty when it does. The controls' remediation steps ask for
 * "an active CloudTrail that applies to all Regions" per CloudTrail.1, a "multi-Region trail that includes read
 * and write management events" (CONTROLS_PAGE#cloudwatch-1); Security Hub judges only trails of the current
 * account in their home region, which the remediation already requires. The filters go only on a log group of
 * the remediation's (LOG_GROUP_PREFIX, in the caller's account and region): the only ones its role may change.
 */
export function qualificationProblems(trail: MonitoringTrailState, caller: CallerContext): string[] {
  const problems: string[] = [];
  if (!trail.isMultiRegionTrail) problems.push('it is not a multi-Region trail');
  if (!trail.isLogging)
    problems.push('it is not logging (StartLogging has not been called or it was stopped)');
  if (!coversManagementReadWrite(trail)) {
    problems.push('its event selectors do not log all read and write management events');
  }
  const group = parseLogGroupArn(trail.logGroupArn);
  if (
    group === undefined ||
    !group.name.startsWith(LOG_GROUP_PREFIX) ||
    group.account !== caller.account ||
    group.region !== caller.region
  ) {
    problems.push(
      `its log group ${trail.logGroupArn} is not one of the remediation's (${LOG_GROUP_PREFIX}* in ` +
        `${caller.account} ${caller.region}), the only ones it may put metric filters on`,
    );
  }
  return problems;
}

function wantedFilter(trailName: string, logGroupName: string, control: MonitoringControl) {
  return {
    type: 'PutMetricFilter' as const,
    control: control.id,
    logGroupName,
    filterName: filterNameFor(control),
    filterPattern: control.filterPattern,
    namespace: MONITORING_METRIC_NAMESPACE,
    metricName: metricNameFor(trailName, control),
  };
}

function wantedAlarm(trailArn: string, trailName: string, topicArn: string, control: MonitoringControl) {
  return {
    type: 'PutMetricAlarm' as const,
    control: control.id,
    alarmName: alarmNameFor(trailName, control),
    description: `${control.id}: ${control.title}, from trail ${trailName} (${control.citation})`,
    namespace: MONITORING_METRIC_NAMESPACE,
    metricName: metricNameFor(trailName, control),
    topicArn,
    tags: tagsForTrail(trailArn),
  };
}

/** The filter publishes exactly the wanted metric (its pattern aside). */
function publishesWantedMetric(found: MetricFilterState, wanted: ReturnType<typeof wantedFilter>): boolean {
  const [metric, ...others] = found.transformations;
  return (
    metric !== undefined &&
    others.length === 0 &&
    metric.namespace === wanted.namespace &&
    metric.name === wanted.metricName &&
    metric.value === METRIC_VALUE
  );
}

function sameList(actual: readonly string[], expected: readonly string[]): boolean {
  return actual.length === expected.length && actual.every((item, index) => item === expected[index]);
}

/**
 * What of an alarm differs from what the remediation puts: anything that changes when it fires (metric, its
 * dimensions and unit, statistic, period, datapoints, threshold, comparison, missing data) or whom it notifies
 * (actions enabled, exactly the one topic as alarm action, no OK or insufficient-data action). Empty: as wanted.
 */
function alarmDrift(alarm: AlarmState, wanted: ReturnType<typeof wantedAlarm>): string[] {
  const s = ALARM_SETTINGS;
  const checks: [string, boolean][] = [
    ['namespace', alarm.namespace === wanted.namespace],
    ['metric', alarm.metricName === wanted.metricName && !alarm.usesMetricMath],
    ['dimensions', alarm.dimensions.length === 0],
    ['unit', alarm.unit === undefined],
    ['statistic', alarm.statistic === s.statistic && alarm.extendedStatistic === undefined],
    ['period', alarm.periodSeconds === s.periodSeconds],
    ['evaluation periods', alarm.evaluationPeriods === s.evaluationPeriods],
    [
      'datapoints to alarm',
      alarm.datapointsToAlarm === undefined || alarm.datapointsToAlarm === s.evaluationPeriods,
    ],
    ['threshold', alarm.threshold === s.threshold],
    ['comparison', alarm.comparisonOperator === s.comparisonOperator],
    ['missing data', alarm.treatMissingData === s.treatMissingData],
    ['actions disabled', alarm.actionsEnabled === true],
    ['alarm actions', sameList(alarm.alarmActions, [wanted.topicArn])],
    ['OK actions', alarm.okActions.length === 0],
    ['insufficient data actions', alarm.insufficientDataActions.length === 0],
  ];
  return checks.filter(([, same]) => !same).map(([what]) => what);
}

/**
 * The filters and alarms to create for a qualifying trail: one filter per control on the trail's log group and one
 * alarm per filter, notifying `topicArn`. A filter or alarm already as wanted is skipped; a filter of the
 * remediation's (its name and metric) with an earlier text of the control's pattern (previousPatterns) is updated
 * to today's; an alarm of the remediation's (tagged) whose settings drifted is put back (alarmDrift); a filter or
 * alarm under these names that is not the remediation's throws MonitoringConflictError before any write, so nothing
 * is ever changed that it did not create.
 */
export function planMonitoring(state: MonitoringState, topicArn: string): MonitoringStep[] {
  const { trail, logGroupName } = state;
  const conflicts: string[] = [];
  const steps: MonitoringStep[] = [];
  for (const control of MONITORING_CONTROLS) {
    const filter = wantedFilter(trail.name, logGroupName, control);
    const found = state.filters.find((existing) => existing.name === filter.filterName);
    if (found === undefined) {
      steps.push({ operation: filter, required: true, detail: `create: ${control.id} ${control.title}` });
    } else if (publishesWantedMetric(found, filter) && found.pattern === filter.filterPattern) {
      steps.push({ operation: filter, required: false, detail: 'already present' });
    } else if (publishesWantedMetric(found, filter) && control.previousPatterns.includes(found.pattern)) {
      steps.push({
        operation: filter,
        required: true,
        detail: `update: earlier text of ${control.id}'s pattern replaced with AWS's current one`,
      });
    } else {
      conflicts.push(
        `metric filter ${filter.filterName} on ${logGroupName} has another pattern or metric than ${control.id}'s`,
      );
    }
    const alarm = wantedAlarm(trail.arn, trail.name, topicArn, control);
    const existing = state.alarms.find((candidate) => candidate.name === alarm.alarmName);
    if (existing === undefined) {
      steps.push({ operation: alarm, required: true, detail: `create: alarm on ${alarm.metricName}` });
    } else if (!existing.createdByRemediation) {
      conflicts.push(`alarm ${alarm.alarmName} exists without the remediation's tag`);
    } else {
      const drift = alarmDrift(existing, alarm);
      steps.push(
        drift.length === 0
          ? { operation: alarm, required: false, detail: 'already present' }
          : {
              operation: alarm,
              required: true,
              detail: `restore the remediation's settings: ${drift.join(', ')}`,
            },
      );
    }
  }
  if (conflicts.length > 0) throw new MonitoringConflictError(trail.arn, conflicts);
  return steps;
}

function resourceOf(operation: MonitoringOperation): string {
  return operation.type === 'PutMetricFilter'
    ? `${operation.logGroupName}/${operation.filterName}`
    : operation.alarmName;
}

/** One step as a line of the monitoring summary: `planned` (dry run) or `applied` when required, else `skipped`. */
export function summarizeMonitoringStep(step: MonitoringStep, dryRun: boolean): MonitoringAction {
  const { operation, required, detail } = step;
  return {
    action: operation.type,
    control: operation.control,
    resource: resourceOf(operation),
    status: actionStatus(required, dryRun),
    detail,
  };
}

/**
 * The monitoring summary of a plan: required steps `planned` (dry run) or `applied`, the others `skipped`; the
 * topic's subscribers, and a warning when none is confirmed.
 */
export function summarizeMonitoring(
  steps: readonly MonitoringStep[],
  topicArn: string,
  subscribers: SubscriberState,
  dryRun: boolean,
): MonitoringSummary {
  const changed = steps.some((step) => step.required);
  const warnings = monitoringWarnings(topicArn, subscribers);
  return {
    outcome: !changed ? 'ALREADY_EQUIPPED' : dryRun ? 'PLANNED' : 'EQUIPPED',
    topicArn,
    actions: steps.map((step) => summarizeMonitoringStep(step, dryRun)),
    subscribers,
    ...(warnings.length === 0 ? {} : { warnings }),
  };
}

/** The monitoring summary of a trail that does not qualify: nothing created, the reasons listed. */
export function summarizeNotQualified(problems: readonly string[], topicArn: string): MonitoringSummary {
  return {
    outcome: 'NOT_QUALIFIED',
    topicArn,
    actions: [],
    problems: [...problems, `see ${CONTROLS_PAGE}#cloudwatch-1`],
  };
}
