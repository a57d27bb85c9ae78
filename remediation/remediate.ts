import { NO_EXEMPTIONS, type TrailExemptions } from '../common/exemption-lookup.js';
import type { CallerContext } from './actions.js';
import { parseLogGroupArn, parseRoleArn } from './arns.js';
import { callerContext, type RemediationClients } from './clients.js';
import { logGroupNameFor, ROLE_PATH, roleNameFor, UPDATE_TRAIL_RETRY_BOUND_MS } from './definition.js';
import {
  AwsCallError,
  CreatedMeanwhileError,
  ExemptTrailError,
  InvalidConfigurationError,
  RoleNotUsableByCloudTrailError,
  UpdateTrailRetriesExhaustedError,
  VerificationError,
} from './errors.js';
import { assertCreatedMeanwhileUsable } from './integration/integrate.js';
import { applyLogGroupOperation, describeLogGroup, readLogGroup } from './integration/log-group-api.js';
import type { RemediationPlan, UpdateTrailOperation } from './integration/operations.js';
import { planTrail } from './integration/repair.js';
import { applyRoleOperation, readRole } from './integration/role-api.js';
import {
  type IntegrationState,
  type RemediationState,
  ROLE_NOT_READ,
  type TrailState,
} from './integration/state.js';
import {
  type IntegrationSummary,
  type SummaryAction,
  summarizeCompliant,
  summarizePlan,
  summarizeStep,
} from './integration/summary.js';
import { assertTrailIsLocal, isIntegrated, mayAwaitRolePropagation } from './integration/trail.js';
import {
  isRoleArnRejected,
  isTransientUpdateTrailError,
  readDeliveryStatus,
  readOrganizationId,
  readTrail,
  readTrailIntegration,
  sendUpdateTrail,
} from './integration/trail-api.js';
import type { MonitoringClients } from './monitoring/monitoring-api.js';
import { assertTopicUsable, type MonitoringAction, type MonitoringSummary } from './monitoring/plan.js';
import type { RemediationRequest } from './payload.js';
import {
  type BackoffPolicy,
  RetryBoundReachedError,
  type RetryTiming,
  retryWithBackoff,
  SYSTEM_TIMING,
} from './retry.js';

/**
 * The one orchestrator of a remediation: read the trail's world (readRemediationState), plan purely
 * (integration/repair.ts's planTrail), apply the plan's writes and verify them (applyPlan), then, when asked, the
 * same for the CIS monitoring (equipTrail). Readers (the *-api.ts modules) and planners never call each other:
 * everything between them passes through here as a state object, a plan or a summary.
 */

/** What the Lambda returns and the SSM step outputs: the integration's summary and, when asked, the monitoring's. */
export interface RemediationSummary extends IntegrationSummary {
  /** Present only when the request turned the CIS monitoring on (Monitoring): its filters and alarms. */
  readonly monitoring?: MonitoringSummary;
}

export interface RemediateOptions {
  /** Clock, sleep and randomness of the UpdateTrail retry loop. @default the system's */
  readonly timing?: RetryTiming;
  /** Backoff of the UpdateTrail retry loop. @default UPDATE_TRAIL_BACKOFF */
  readonly backoff?: BackoffPolicy;
  /**
   * Permissions boundary for the trail's role (see PlanOptions); the Lambda passes PERMISSIONS_BOUNDARY_ENV.
   * @default none
   */
  readonly permissionsBoundaryArn?: string | undefined;
  /**
   * Told of each change as soon as it is applied, so a run that fails half-way still says what it changed (the
   * Lambda logs a line per action). @default nobody
   */
  readonly onApplied?: (action: SummaryAction) => void;
  /** As `onApplied`, for each metric filter and alarm the monitoring writes. @default nobody */
  readonly onMonitoringApplied?: (action: MonitoringAction) => void;
  /**
   * Told each time UpdateTrail failed in a way worth retrying (IAM still propagating the role, CloudTrail busy),
   * before the retry loop waits (or gives up, past its bound); `boundMs` is that bound, so a caller can say how
   * long it may wait (the CLI shows it). @default nobody
   */
  readonly onUpdateTrailRetry?: (error: unknown, attempt: number, boundMs: number) => void;
  /**
   * What the opt-in CIS monitoring needs when the request turns it on: CloudWatch and SNS clients for the same
   * account and region, and the SNS topic the alarms notify (the request's MonitoringTopicArn or the deployment's).
   * @default none: a request with Monitoring true is refused
   */
  readonly monitoring?: MonitoringOptions;
  /** The deployment's exemptions: an exempt trail is refused with ExemptTrailError. @default none */
  readonly exemptions?: TrailExemptions;
}

export interface MonitoringOptions extends MonitoringClients {
  readonly topicArn: string;
}

/**
 * Waits start below 1 s and double up to 5 s, all within UPDATE_TRAIL_RETRY_BOUND_MS (120 s, what well-known
 * tools allow IAM to propagate a new role). The low cap keeps time-to-compliant within 5 s of the moment the
 * role has propagated, at the price of at most a few dozen UpdateTrail calls in the worst case.
 */
export const UPDATE_TRAIL_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  capMs: 5_000,
  boundMs: UPDATE_TRAIL_RETRY_BOUND_MS,
};

/**
 * A role created or changed less than this long ago may still be propagating through IAM, so UpdateTrail's
 * InvalidCloudWatchLogsRoleArnException is retried for it (a run that failed after the 120 s retry bound and
 * is started again within minutes keeps waiting for its new role). Older, untouched roles fail at once.
 */
export const ROLE_PROPAGATION_WINDOW_MS = 5 * 60_000;

/**
 * What an integrated trail names, in its home region: whether its log group exists (and its key), its role when
 * under ROLE_PATH (the only roles the remediation's role may read; others are judged by CloudTrail's delivery
 * status), and that status.
 */
async function readIntegration(
  clients: RemediationClients,
  trail: TrailState,
  caller: CallerContext,
): Promise<IntegrationState> {
  const group = parseLogGroupArn(trail.cloudWatchLogsLogGroupArn ?? '');
  const role = parseRoleArn(trail.cloudWatchLogsRoleArn ?? '');
  const readGroup = async () => {
    if (group?.account !== caller.account || group.region !== caller.region) return undefined;
    const found = await describeLogGroup(clients, group.name);
    return found === undefined ? undefined : { kmsKeyId: found.kmsKeyId };
  };
  const readNamedRole = async () => {
    if (role === undefined || role.account !== caller.account) return undefined;
    if (role.path !== ROLE_PATH) return ROLE_NOT_READ;
    const found = await readRole(clients, role.name);
    // Another role of that name elsewhere is not the one the trail names.
    return found?.path === role.path ? found : undefined;
  };
  const [logGroup, namedRole, delivery] = await Promise.all([
    readGroup(),
    readNamedRole(),
    readDeliveryStatus(clients, trail.arn),
  ]);
  return { logGroup, role: namedRole, delivery };
}

/**
 * Reads everything the plan needs. A trail copy and a trail under an active exemption are refused (and an unknown
 * trail is an error) before anything else is read; a trail whose exemption cannot be looked up
 * (OrganizationalUnitLookupError) is refused too, never remediated on a guess. For a trail without integration:
 * the log group and role under the remediation's names; for an integrated trail: what its settings name
 * (readIntegration).
 */
export async function readRemediationState(
  clients: RemediationClients,
  request: RemediationRequest,
  exemptions: TrailExemptions = NO_EXEMPTIONS,
): Promise<RemediationState> {
  const caller = await callerContext(clients);
  const trail = await readTrail(clients, request.trail, caller);
  assertTrailIsLocal(trail, caller);
  const exemption = await exemptions.match(trail);
  if (exemption.kind === 'active') throw new ExemptTrailError(trail.arn, exemption.exemption);
  if (isIntegrated(trail)) {
    // Its role's documented policy needs the organization id only when the role is under ROLE_PATH.
    const needsOrganization =
      trail.isOrganizationTrail && parseRoleArn(trail.cloudWatchLogsRoleArn ?? '')?.path === ROLE_PATH;
    const [organizationId, integration] = await Promise.all([
      needsOrganization ? readOrganizationId(clients) : undefined,
      readIntegration(clients, trail, caller),
    ]);
    return { caller, trail, organizationId, logGroup: undefined, role: undefined, integration };
  }
  const [organizationId, logGroup, role] = await Promise.all([
    trail.isOrganizationTrail ? readOrganizationId(clients) : undefined,
    readLogGroup(clients, logGroupNameFor(trail.name)),
    readRole(clients, roleNameFor(trail.name, trail.homeRegion)),
  ]);
  return { caller, trail, organizationId, logGroup, role };
}

async function updateTrail(
  clients: RemediationClients,
  plan: RemediationPlan,
  operation: UpdateTrailOperation,
  options: RemediateOptions,
): Promise<void> {
  const backoff = options.backoff ?? UPDATE_TRAIL_BACKOFF;
  const timing = options.timing ?? SYSTEM_TIMING;
  const rolePropagating = mayAwaitRolePropagation(plan, timing.now(), ROLE_PROPAGATION_WINDOW_MS);
  try {
    await retryWithBackoff(
      () => sendUpdateTrail(clients, operation),
      (error, attempt) => {
        const transient = isTransientUpdateTrailError(error, rolePropagating);
        if (transient) options.onUpdateTrailRetry?.(error, attempt, backoff.boundMs);
        return transient;
      },
      backoff,
      timing,
    );
  } catch (error) {
    if (isRoleArnRejected(error)) {
      throw new RoleNotUsableByCloudTrailError(
        operation.trailArn,
        operation.roleArn,
        plan.roleCreatedAt,
        error,
      );
    }
    if (error instanceof RetryBoundReachedError) {
      throw new UpdateTrailRetriesExhaustedError(
        operation.trailArn,
        operation.roleArn,
        error.attempts,
        backoff.boundMs,
        error.cause,
      );
    }
    throw new AwsCallError('cloudtrail:UpdateTrail', operation.trailArn, error);
  }
}

async function verifyTrail(clients: RemediationClients, plan: RemediationPlan): Promise<void> {
  const { logGroupArn, roleArn } = await readTrailIntegration(clients, plan.trailArn);
  if (logGroupArn !== plan.logGroupArn || roleArn !== plan.roleArn) {
    throw new VerificationError(
      plan.trailArn,
      `log group ${plan.logGroupArn} and role ${plan.roleArn}`,
      `log group ${logGroupArn ?? 'none'} and role ${roleArn ?? 'none'}`,
    );
  }
}

async function applySteps(
  clients: RemediationClients,
  plan: RemediationPlan,
  options: RemediateOptions,
): Promise<RemediationSummary> {
  for (const step of plan.steps) {
    const { operation, required } = step;
    if (!required) continue;
    switch (operation.type) {
      case 'UpdateTrail':
        await updateTrail(clients, plan, operation, options);
        break;
      case 'CreateLogGroup':
      case 'PutRetentionPolicy':
      case 'AssociateKmsKey':
        await applyLogGroupOperation(clients, operation);
        break;
      default:
        await applyRoleOperation(clients, operation);
    }
    options.onApplied?.(summarizeStep(step, false));
  }
  await verifyTrail(clients, plan);
  return summarizePlan(plan, false);
}

/**
 * Applies a plan's required steps in order (UpdateTrail with bounded retries; a rejected role only while it
 * may be propagating, see ROLE_PROPAGATION_WINDOW_MS), then reads the trail back to verify both ARNs. Returns the
 * summary with those steps marked `applied`.
 *
 * When CreateLogGroup or CreateRole finds the resource created meanwhile (CreatedMeanwhileError), the resource is
 * read again and used only when it is the remediation's own or adopted (assertCreatedMeanwhileUsable, else
 * AdoptionRefusedError); then the whole state is read again and planned anew, and that plan applied. A second such
 * race in the same run throws CreatedMeanwhileError. Nothing points at the resource before it was judged.
 */
export async function applyPlan(
  clients: RemediationClients,
  request: RemediationRequest,
  plan: RemediationPlan,
  options: RemediateOptions = {},
): Promise<RemediationSummary> {
  try {
    return await applySteps(clients, plan, options);
  } catch (error) {
    if (!(error instanceof CreatedMeanwhileError)) throw error;
    const found =
      error.resourceType === 'log-group'
        ? await readLogGroup(clients, error.resourceName)
        : await readRole(clients, error.resourceName);
    assertCreatedMeanwhileUsable(plan.trailArn, error, found, request);
    const state = await readRemediationState(clients, request, options.exemptions);
    const again = planTrail(state, request, { permissionsBoundaryArn: options.permissionsBoundaryArn });
    if (again === null) return summarizeCompliant(state.trail, false);
    return applySteps(clients, again, options);
  }
}

/**
 * Remediates one trail with the given clients: read, plan (planTrail: integrate a trail without integration,
 * or check and repair an integrated one), and (unless `request.dryRun`) apply and verify. Every failure throws
 * a typed error (ExemptTrailError for a trail `options.exemptions` excuses, dry run included); a re-run after a
 * failure picks up where the failed run stopped.
 */
export async function remediateTrail(
  clients: RemediationClients,
  request: RemediationRequest,
  options: RemediateOptions = {},
): Promise<RemediationSummary> {
  if (request.monitoring === true && options.monitoring === undefined) {
    throw new InvalidConfigurationError(
      'Monitoring was requested but no SNS topic is known: give MonitoringTopicArn, or deploy with the ' +
        'monitoring topic (MONITORING_TOPIC_ARN). Nothing was read or written.',
    );
  }
  const state = await readRemediationState(clients, request, options.exemptions);
  // Before any write: a topic of another account or region is refused with the whole request.
  if (request.monitoring === true && options.monitoring !== undefined) {
    assertTopicUsable(options.monitoring.topicArn, state.caller);
  }
  const plan = planTrail(state, request, { permissionsBoundaryArn: options.permissionsBoundaryArn });
  let summary: RemediationSummary;
  if (plan === null) summary = summarizeCompliant(state.trail, request.dryRun);
  else if (request.dryRun) summary = summarizePlan(plan, true);
  else summary = await applyPlan(clients, request, plan, options);
  if (request.monitoring !== true || options.monitoring === undefined) return summary;
  const createsLogGroup =
    plan?.steps.some((step) => step.required && step.operation.type === 'CreateLogGroup') === true;
  const monitoring = await equipTrail(
    clients,
    options.monitoring,
    state.caller,
    {
      trailArn: state.trail.arn,
      logGroupArn: plan?.logGroupArn ?? state.trail.cloudWatchLogsLogGroupArn ?? '',
      logGroupExists: !(request.dryRun && createsLogGroup),
      topicArn: options.monitoring.topicArn,
      dryRun: request.dryRun,
    },
    options.onMonitoringApplied,
  );
  return { ...summary, monitoring };
}

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
 * Sets up the CIS monitoring (CloudWatch.1-14) of an integrated trail: a topic of another account or region is
 * refused (MonitoringTopicRefusedError) and a trail that does not qualify is reported NOT_QUALIFIED, both with
 * nothing created; otherwise the missing or drifted filters and alarms are written (listed only, in a dry run),
 * each told to `onApplied` as soon as it is written, and the summary says whether the topic has a confirmed
 * subscriber. Throws MonitoringConflictError before any write when a name is taken by something the remediation
 * did not create.
 */
export async function equipTrail(
  clients: RemediationClients,
  monitoringClients: MonitoringClients,
  caller: CallerContext,
  request: EquipRequest,
  onApplied?: (action: MonitoringAction) => void,
): Promise<MonitoringSummary> {
  assertTopicUsable(request.topicArn, caller);
  // Loaded here only, so the CloudWatch client stays out of the cold start of runs without monitoring.
  const [api, monitoring] = await Promise.all([
    import('./monitoring/monitoring-api.js'),
    import('./monitoring/plan.js'),
  ]);
  const trail = await api.readMonitoringTrail(clients, request.trailArn, request.logGroupArn);
  // A trail that does not qualify gets nothing, so its filters and alarms are not even read.
  const problems = monitoring.qualificationProblems(trail, caller);
  if (problems.length > 0) return monitoring.summarizeNotQualified(problems, request.topicArn);
  const state = await api.readMonitoringState(clients, monitoringClients, trail, {
    logGroupName: parseLogGroupArn(request.logGroupArn)?.name ?? '',
    logGroupExists: request.logGroupExists,
    topicArn: request.topicArn,
  });
  const steps = monitoring.planMonitoring(state, request.topicArn);
  if (!request.dryRun) {
    for (const step of steps) {
      if (!step.required) continue;
      await api.applyMonitoringOperation(clients, monitoringClients.cloudWatch, step.operation);
      onApplied?.(monitoring.summarizeMonitoringStep(step, false));
    }
  }
  const subscribers = monitoring.countSubscribers(state.subscriptionArns);
  return monitoring.summarizeMonitoring(steps, request.topicArn, subscribers, request.dryRun);
}
