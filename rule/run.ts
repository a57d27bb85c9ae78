import type { RuleClients } from './clients.js';
import {
  type EvaluatedResource,
  getLatestConfigurationItem,
  getLatestTwoStates,
  listEvaluatedResources,
  putEvaluations,
  type RuleEvaluation,
  TEST_MODE_RESULT_TOKEN,
} from './config-api.js';
import { TRAIL_RESOURCE_TYPE } from './definition.js';
import { type DeliveryCheck, diffTouchesIntegration, judgeDelivery, type TrailChange } from './delivery.js';
import {
  ANNOTATION,
  assessConfigurationItem,
  type EvaluationContext,
  evaluateTrail,
  isIntegrated,
  isOwnedHere,
  type Judgement,
  latestTrailChange,
  type Trail,
} from './evaluate.js';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  type ConfigurationItemDiff,
  MESSAGE_TYPE,
} from './event.js';
import type { RuleParameters } from './parameters.js';
import { describeTrails, getTrailStatus } from './trails-api.js';

/**
 * One invocation of the rule, from parsed event to PutEvaluations: the glue between the pure judgement and
 * the AWS calls. AWS calls per event: a change event makes one (PutEvaluations) unless the delivery check is
 * on; an oversized one adds GetResourceConfigHistory; the sweep makes DescribeTrails,
 * GetComplianceDetailsByConfigRule (per page) and PutEvaluations (per 100), plus GetTrailStatus per owned,
 * integrated trail when the delivery check is on.
 */

export interface RunEnvironment {
  readonly clients: RuleClients;
  /** The region the rule runs in (the clients' region). */
  readonly region: string;
  readonly now: Date;
}

/** Concurrent GetTrailStatus calls during a sweep: enough to be quick, few enough not to be throttled. */
const TRAIL_STATUS_CONCURRENCY = 5;

async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Judges one trail, reading its delivery status (and, for the grace rule, its latest change) only when the
 * delivery check applies. `change` is the item's own change for change events; without it (the sweep, the
 * command line) the latest change is read from Config's history. Exported for the command line's `scan`,
 * which must judge exactly as the rule.
 */
export async function judgeTrail(
  trail: Trail,
  context: EvaluationContext,
  parameters: RuleParameters,
  clients: RuleClients,
  change: TrailChange | undefined,
): Promise<Judgement> {
  const windowHours = parameters.expectedDeliveryWindowAge;
  if (windowHours === undefined || !isOwnedHere(trail, context) || !isIntegrated(trail)) {
    return evaluateTrail(trail, context);
  }
  const status = await getTrailStatus(clients, trail.arn);
  let delivery: DeliveryCheck = { windowHours, status, ...(change ? { change } : {}) };
  // Looked up only when it could grant grace.
  if (change === undefined && judgeDelivery(delivery, context.now).kind !== 'fresh') {
    const states = await getLatestTwoStates(clients, TRAIL_RESOURCE_TYPE, trail.resourceId);
    const latest = latestTrailChange(states);
    if (latest !== undefined) delivery = { ...delivery, change: latest };
  }
  return evaluateTrail(trail, { ...context, delivery });
}

async function evaluateItem(
  item: ConfigurationItem,
  diff: ConfigurationItemDiff | undefined,
  event: ConfigRuleEvent,
  parameters: RuleParameters,
  context: EvaluationContext,
  clients: RuleClients,
): Promise<RuleEvaluation> {
  const capturedAt = new Date(item.configurationItemCaptureTime);
  const assessment = assessConfigurationItem(item, event.eventLeftScope);
  const judgement =
    assessment.kind === 'judged'
      ? assessment.judgement
      : await judgeTrail(assessment.trail, context, parameters, clients, {
          at: capturedAt,
          // Without a diff (an oversized item, or Config sent none) nothing shows what changed.
          ...(diff === undefined ? {} : { integrationChanged: diffTouchesIntegration(diff) }),
        });
  return {
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    ...judgement,
    orderingTimestamp: capturedAt,
  };
}

/**
 * The ids a trail's verdict is reported under. Config's resourceId of a trail is its name in AWS's sample items
 * and undocumented for organization and shadow trails (AWS-FACTS: UNCLEAR), so either answer must be safe: a
 * stored result whose id is the trail's name or its ARN belongs to the trail, and the verdict goes under each
 * such id (never a second one under the name); with none stored, an owned trail is reported under its name.
 * A copy (NOT_APPLICABLE, owned elsewhere) is reported only to replace a stored COMPLIANT/NON_COMPLIANT result:
 * re-reporting every copy on every sweep would be most of the rule's Config bill in an organization.
 */
function reportIds(trail: Trail, storedIds: ReadonlySet<string>, context: EvaluationContext): string[] {
  const ids = [trail.name, trail.arn].filter((id) => storedIds.has(id));
  return ids.length > 0 || !isOwnedHere(trail, context) ? ids : [trail.name];
}

/**
 * Each trail with the ids to report it under, one trail per id: another account's organization trail can
 * share a name with a trail of this account, and Config takes one evaluation per resource, so the trail owned
 * here wins.
 */
function trailsToReport(
  trails: readonly Trail[],
  storedIds: ReadonlySet<string>,
  context: EvaluationContext,
): [Trail, string[]][] {
  const byId = new Map<string, Trail>();
  for (const trail of trails) {
    for (const id of reportIds(trail, storedIds, context)) {
      const kept = byId.get(id);
      if (kept === undefined || (!isOwnedHere(kept, context) && isOwnedHere(trail, context))) {
        byId.set(id, trail);
      }
    }
  }
  const idsByTrail = new Map<Trail, string[]>();
  for (const [id, trail] of byId) idsByTrail.set(trail, [...(idsByTrail.get(trail) ?? []), id]);
  return [...idsByTrail];
}

/** A sweep's evaluations, and the failure of its read of stored results, raised once the verdicts landed. */
interface SweepResult {
  readonly evaluations: RuleEvaluation[];
  readonly cleanUpFailure?: unknown;
}

/**
 * Stored results of the rule, for the clean-up and for the ids trails are known by. Read before the verdicts
 * are reported (their ids depend on it), but a failure (AccessDenied in the first minutes after a deployment,
 * before the clean-up permission exists) must not cost the current verdicts: it is returned, to be raised
 * after them.
 */
async function readStored(
  event: ConfigRuleEvent,
  clients: RuleClients,
): Promise<{ stored: EvaluatedResource[]; failure?: unknown }> {
  // A test-mode run stores nothing and need not belong to a deployed rule (its configRuleName may name none),
  // so it has no stored results to clean up; only real invocations read them.
  if (event.resultToken === TEST_MODE_RESULT_TOKEN) return { stored: [] };
  try {
    const stored = await listEvaluatedResources(clients, event.configRuleName);
    return { stored: stored.filter((resource) => resource.resourceType === TRAIL_RESOURCE_TYPE) };
  } catch (failure) {
    return { stored: [], failure };
  }
}

async function sweep(
  notifiedAt: Date,
  event: ConfigRuleEvent,
  parameters: RuleParameters,
  context: EvaluationContext,
  clients: RuleClients,
): Promise<SweepResult> {
  const trails = await describeTrails(clients);
  const { stored, failure } = await readStored(event, clients);
  const storedIds = new Set(stored.map((resource) => resource.resourceId));
  const judged = await mapWithConcurrency(
    trailsToReport(trails, storedIds, context),
    TRAIL_STATUS_CONCURRENCY,
    async ([trail, ids]) => {
      // History and verdict use the id Config knows the trail by.
      const judgement = await judgeTrail(
        { ...trail, resourceId: ids[0] as string },
        context,
        parameters,
        clients,
        undefined,
      );
      return ids.map(
        (resourceId): RuleEvaluation => ({
          resourceType: TRAIL_RESOURCE_TYPE,
          resourceId,
          ...judgement,
          orderingTimestamp: notifiedAt,
        }),
      );
    },
  );
  const present = new Set(trails.flatMap((trail) => [trail.name, trail.arn]));
  const gone = stored
    .filter((resource) => !present.has(resource.resourceId))
    .map(
      (resource): RuleEvaluation => ({
        ...resource,
        complianceType: 'NOT_APPLICABLE',
        annotation: ANNOTATION.gone,
        orderingTimestamp: notifiedAt,
      }),
    );
  // Verdicts first, then the clean-up, in the same batches: the fewest PutEvaluations calls.
  const evaluations = [...judged.flat(), ...gone];
  return failure === undefined ? { evaluations } : { evaluations, cleanUpFailure: failure };
}

/**
 * Evaluates what the event asks for and reports it with PutEvaluations; returns the evaluations reported.
 * Errors propagate so the failed invocation shows in Config.
 */
export async function runRule(
  event: ConfigRuleEvent,
  parameters: RuleParameters,
  environment: RunEnvironment,
): Promise<RuleEvaluation[]> {
  const { clients } = environment;
  const context: EvaluationContext = {
    accountId: event.accountId,
    region: environment.region,
    now: environment.now,
  };
  const { invokingEvent } = event;
  let evaluations: RuleEvaluation[];
  let cleanUpFailure: unknown;
  switch (invokingEvent.messageType) {
    case MESSAGE_TYPE.change:
      evaluations = [
        await evaluateItem(
          invokingEvent.configurationItem,
          invokingEvent.configurationItemDiff,
          event,
          parameters,
          context,
          clients,
        ),
      ];
      break;
    case MESSAGE_TYPE.oversized: {
      const { resourceType, resourceId } = invokingEvent.configurationItemSummary;
      const item = await getLatestConfigurationItem(clients, resourceType, resourceId);
      evaluations = [await evaluateItem(item, undefined, event, parameters, context, clients)];
      break;
    }
    case MESSAGE_TYPE.scheduled: {
      const result = await sweep(invokingEvent.notificationCreationTime, event, parameters, context, clients);
      evaluations = result.evaluations;
      cleanUpFailure = result.cleanUpFailure;
      break;
    }
  }
  if (evaluations.length > 0) {
    try {
      await putEvaluations(clients, event.configRuleName, event.resultToken, evaluations);
    } catch (error) {
      if (cleanUpFailure === undefined) throw error;
      throw new AggregateError(
        [error, cleanUpFailure],
        `PutEvaluations failed (${(error as Error).message}) and so did reading the rule's stored results (${(cleanUpFailure as Error).message}).`,
      );
    }
  }
  if (cleanUpFailure !== undefined) throw cleanUpFailure;
  return evaluations;
}
