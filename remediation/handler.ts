import type { Context } from 'aws-lambda';
import { credentialsForInvocation } from '../common/account-credentials.js';
import { deployedExemptions } from '../common/deployed-exemptions.js';
import { type TrailExemptions, trailExemptions } from '../common/exemption-lookup.js';
import { invocationLog, type LogFields } from '../common/log.js';
import { readOrganizationalUnits } from '../common/organizational-units-api.js';
import { remediationClients } from './clients.js';
import { monitoringTopicFromEnvironment, permissionsBoundaryFromEnvironment } from './environment.js';
import { InvalidConfigurationError } from './errors.js';
import {
  assertOwnAccountOnly,
  organizationModeFromEnvironment,
  organizationTarget,
  proveOrganizationRequest,
} from './organization/gate.js';
import { parseRemediationPayload } from './payload.js';
import { type MonitoringOptions, type RemediationSummary, remediateTrail } from './remediate.js';

/**
 * Lambda entry point, invoked by the SSM Automation document with
 * `{ TrailName, RetentionInDays?, KmsKeyArn?, DryRun? }`. Returns the summary the SSM step outputs; every
 * failure throws, so the Automation execution fails and Config records the remediation as failed. Roles get
 * the permissions boundary named by PERMISSIONS_BOUNDARY_ENV, when set.
 *
 * Organization mode adds `TargetAccountId`, `ExecutionRoleName` and `PermissionsBoundaryArn`: for another
 * account than its own (only as the hub, below) the Lambda assumes that role there and gives new roles that account's boundary (its
 * own boundary exists only in its own account); for its own account it acts as in single-account mode.
 *
 * As the hub (PROOF_DOCUMENT_ENV set) it acts only on proof: the payload's `AutomationExecutionId` must be a
 * running execution of the spoke's document in that account, for this very request (organization/gate.ts).
 * Without PROOF_DOCUMENT_ENV it fails closed: it refuses, before any AWS call, a `TargetAccountId` other than
 * its own account (from the Lambda context; any `TargetAccountId` without a context) and a key or boundary of
 * another account (ProofNotConfiguredError).
 *
 * Logs (INFO) one `remediation action` line per change and one `monitoring action` line per metric filter or
 * alarm written, each as it is applied (per planned change in a dry run), a `monitoring warning` line (WARN) for
 * each monitoring warning (a topic without a confirmed subscriber), and one `remediation outcome` line; or one
 * `remediation failed` line (ERROR) with the error and its causes, which it then rethrows unchanged.
 *
 * `Monitoring: true` adds the CIS monitoring (CloudWatch.1-14) notifying `MonitoringTopicArn`, or in its own account
 * the stack's topic (MONITORING_TOPIC_ENV); the CloudWatch client is loaded only then.
 *
 * The exemptions deployed beside the code (common/deployed-exemptions.ts) are checked at the invocation's instant:
 * an exempt trail is refused (ExemptTrailError), and exemptions that are not valid refuse every request before any
 * AWS call (InvalidConfigurationError), as the Lambda cannot tell which trails are excused. OUs are read with the
 * Lambda's own credentials.
 */
export async function handler(
  payload: unknown,
  context?: Partial<Pick<Context, 'invokedFunctionArn' | 'awsRequestId'>>,
): Promise<RemediationSummary> {
  const log = invocationLog(context?.awsRequestId);
  // Which trail, in every line once the payload is parsed.
  let trail: LogFields = {};
  try {
    const request = parseRemediationPayload(payload);
    trail = { trail: request.trail, targetAccountId: request.targetAccountId, dryRun: request.dryRun };
    const exemptions = exemptionsNow();
    const organization = organizationModeFromEnvironment();
    // Refused before any call when the request names another account's key or boundary, or no execution; and
    // without proof configuration, when it names any account but the function's own (fail closed).
    if (organization === undefined) assertOwnAccountOnly(request, context?.invokedFunctionArn);
    const target =
      organization === undefined
        ? undefined
        : organizationTarget(request, organization, context?.invokedFunctionArn);
    const credentials =
      request.targetAccountId === undefined
        ? undefined
        : credentialsForInvocation({
            invokedFunctionArn: context?.invokedFunctionArn,
            targetAccountId: request.targetAccountId,
            roleName: request.executionRoleName,
          });
    // Assumed up front, so a refused role is reported as such rather than as the first call's failure.
    await credentials?.();
    if (target !== undefined) await proveOrganizationRequest(request, target, credentials);
    const permissionsBoundaryArn =
      credentials === undefined ? permissionsBoundaryFromEnvironment() : request.permissionsBoundaryArn;
    const monitoring =
      request.monitoring === true ? await monitoringOptions(request, credentials) : undefined;
    const summary = await remediateTrail(remediationClients(credentials), request, {
      exemptions,
      permissionsBoundaryArn,
      onApplied: (action) => log.info('remediation action', { ...trail, ...action }),
      onMonitoringApplied: (action) => log.info('monitoring action', { ...trail, ...action }),
      ...(monitoring === undefined ? {} : { monitoring }),
    });
    // A dry run applies nothing: its planned actions get their lines here.
    for (const action of summary.actions) {
      if (action.status === 'planned') log.info('remediation action', { ...trail, ...action });
    }
    for (const action of summary.monitoring?.actions ?? []) {
      if (action.status === 'planned') log.info('monitoring action', { ...trail, ...action });
    }
    for (const warning of summary.monitoring?.warnings ?? []) {
      log.warn('monitoring warning', { ...trail, topicArn: summary.monitoring?.topicArn, warning });
    }
    log.info('remediation outcome', {
      ...trail,
      trail: summary.trail,
      outcome: summary.outcome,
      logGroupArn: summary.logGroupArn,
      roleArn: summary.roleArn,
      applied: summary.actions.filter((action) => action.status === 'applied').length,
      planned: summary.actions.filter((action) => action.status === 'planned').length,
      skipped: summary.actions.filter((action) => action.status === 'skipped').length,
      ...(summary.monitoring === undefined ? {} : { monitoring: summary.monitoring.outcome }),
    });
    return summary;
  } catch (error) {
    log.error('remediation failed', error, trail);
    throw error;
  }
}

/**
 * The deployed exemptions at this instant. Invalid ones refuse the request: honouring none of them would let the
 * remediation change trails its deployers excused. OUs are read with the Lambda's own credentials: ListParents
 * answers only the organization's management account or a delegated administrator, where the hub runs.
 */
function exemptionsNow(): TrailExemptions {
  const now = new Date();
  const deployed = deployedExemptions(now);
  if (!deployed.ok) {
    throw new InvalidConfigurationError(
      `${deployed.error.message} The remediation refuses every trail while its exemptions are invalid, as it ` +
        'cannot tell which trails are excused; nothing was read or written. Deploy the guard again with a valid ' +
        'exemptions file.',
    );
  }
  return trailExemptions(deployed.list, now, (account) =>
    readOrganizationalUnits(remediationClients().organizations, account),
  );
}

// The stack's topic lives in the Lambda's own account: another account's alarms get only the topic the request
// names (the spoke's). Without a topic remediateTrail refuses the request before any call.
async function monitoringOptions(
  request: ReturnType<typeof parseRemediationPayload>,
  credentials: Parameters<typeof remediationClients>[0],
): Promise<MonitoringOptions | undefined> {
  const topicArn =
    request.monitoringTopicArn ?? (credentials === undefined ? monitoringTopicFromEnvironment() : undefined);
  if (topicArn === undefined) return undefined;
  const { cloudWatchClient, snsClient } = await import('./monitoring/monitoring-api.js');
  return { cloudWatch: cloudWatchClient(credentials), sns: snsClient(credentials), topicArn };
}
