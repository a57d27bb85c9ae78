import { describe, expect, it } from 'vitest';
import { MONITORING_CONTROLS, type MonitoringControl } from '../../../remediation/monitoring/controls.js';
import { alarmNameFor, filterNameFor, metricNameFor } from '../../../remediation/monitoring/names.js';

function controlAt(index: number): MonitoringControl {
  const control = MONITORING_CONTROLS[index];
  if (control === undefined) throw new Error(`no control at ${index}`);
  return control;
}
const ROOT = controlAt(0);

describe('names', () => {
  it.each([
    [filterNameFor(ROOT), 'cloudtrail-logs-guard-CloudWatch.1-RootUserUsage'],
    [metricNameFor('management-events', ROOT), 'management-events/RootUserUsage'],
    [
      alarmNameFor('management-events', ROOT),
      'cloudtrail-logs-guard-management-events-CloudWatch.1-RootUserUsage',
    ],
  ])('%s is %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
