import { NO_EXEMPTIONS, type TrailExemptions } from '../common/exemption-lookup.js';
import { accountJudgement, accountNeedsReport, type OwnedVerdict } from './account-result.js';
import type { RuleClients } from './clients.js';
import {
  type EvaluatedResource,
  listEvaluatedResources,
  putEvaluations,
  type RuleEvaluation,
  TEST_MODE_RESULT_TOKEN,
} from './config-api.js';
import { ACCOUNT_RESOURCE_TYPE, TRAIL_RESOURCE_TYPE } from './definition.js';
import { type DeliveryStatus, diffTouchesIntegration, type TrailChange } from './delivery.js';
import { RuleRunError, type TrailFailure, TrailNotFoundError, TrailsNotJudgedError } from './errors.js';
import {
  ANNOTATION,
  assessConfigurationItem,
  type EvaluationContext,
  evaluateTrail,
  type IntegratedTrail,
  type ItemAssessment,
  isIntegrated,
  isOwnedHere,
  type Judgement,
  settledJudgement,
  type Trail,
  VANISHED,
} from './evaluate.js';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  type ConfigurationItemDiff,
  type ConfigurationItemSummary,
  MESSAGE_TYPE,
} from './event.js';
import { getConfigurationItemAt, malformedItemError, readIntegrationStart } from './history-api.js';
import { historyHorizon, type Integration, trailChangeOf, withRecreation } from './integration-history.js';
import type { RuleParameters } from './parameters.js';
import { needsReport, type StoredVerdict } from './report-decision.js';
import { integrationCreatedAt } from './resources-api.js';
import { describeTrails, getTrailStatus } from './trails-api.js';

/**
 * One invocation of the rule, from parsed event to PutEvaluations: the glue between the pure judgement and
 * the AWS calls. AWS calls per event: a change event makes one (PutEvaluations) unless the delivery check is
 * on; an oversized one adds GetResourceConfigHistory unless its summary settles the verdict; the sweep makes
 * DescribeTrails, GetComplianceDetailsByConfigRule (per page) and PutEvaluations (per 100, none when Config
 * already holds every verdict: see report-decision.ts; one more for the account-level result when Config does not
 * hold it: see account-result.ts), plus GetTrailStatus and GetResourceConfigHistory (see history-api.ts for how
 * many) per owned, integrated trail when the delivery check is on.
 */

export interface RunEnvironment {
  readonly clients: RuleClients;
  /** The region the rule runs in (the clients' region). */
  readonly region: string;
  readonly now: Date;
  /** The deployment's exemptions at `now`. @default none */
  readonly exemptions?: TrailExemptions;
  /**
   * Why the deployment's exemptions could not be honoured (InvalidExemptionsError): every trail is then judged
   * without them, and this is raised once the verdicts are reported. @default none
   */
  readonly exemptionsFailure?: unknown;
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

/** What a change event tells about the item it judges. */
export interface JudgedItem {
  readonly capturedAt: Date;
  readonly status: string;
  /** Config's diff: true when it set or changed the log group or role, false when not; undefined without one. */
  readonly integrationChanged?: boolean;
}

const integrationOfTrail = (trail: IntegratedTrail): Integration => ({
  logGroupArn: trail.cloudWatchLogsLogGroupArn,
  roleArn: trail.cloudWatchLogsRoleArn,
});

/**
 * Since when the trail's current integration has been in force, as far as it matters for the delivery verdict:
 * from the diff when it shows the integration changed, without a read when nothing after the horizon can be
 * history (a delivery since the judged item), otherwise from Config's history (history-api.ts).
 */
async function integrationChange(
  trail: IntegratedTrail,
  status: DeliveryStatus,
  windowHours: number,
  now: Date,
  clients: RuleClients,
  judged: JudgedItem | undefined,
): Promise<TrailChange> {
  if (judged?.integrationChanged === true) return { at: judged.capturedAt, integrationChanged: true };
  const horizon = historyHorizon(status.latestDeliveryTime, now, windowHours);
  if (horizon >= (judged?.capturedAt ?? now)) return trailChangeOf({ kind: 'before' }, horizon);
  const current = integrationOfTrail(trail);
  const start = await readIntegrationStart(clients, {
    resourceType: TRAIL_RESOURCE_TYPE,
    resourceId: trail.resourceId,
    current,
    horizon,
    ...(judged === undefined
      ? {}
      : {
          judged: {
            item: { capturedAt: judged.capturedAt, status: judged.status, integration: current },
            keptIntegration: judged.integrationChanged === false,
          },
        }),
  });
  return trailChangeOf(start, horizon);
}

/**
 * Judges one trail, reading its delivery status and when its integration came into force only when the delivery
 * check applies: a delivery made before the current integration was in force does not count, and grace depends
 * on it. `judged` is the change event's item; without it (the sweep, the command line) the trail is judged as it
 * is now. A trail GetTrailStatus no longer finds is NOT_APPLICABLE. An owned trail is first looked up in
 * `exemptions`: an active exemption settles the verdict without a delivery read, and a lookup that fails
 * (OrganizationalUnitLookupError) leaves the trail unjudged. Exported for the command line's `scan`, which must
 * judge exactly as the rule.
 */
export async function judgeTrail(
  trail: Trail,
  context: EvaluationContext,
  parameters: RuleParameters,
  clients: RuleClients,
  judged: JudgedItem | undefined,
  exemptions: TrailExemptions = NO_EXEMPTIONS,
): Promise<Judgement> {
  const owned = isOwnedHere(trail, context);
  const exemption = owned ? await exemptions.match(trail) : undefined;
  const here: EvaluationContext = exemption === undefined ? context : { ...context, exemption };
  const windowHours = parameters.expectedDeliveryWindowAge;
  if (windowHours === undefined || !owned || !isIntegrated(trail) || exemption?.kind === 'active') {
    return evaluateTrail(trail, here);
  }
  let status: DeliveryStatus;
  try {
    status = await getTrailStatus(clients, trail.arn);
  } catch (error) {
    if (error instanceof TrailNotFoundError) return VANISHED;
    throw error;
  }
  const change = await integrationChange(trail, status, windowHours, here.now, clients, judged);
  const last = status.latestDeliveryTime;
  // A delivery that already does not count needs no more proof; one that would count must have reached the
  // log group and role that exist now.
  const counted =
    last === undefined || (change.integrationChanged === true && last < change.at)
      ? change
      : withRecreation(change, last, await integrationCreatedAt(clients, trail));
  return evaluateTrail(trail, { ...here, delivery: { windowHours, status, change: counted } });
}

/** The first look at an item; for an item GetResourceConfigHistory returned, a malformed one is its fault. */
function assessItem(item: ConfigurationItem, eventLeftScope: boolean, fetched: boolean): ItemAssessment {
  try {
    return assessConfigurationItem(item, eventLeftScope);
  } catch (error) {
    throw fetched ? malformedItemError(error, item.resourceType, item.resourceId) : error;
  }
}

/** The item a change notification is about: from the event (with Config's diff, when sent) or fetched. */
interface ChangedItem {
  readonly item: ConfigurationItem;
  readonly diff?: ConfigurationItemDiff;
  /** Read with GetResourceConfigHistory for an oversized notification. */
  readonly fetched: boolean;
}

/**
 * What each step of one invocation reads: the event, the rule's parameters, where and when it runs, the clients
 * and the deployment's exemptions.
 */
interface Invocation {
  readonly event: ConfigRuleEvent;
  readonly parameters: RuleParameters;
  readonly context: EvaluationContext;
  readonly clients: RuleClients;
  readonly exemptions: TrailExemptions;
}

async function evaluateItem(
  { item, diff, fetched }: ChangedItem,
  { event, parameters, context, clients, exemptions }: Invocation,
): Promise<RuleEvaluation> {
  const capturedAt = new Date(item.configurationItemCaptureTime);
  const assessment = assessItem(item, event.eventLeftScope, fetched);
  const judgement =
    assessment.kind === 'judged'
      ? assessment.judgement
      : await judgeTrail(
          assessment.trail,
          context,
          parameters,
          clients,
          {
            capturedAt,
            status: item.configurationItemStatus,
            // Without a diff (an oversized item, or Config sent none) the history shows what changed.
            ...(diff === undefined ? {} : { integrationChanged: diffTouchesIntegration(diff) }),
          },
          exemptions,
        );
  return {
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    ...judgement,
    orderingTimestamp: capturedAt,
  };
}

/**
 * An oversized notification: answered from its summary when the type, status and scope settle the verdict
 * (a deleted trail has no item left to fetch), otherwise from the item the summary names, read back from the
 * history.
 */
async function evaluateOversized(
  summary: ConfigurationItemSummary,
  invocation: Invocation,
): Promise<RuleEvaluation> {
  const { resourceType, resourceId, configurationItemStatus } = summary;
  const settled = settledJudgement(resourceType, configurationItemStatus, invocation.event.eventLeftScope);
  if (settled !== undefined) {
    return {
      resourceType,
      resourceId,
      ...settled,
      orderingTimestamp: new Date(summary.configurationItemCaptureTime),
    };
  }
  const item = await getConfigurationItemAt(invocation.clients, summary);
  return evaluateItem({ item, fetched: true }, invocation);
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

/**
 * A sweep's evaluations, its account-level one apart (reported in a call of its own), and what it could not do,
 * raised once the evaluations are reported: the trails it could not judge, and the failure of its read of stored
 * results.
 */
interface SweepResult {
  readonly evaluations: RuleEvaluation[];
  /** Set when a sweep must report it (account-result.ts); never for a change event. */
  readonly accountLevel?: RuleEvaluation;
  readonly failures: unknown[];
}

/**
 * Stored results of the rule, for the clean-up, for the ids trails are known by and for the verdicts Config
 * already holds (not reported again). Read before the verdicts are reported (their ids depend on it), but a
 * failure (AccessDenied in the first minutes after a deployment, before the clean-up permission exists) must not
 * cost the current verdicts: it is returned, to be raised after them (every verdict is then reported). Trails'
 * results and the account-level one are apart, so the clean-up of vanished trails never touches the latter.
 */
async function readStored(
  event: ConfigRuleEvent,
  clients: RuleClients,
): Promise<{ stored: EvaluatedResource[]; account?: StoredVerdict; failure?: unknown }> {
  // A test-mode run stores nothing and need not belong to a deployed rule (its configRuleName may name none),
  // so it has no stored results to clean up; only real invocations read them.
  if (event.resultToken === TEST_MODE_RESULT_TOKEN) return { stored: [] };
  let all: EvaluatedResource[];
  try {
    all = await listEvaluatedResources(clients, event.configRuleName);
  } catch (failure) {
    return { stored: [], failure };
  }
  const account = all.find(
    (resource) => resource.resourceType === ACCOUNT_RESOURCE_TYPE && resource.resourceId === event.accountId,
  );
  return {
    stored: all.filter((resource) => resource.resourceType === TRAIL_RESOURCE_TYPE),
    ...(account === undefined ? {} : { account }),
  };
}

/**
 * One trail's share of a sweep: its evaluations (and its verdict, for the account-level result, when this account
 * and region own it), or why it could not be judged.
 */
type TrailOutcome =
  | { readonly evaluations: RuleEvaluation[]; readonly owned?: OwnedVerdict }
  | { readonly failure: TrailFailure };

async function sweep(
  notifiedAt: Date,
  { event, parameters, context, clients, exemptions }: Invocation,
): Promise<SweepResult> {
  const { trails, malformed } = await describeTrails(clients);
  const { stored, account, failure } = await readStored(event, clients);
  const storedById = new Map(stored.map((resource) => [resource.resourceId, resource]));
  const storedIds = new Set(storedById.keys());
  const outcomes = await mapWithConcurrency(
    trailsToReport(trails, storedIds, context),
    TRAIL_STATUS_CONCURRENCY,
    async ([trail, ids]): Promise<TrailOutcome> => {
      let judgement: Judgement;
      try {
        // History and verdict use the id Config knows the trail by.
        judgement = await judgeTrail(
          { ...trail, resourceId: ids[0] as string },
          context,
          parameters,
          clients,
          undefined,
          exemptions,
        );
      } catch (error) {
        // One trail's failure is that trail's: it gets no verdict (its stored result stands), the others do.
        return { failure: { trail: trail.name, error } };
      }
      // Only what Config does not already hold: an unchanged verdict recorded recently is not billed again.
      return {
        ...(isOwnedHere(trail, context)
          ? { owned: { name: trail.name, complianceType: judgement.complianceType } }
          : {}),
        evaluations: ids
          .filter((resourceId) => needsReport(judgement, storedById.get(resourceId), context.now))
          .map(
            (resourceId): RuleEvaluation => ({
              resourceType: TRAIL_RESOURCE_TYPE,
              resourceId,
              ...judgement,
              orderingTimestamp: notifiedAt,
            }),
          ),
      };
    },
  );
  // A malformed entry is still a trail that exists: its stored result stands, it is not cleaned up.
  const present = new Set([
    ...trails.flatMap((trail) => [trail.name, trail.arn]),
    ...malformed.flatMap((entry) => entry.ids),
  ]);
  const gone = stored
    .filter((resource) => !present.has(resource.resourceId))
    .map(
      ({ resourceType, resourceId }): RuleEvaluation => ({
        resourceType,
        resourceId,
        complianceType: 'NOT_APPLICABLE',
        annotation: ANNOTATION.gone,
        orderingTimestamp: notifiedAt,
      }),
    );
  const trailFailures = [
    ...malformed.map(({ label, error }): TrailFailure => ({ trail: label, error })),
    ...outcomes.flatMap((outcome) => ('failure' in outcome ? [outcome.failure] : [])),
  ];
  const accountVerdict = accountJudgement({
    owned: outcomes.flatMap((outcome) => ('owned' in outcome && outcome.owned ? [outcome.owned] : [])),
    notJudged: trailFailures.length,
  });
  // Verdicts first, then the clean-up, in the same batches: the fewest PutEvaluations calls.
  return {
    evaluations: [
      ...outcomes.flatMap((outcome) => ('evaluations' in outcome ? outcome.evaluations : [])),
      ...gone,
    ],
    ...(accountNeedsReport(accountVerdict, account, context.now)
      ? {
          // Under the evaluated account's id: in organization mode, the event's member account, not the hub's.
          accountLevel: {
            resourceType: ACCOUNT_RESOURCE_TYPE,
            resourceId: context.accountId,
            ...accountVerdict,
            orderingTimestamp: notifiedAt,
          },
        }
      : {}),
    failures: [
      ...(trailFailures.length > 0 ? [new TrailsNotJudgedError(trailFailures)] : []),
      ...(failure === undefined ? [] : [failure]),
    ],
  };
}

async function evaluate(invocation: Invocation): Promise<SweepResult> {
  const { invokingEvent } = invocation.event;
  switch (invokingEvent.messageType) {
    case MESSAGE_TYPE.change: {
      const { configurationItem: item, configurationItemDiff: diff } = invokingEvent;
      const changed: ChangedItem = { item, fetched: false, ...(diff === undefined ? {} : { diff }) };
      return {
        evaluations: [await evaluateItem(changed, invocation)],
        failures: [],
      };
    }
    case MESSAGE_TYPE.oversized: {
      const summary = invokingEvent.configurationItemSummary;
      return {
        evaluations: [await evaluateOversized(summary, invocation)],
        failures: [],
      };
    }
    case MESSAGE_TYPE.scheduled:
      return sweep(invokingEvent.notificationCreationTime, invocation);
  }
}

/**
 * Evaluates what the event asks for and reports it with PutEvaluations; returns the evaluations reported (a
 * sweep's account-level one last). Whatever could be judged is reported before the invocation fails for the rest
 * (a sweep's trails it could not judge, its read of stored results, exemptions that could not be honoured), so the
 * failed invocation shows in Config without costing the other verdicts. Several failures are raised together as
 * one {@link RuleRunError}.
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
  // Exemptions that cannot be honoured exempt nothing: every trail is judged as it is.
  const exemptions =
    environment.exemptionsFailure === undefined ? (environment.exemptions ?? NO_EXEMPTIONS) : NO_EXEMPTIONS;
  const { evaluations, accountLevel, failures } = await evaluate({
    event,
    parameters,
    context,
    clients,
    exemptions,
  });
  // The account-level result goes in a call of its own. AWS's example rules report AWS::::Account, but whether
  // Config takes it from a rule whose scope names only trails is not documented, and PutEvaluations refuses a
  // resource type it does not take for the whole call: such a refusal must never cost a trail's verdict.
  const apart = accountLevel === undefined ? [] : [accountLevel];
  const errors: unknown[] = [];
  if (evaluations.length + apart.length > 0) {
    try {
      await putEvaluations(clients, event.configRuleName, event.resultToken, evaluations, apart);
    } catch (error) {
      errors.push(error);
    }
  }
  errors.push(...failures);
  if (environment.exemptionsFailure !== undefined) errors.push(environment.exemptionsFailure);
  if (errors.length > 1) throw new RuleRunError(errors);
  if (errors.length === 1) throw errors[0];
  return [...evaluations, ...apart];
}
