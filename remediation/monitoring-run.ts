import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { parseLogGroupArn } from './arns.js';
import type { RemediationClients } from './clients.js';
import {
  type MonitoringSummary,
  planMonitoring,
  qualificationProblems,
  summarizeMonitoring,
  summarizeNotQualified,
} from './monitoring.js';
import { applyMonitoringOperation, readMonitoringState, readMonitoringTrail } from './monitoring-api.js';
import type { CallerContext } from './plan.js';

export interface EquipRequest {
  readonly trailArn: string;
  /** The log group the trail sends to once the integration is done (`...:*`). */
  readonly logGroupArn: string;
  /** False only in a dry run that would create the log group: no filter can exist on it yet. */
  readonly logGroupExists: boolean;
  readonly topicArn: string;
  readonly dryRun: boolean;
}

/**
 * Sets up the CIS monitoring (CloudWatch.1-14) of an integrated trail: a trail that does not qualify is reported
 * NOT_QUALIFIED with nothing created; otherwise the missing filters and alarms are created (listed only, in a dry
 * run). Throws MonitoringConflictError before any write when a name is taken by something the remediation did
 * not create.
 */
export async function equipTrail(
  clients: RemediationClients,
  cloudWatch: CloudWatchClient,
  caller: CallerContext,
  request: EquipRequest,
): Promise<MonitoringSummary> {
  const trail = await readMonitoringTrail(clients, request.trailArn, request.logGroupArn);
  const problems = qualificationProblems(trail, caller);
  if (problems.length > 0) return summarizeNotQualified(problems, request.topicArn);
  const logGroupName = parseLogGroupArn(request.logGroupArn)?.name ?? '';
  const state = await readMonitoringState(clients, cloudWatch, trail, logGroupName, request.logGroupExists);
  const steps = planMonitoring(state, request.topicArn);
  if (!request.dryRun) {
    for (const step of steps) {
      if (step.required) await applyMonitoringOperation(clients, cloudWatch, step.operation);
    }
  }
  return summarizeMonitoring(steps, request.topicArn, request.dryRun);
}
