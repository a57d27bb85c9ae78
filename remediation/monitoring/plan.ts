import { CREATED_BY_TAGS } from '../../common/project.js';
import { type ActionStatus, actionStatus, type CallerContext } from '../actions.js';
import { parseLogGroupArn } from '../arns.js';
import { LOG_GROUP_PREFIX, MONITORING_METRIC_NAMESPACE, TRAIL_TAG_KEY } from '../definition.js';
import { MonitoringConflictError } from '../errors.js';
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
      status: actionStatus(required, dryRun),
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
