import { MONITORING_NAME_PREFIX } from '../definition.js';
import type { MonitoringControl } from './controls.js';

/**
 * The names and settings of what the monitoring creates, shared by its plan (plan.ts) and its AWS I/O
 * (monitoring-api.ts), which both find the filters and alarms by them. Pure: no I/O.
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
