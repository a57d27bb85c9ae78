import { NO_EXEMPTIONS, type TrailExemptions } from '../common/exemption-lookup.js';
import { callerContext, type RemediationClients } from '../remediation/clients.js';
import { MONITORING_PAYLOAD_KEY, PAYLOAD_KEY } from '../remediation/definition.js';
import { InvalidPayloadError } from '../remediation/errors.js';
import { CREATED_BY_TAG_TEXT, describeSubscriptionFilters } from '../remediation/integration/log-group.js';
import type { RemediationPlan } from '../remediation/integration/operations.js';
import { planTrail } from '../remediation/integration/repair.js';
import { type SummaryAction, summarizeCompliant, summarizePlan } from '../remediation/integration/summary.js';
import { isRoleArnRejected } from '../remediation/integration/trail-api.js';
import type { MonitoringClients } from '../remediation/monitoring/monitoring-api.js';
import { assertTopicUsable, type MonitoringSummary } from '../remediation/monitoring/plan.js';
import { parseRemediationPayload, type RemediationRequest } from '../remediation/payload.js';
import {
  applyPlan,
  equipTrail,
  type RemediationSummary,
  readRemediationState,
  remediateTrail,
} from '../remediation/remediate.js';
import type { FixCommand, PlanCommand, RemediationOptions, TableOrJson } from './args.js';
import { confirm } from './confirm.js';
import { FixIncompleteError, NotConfirmedError, UsageError } from './errors.js';
import { type CliIo, EXIT_CODE, type InterruptSignal, SIGNAL_EXIT_CODE } from './io.js';
import { commandPrefix } from './messages.js';
import type { Progress } from './progress.js';
import { plural, renderJson, renderTable } from './render.js';

/**
 * The request plan and fix hand to the remediation, built by the remediation's own payload parser so the
 * command line and the SSM document get the same defaults (365 days) and the same checks.
 */
export function remediationRequest(
  command: 'plan' | 'fix',
  options: RemediationOptions,
  dryRun: boolean,
): RemediationRequest {
  try {
    return parseRemediationPayload({
      [PAYLOAD_KEY.trailName]: options.trail,
      ...(options.retentionDays === undefined
        ? {}
        : { [PAYLOAD_KEY.retentionInDays]: options.retentionDays }),
      ...(options.kmsKeyArn === undefined ? {} : { [PAYLOAD_KEY.kmsKeyArn]: options.kmsKeyArn }),
      ...(options.adoptExisting === true ? { [PAYLOAD_KEY.adoptExisting]: true } : {}),
      ...(options.monitoringTopicArn === undefined
        ? {}
        : {
            [MONITORING_PAYLOAD_KEY.monitoring]: true,
            [MONITORING_PAYLOAD_KEY.monitoringTopicArn]: options.monitoringTopicArn,
          }),
      [PAYLOAD_KEY.dryRun]: dryRun,
    });
  } catch (error) {
    // The command line checks the same things first; this keeps a disagreement a usage error, not a crash.
    if (error instanceof InvalidPayloadError) throw new UsageError(error.problems.join('; '), command);
    throw error;
  }
}

/** Number of steps that change something. */
export function changeCount(plan: RemediationPlan): number {
  return plan.steps.filter((step) => step.required).length;
}

function headline(summary: RemediationSummary): string {
  const changes = summary.actions.filter((action) => action.status !== 'skipped').length;
  switch (summary.outcome) {
    case 'ALREADY_COMPLIANT':
      return `Trail ${summary.trail} already sends to CloudWatch Logs, and its log group, role and delivery are whole: nothing to do.`;
    case 'REPAIRED':
      return `Trail ${summary.trail}: ${plural(changes, 'repair')} applied; the log group and role it names are whole again.`;
    case 'DRY_RUN':
      return `Trail ${summary.trail}: ${plural(changes, 'change')} planned (dry run: nothing was changed).`;
    case 'REMEDIATED':
      return `Trail ${summary.trail}: ${plural(changes, 'change')} applied; the trail now sends to CloudWatch Logs.`;
  }
}

const MONITORING_HEADLINE: Readonly<Record<MonitoringSummary['outcome'], string>> = {
  EQUIPPED: 'CIS monitoring: metric filters and alarms created',
  ALREADY_EQUIPPED: 'CIS monitoring: every metric filter and alarm already present',
  PLANNED: 'CIS monitoring: metric filters and alarms planned (dry run: nothing was changed)',
  NOT_QUALIFIED: 'CIS monitoring: the trail does not qualify, nothing was created',
};

/**
 * The monitoring part of a summary as a table, after its headline; each warning (a topic without a confirmed
 * subscriber) on a line of its own starting `Warning:`, after the table, where it is read last. Pure.
 */
export function renderMonitoring(monitoring: MonitoringSummary): string {
  const problems = (monitoring.problems ?? []).map((problem) => `  - ${problem}\n`).join('');
  const actions =
    monitoring.actions.length === 0
      ? ''
      : `${renderTable(
          ['STATUS', 'ACTION', 'CONTROL', 'RESOURCE', 'DETAIL'],
          monitoring.actions.map((a) => [a.status, a.action, a.control, a.resource, a.detail]),
        )}\n`;
  const { subscribers } = monitoring;
  const subscribed =
    subscribers === undefined
      ? ''
      : `Topic subscriptions: ${subscribers.confirmed} confirmed, ${subscribers.unconfirmed} pending confirmation.\n`;
  const warnings = (monitoring.warnings ?? []).map((warning) => `Warning: ${warning}.\n`).join('');
  return `${MONITORING_HEADLINE[monitoring.outcome]} (alarms notify ${monitoring.topicArn}).\n${problems}${actions}${subscribed}${warnings}`;
}

/** A remediation summary as a table of actions, or as the summary JSON the SSM step outputs. Pure. */
export function renderSummary(summary: RemediationSummary, format: TableOrJson): string {
  if (format === 'json') return renderJson(summary);
  const actions =
    summary.actions.length === 0
      ? ''
      : `\n${renderTable(
          ['STATUS', 'ACTION', 'RESOURCE', 'DETAIL'],
          summary.actions.map((a) => [a.status, a.action, a.resource, a.detail]),
        )}`;
  const adopted = (summary.adopted ?? []).map((resource) =>
    resource.type === 'role'
      ? `Adopted role ${resource.name} (not created by the fix).\n`
      : `Adopted log group ${resource.name} (not created by the fix): events also go to subscription filters ${describeSubscriptionFilters(resource.subscriptionFilters ?? [])}; KMS key ${resource.kmsKeyId ?? 'none'}.\n`,
  );
  const reused = (summary.reused ?? []).map(
    (resource) =>
      `Reused log group ${resource.name} (it carries the fix's tag ${CREATED_BY_TAG_TEXT}, which anyone allowed to tag it can set): events also go to subscription filters ${describeSubscriptionFilters(resource.subscriptionFilters ?? [])}; KMS key ${resource.kmsKeyId ?? 'none'}.\n`,
  );
  const monitoring = summary.monitoring === undefined ? '' : renderMonitoring(summary.monitoring);
  return `${headline(summary)}\n${actions}\n${adopted.join('')}${reused.join('')}Log group: ${summary.logGroupArn}\nRole:      ${summary.roleArn}\n${monitoring}`;
}

/**
 * `plan`: the remediation's own dry run with the caller's credentials; nothing is written. With
 * `--detailed-exitcode` a plan with changes exits 3 (changes pending). A trail `exemptions` excuses is refused
 * (ExemptTrailError), as the remediation refuses it.
 */
export async function runPlan(
  command: PlanCommand,
  io: CliIo,
  clients: RemediationClients,
  progress: Progress,
  monitoring?: MonitoringClients,
  exemptions: TrailExemptions = NO_EXEMPTIONS,
): Promise<number> {
  progress.status(`Reading trail ${command.trail}...`);
  const topicArn = command.monitoringTopicArn;
  const summary = await remediateTrail(clients, remediationRequest('plan', command, true), {
    exemptions,
    ...(monitoring === undefined || topicArn === undefined
      ? {}
      : { monitoring: { ...monitoring, topicArn } }),
  });
  progress.clear();
  io.stdout.write(renderSummary(summary, command.output));
  const pending = [...summary.actions, ...(summary.monitoring?.actions ?? [])].some(
    (action) => action.status === 'planned',
  );
  return command.detailedExitCode && pending ? EXIT_CODE.changesPending : EXIT_CODE.ok;
}

/** The steps of a plan that change something. */
function changes(plan: RemediationPlan | null): SummaryAction[] {
  if (plan === null) return [];
  return summarizePlan(plan, true).actions.filter((action) => action.status === 'planned');
}

function sameAction(a: SummaryAction, b: SummaryAction): boolean {
  return a.action === b.action && a.resource === b.resource;
}

/**
 * After `applyPlan` failed: what it had applied and what remains, found by reading the trail again and
 * planning anew with the remediation's own code (a step no longer planned was applied). When that read
 * fails too, what was applied is unknown and the error says so.
 */
async function fixIncomplete(
  clients: RemediationClients,
  request: RemediationRequest,
  plan: RemediationPlan,
  failure: unknown,
): Promise<FixIncompleteError> {
  const planned = changes(plan);
  let remaining: SummaryAction[];
  try {
    remaining = changes(planTrail(await readRemediationState(clients, request), request));
  } catch {
    return new FixIncompleteError(plan.trailArn, undefined, planned, failure);
  }
  return new FixIncompleteError(
    plan.trailArn,
    planned.filter((action) => !remaining.some((left) => sameAction(left, action))),
    remaining,
    failure,
  );
}

function actionLines(actions: readonly SummaryAction[]): string[] {
  return actions.length === 0
    ? ['  (none)']
    : actions.map((action) => `  ${action.action} ${action.resource}`);
}

const FINISH = 'Run the same fix again to finish: steps already applied are not repeated.';

/** The lines after a failed fix's error: what it applied, what remains, and how to finish. Pure. */
export function renderFixProgress(error: FixIncompleteError): string {
  const applied =
    error.applied === undefined
      ? ['Applied before the failure: unknown (the trail could not be read again).']
      : ['Applied before the failure:', ...actionLines(error.applied)];
  return `${[
    ...applied,
    `${error.applied === undefined ? 'Planned' : 'Remaining'}:`,
    ...actionLines(error.remaining),
    FINISH,
  ].join('\n')}\n`;
}

/** Where a fix was when a signal interrupted it. */
export type FixStage =
  | { readonly phase: 'reading' }
  | {
      readonly phase: 'applying';
      readonly trailArn: string;
      readonly planned: readonly SummaryAction[];
      readonly applied: readonly SummaryAction[];
    }
  | { readonly phase: 'monitoring'; readonly trailArn: string }
  | { readonly phase: 'done' };

/** What an interrupted fix had done: applied, the step under way (it may or may not have taken effect), the rest. */
export interface InterruptedFix {
  readonly message: string;
  readonly applied?: readonly SummaryAction[];
  readonly inProgress?: readonly SummaryAction[];
  readonly remaining?: readonly SummaryAction[];
}

/** What to tell about a fix interrupted by `signal` at `stage`. Pure. */
export function interruptedFix(trail: string, stage: FixStage, signal: InterruptSignal): InterruptedFix {
  switch (stage.phase) {
    case 'reading':
      return { message: `interrupted (${signal}) before any change to trail ${trail}: nothing was changed.` };
    case 'monitoring':
      return {
        message: `interrupted (${signal}) while creating the CIS monitoring of trail ${stage.trailArn}: the trail sends to CloudWatch Logs; some metric filters and alarms may have been created. Run the same fix again to finish: what exists is not created again.`,
      };
    case 'done':
      return { message: `interrupted (${signal}) after the fix of trail ${trail} was complete.` };
    case 'applying': {
      const left = stage.planned.filter((action) => !stage.applied.some((done) => sameAction(done, action)));
      const [current, ...remaining] = left;
      return {
        message: `interrupted (${signal}) while changing trail ${stage.trailArn}.`,
        applied: stage.applied,
        inProgress: current === undefined ? [] : [current],
        remaining,
      };
    }
  }
}

/** The lines after an interrupted fix's message: applied, in progress, remaining, and how to finish. Pure. */
export function renderInterruptedFix(interrupted: InterruptedFix): string {
  if (interrupted.applied === undefined) return '';
  return `${[
    'Applied before the interrupt:',
    ...actionLines(interrupted.applied),
    'In progress when interrupted (it may or may not have taken effect):',
    ...actionLines(interrupted.inProgress ?? []),
    'Remaining:',
    ...actionLines(interrupted.remaining ?? []),
    FINISH,
  ].join('\n')}\n`;
}

/** What `fix` tells the operator while UpdateTrail is retried: what it waits for, and for how long at most. */
export function retryNote(roleArn: string, error: unknown, boundMs: number): string {
  const seconds = Math.round(boundMs / 1000);
  return isRoleArnRejected(error)
    ? `Waiting for IAM to make role ${roleArn} usable by CloudTrail (UpdateTrail is retried for at most ${seconds} s)...`
    : `Waiting for CloudTrail to finish another change to the trail (UpdateTrail is retried for at most ${seconds} s)...`;
}

/**
 * `fix`: reads the trail and plans with the remediation's own code, shows the plan and asks on the terminal
 * (unless --yes), then applies exactly that plan and verifies it. Without --yes and without a terminal it
 * refuses before any AWS call; a trail `exemptions` excuses is refused (ExemptTrailError) before anything is
 * asked or written. SIGINT or SIGTERM (io.interrupts) tells what was applied and what remains.
 */
export async function runFix(
  command: FixCommand,
  io: CliIo,
  clients: RemediationClients,
  progress: Progress,
  monitoring?: MonitoringClients,
  exemptions: TrailExemptions = NO_EXEMPTIONS,
): Promise<number> {
  if (!command.yes && !io.stdinIsTTY) {
    throw new UsageError(
      `refusing to change trail ${command.trail} without --yes: stdin is not a terminal to confirm on`,
      'fix',
    );
  }
  let stage: FixStage = { phase: 'reading' };
  const release = io.interrupts?.trap((signal) => {
    progress.clear();
    const interrupted = interruptedFix(command.trail, stage, signal);
    io.stderr.write(`${commandPrefix('fix')}: ${interrupted.message}\n${renderInterruptedFix(interrupted)}`);
    if (command.output === 'json') {
      const { message, ...lists } = interrupted;
      io.stdout.write(
        renderJson({ error: { command: 'fix', message, exitCode: SIGNAL_EXIT_CODE[signal] }, ...lists }),
      );
    }
  });
  try {
    const summary = await fixTrail(command, io, clients, progress, monitoring, exemptions, (next) => {
      stage = next;
    });
    stage = { phase: 'done' };
    progress.clear();
    io.stdout.write(renderSummary(summary, command.output));
    return EXIT_CODE.ok;
  } finally {
    release?.();
  }
}

async function fixTrail(
  command: FixCommand,
  io: CliIo,
  clients: RemediationClients,
  progress: Progress,
  monitoring: MonitoringClients | undefined,
  exemptions: TrailExemptions,
  reach: (stage: FixStage) => void,
): Promise<RemediationSummary> {
  const request = remediationRequest('fix', command, false);
  progress.status(`Reading trail ${command.trail}...`);
  const state = await readRemediationState(clients, request, exemptions);
  const topicArn = command.monitoringTopicArn;
  // Before anything is asked or written: a topic of another account or region is refused with the whole fix.
  if (monitoring !== undefined && topicArn !== undefined) assertTopicUsable(topicArn, state.caller);
  const plan = planTrail(state, request);
  let summary: RemediationSummary;
  if (plan === null) {
    summary = summarizeCompliant(state.trail, false);
  } else {
    if (!command.yes) {
      progress.clear();
      io.stderr.write(renderSummary(summarizePlan(plan, true), 'table'));
      const noun = plan.kind === 'repair' ? 'repair' : 'change';
      const question = `Apply ${plural(changeCount(plan), noun)} to trail ${plan.trailArn}?`;
      if (!(await confirm(question, { input: io.stdin, output: io.stderr }))) {
        throw new NotConfirmedError(
          `nothing was changed: the changes to trail ${plan.trailArn} were not confirmed`,
        );
      }
    }
    const planned = changes(plan);
    const applied: SummaryAction[] = [];
    const total = plural(planned.length, 'change');
    reach({ phase: 'applying', trailArn: plan.trailArn, planned, applied });
    progress.status(`Applying ${total} to trail ${plan.trailArn}...`);
    let noted = false;
    try {
      summary = await applyPlan(clients, request, plan, {
        onApplied: (action) => {
          applied.push(action);
          progress.status(`Applying ${total} to trail ${plan.trailArn}: ${applied.length} done...`);
        },
        onUpdateTrailRetry: (error, attempt, boundMs) => {
          if (!noted) progress.note(retryNote(plan.roleArn, error, boundMs));
          noted = true;
          progress.status(`Retrying UpdateTrail (attempt ${attempt + 1})...`);
        },
      });
    } catch (error) {
      throw await fixIncomplete(clients, request, plan, error);
    }
  }
  if (monitoring === undefined || topicArn === undefined) return summary;
  reach({ phase: 'monitoring', trailArn: summary.trail });
  return {
    ...summary,
    monitoring: await fixMonitoring(command, io, clients, monitoring, summary, topicArn, progress),
  };
}

/**
 * `fix --monitoring`, once the trail is integrated: lists the filters and alarms it would create and asks
 * (unless --yes), then creates them. A trail that does not qualify is reported, nothing asked or written.
 */
async function fixMonitoring(
  command: FixCommand,
  io: CliIo,
  clients: RemediationClients,
  monitoring: MonitoringClients,
  summary: RemediationSummary,
  topicArn: string,
  progress: Progress,
): Promise<MonitoringSummary> {
  const caller = await callerContext(clients);
  const target = {
    trailArn: summary.trail,
    logGroupArn: summary.logGroupArn,
    logGroupExists: true,
    topicArn,
  };
  if (!command.yes) {
    progress.status('Reading the CIS monitoring metric filters and alarms...');
    const preview = await equipTrail(clients, monitoring, caller, { ...target, dryRun: true });
    progress.clear();
    const count = preview.actions.filter((action) => action.status === 'planned').length;
    if (count === 0) return preview;
    io.stderr.write(renderMonitoring(preview));
    const question = `Create ${count} CIS monitoring metric filters and alarms for trail ${summary.trail}?`;
    if (!(await confirm(question, { input: io.stdin, output: io.stderr }))) {
      throw new NotConfirmedError(`no monitoring was created for trail ${summary.trail}: not confirmed`);
    }
  }
  progress.status('Creating the CIS monitoring metric filters and alarms...');
  // Each write on a line of its own as it happens (on a terminal), so a fix that fails half-way shows what it
  // created.
  return equipTrail(clients, monitoring, caller, { ...target, dryRun: false }, (action) =>
    progress.note(`  ${action.action} ${action.resource}`),
  );
}
