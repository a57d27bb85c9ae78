import { parseLogGroupArn } from './arns.js';
import {
  CREATED_BY_TAGS,
  LOG_GROUP_PREFIX,
  MONITORING_METRIC_NAMESPACE,
  MONITORING_NAME_PREFIX,
  TRAIL_TAG_KEY,
} from './definition.js';
import { MonitoringConflictError } from './errors.js';
import { CONTROLS_PAGE, MONITORING_CONTROLS, type MonitoringControl } from './monitoring-controls.js';
import type { ActionStatus, CallerContext } from './plan.js';

/**
 * The pure half of the opt-in CIS monitoring: does the trail qualify for CloudWatch.1-14, and which metric filters
 * and alarms must be created on its log group. No SDK, no environment.
 */

/**
 * Alarm settings: an alarm fires on the first matching event. Threshold 1 with GreaterThanOrEqualToThreshold is
 * what the controls' remediation steps prescribe; Sum over 300 s and one evaluation period alarm within five
 * minutes of the event; no data (no matching event) is not a breach, so a quiet account stays OK.
 */
export const ALARM_SETTINGS = {
  statistic: 'Sum',
  periodSeconds: 300,
  evaluationPeriods: 1,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  treatMissingData: 'notBreaching',
} as const;

/** Each matching event adds 1 to the metric, as the controls' remediation steps prescribe. */
export const METRIC_VALUE = '1';

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

/** A metric alarm, as DescribeAlarms returns it, with whether it carries CREATED_BY_TAGS (ListTagsForResource). */
export interface AlarmState {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly metricName: string | undefined;
  readonly statistic: string | undefined;
  readonly periodSeconds: number | undefined;
  readonly evaluationPeriods: number | undefined;
  readonly threshold: number | undefined;
  readonly comparisonOperator: string | undefined;
  readonly treatMissingData: string | undefined;
  readonly alarmActions: readonly string[];
  readonly createdByRemediation: boolean;
}

/** What exists under the monitoring's names on the trail's log group and in CloudWatch. */
export interface MonitoringState {
  readonly trail: MonitoringTrailState;
  /** The name of the trail's log group (`logGroupArn`), which the filters go on. */
  readonly logGroupName: string;
  readonly filters: readonly MetricFilterState[];
  readonly alarms: readonly AlarmState[];
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

export interface MonitoringStep {
  readonly operation: MonitoringOperation;
  readonly required: boolean;
  readonly detail: string;
}

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
}

/** Name of a control's metric filter (unique on its log group). */
export function filterNameFor(control: MonitoringControl): string {
  return `${MONITORING_NAME_PREFIX}${control.id}-${control.key}`;
}

/** Name of a control's metric: one per trail, since several trails' filters publish to one namespace. */
export function metricNameFor(trailName: string, control: MonitoringControl): string {
  return `${trailName}/${control.key}`;
}

/** Name of a control's alarm for a trail (alarm names are unique per account and region). */
export function alarmNameFor(trailName: string, control: MonitoringControl): string {
  return `${alarmPrefixFor(trailName)}${control.id}-${control.key}`;
}

/** Start of every alarm name of a trail: what DescribeAlarms is asked for. */
export function alarmPrefixFor(trailName: string): string {
  return `${MONITORING_NAME_PREFIX}${trailName}-`;
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
    tags: { ...CREATED_BY_TAGS, [TRAIL_TAG_KEY]: trailArn },
  };
}

/** The filter publishes exactly the wanted metric, with the control's pattern. */
function isWantedFilter(found: MetricFilterState, wanted: ReturnType<typeof wantedFilter>): boolean {
  const [metric, ...others] = found.transformations;
  return (
    found.pattern === wanted.filterPattern &&
    metric !== undefined &&
    others.length === 0 &&
    metric.namespace === wanted.namespace &&
    metric.name === wanted.metricName &&
    metric.value === METRIC_VALUE
  );
}

function alarmDrift(alarm: AlarmState, wanted: ReturnType<typeof wantedAlarm>): string[] {
  const s = ALARM_SETTINGS;
  const checks: [string, unknown, unknown][] = [
    ['namespace', alarm.namespace, wanted.namespace],
    ['metric', alarm.metricName, wanted.metricName],
    ['statistic', alarm.statistic, s.statistic],
    ['period', alarm.periodSeconds, s.periodSeconds],
    ['evaluation periods', alarm.evaluationPeriods, s.evaluationPeriods],
    ['threshold', alarm.threshold, s.threshold],
    ['comparison', alarm.comparisonOperator, s.comparisonOperator],
    ['missing data', alarm.treatMissingData, s.treatMissingData],
  ];
  const drift = checks.filter(([, actual, expected]) => actual !== expected).map(([what]) => what);
  if (!alarm.alarmActions.includes(wanted.topicArn)) drift.push('topic');
  return drift;
}

/**
 * The filters and alarms to create for a qualifying trail: one filter per control on the trail's log group and one
 * alarm per filter, notifying `topicArn`. A filter or alarm already as wanted is skipped; an alarm of the
 * remediation's (tagged) whose settings drifted is put back; a filter or alarm under these names that is not the
 * remediation's throws MonitoringConflictError before any write, so nothing is ever changed that it did not create.
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
    } else if (isWantedFilter(found, filter)) {
      steps.push({ operation: filter, required: false, detail: 'already present' });
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

/** The monitoring summary of a plan: required steps `planned` (dry run) or `applied`, the others `skipped`. */
export function summarizeMonitoring(
  steps: readonly MonitoringStep[],
  topicArn: string,
  dryRun: boolean,
): MonitoringSummary {
  const changed = steps.some((step) => step.required);
  return {
    outcome: !changed ? 'ALREADY_EQUIPPED' : dryRun ? 'PLANNED' : 'EQUIPPED',
    topicArn,
    actions: steps.map(({ operation, required, detail }) => ({
      action: operation.type,
      control: operation.control,
      resource: resourceOf(operation),
      status: required ? (dryRun ? 'planned' : 'applied') : 'skipped',
      detail,
    })),
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
