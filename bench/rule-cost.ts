import { readFileSync } from 'node:fs';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  type ConfigurationItem as ApiConfigurationItem,
  ConfigServiceClient,
  type Evaluation,
  type EvaluationResult,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { accountJudgement } from '../rule/account-result.js';
import { ACCOUNT_RESOURCE_TYPE } from '../rule/definition.js';
import type { Judgement } from '../rule/evaluate.js';
import { handler } from '../rule/handler.js';
import { HISTORY_CALL_BUDGET } from '../rule/history-api.js';
import { ConfigHistory } from '../test/rule/config-history.js';
import { countCalls, totalCalls } from './call-counter.js';
import { sweepRoundTrips } from './cost-model.js';
import { median } from './stats.js';

/**
 * Stage 3: the rule handler's cost per event, in this process, with the SDK mocked at the client boundary
 * (aws-sdk-client-mock): wall time of `handler(event)` (the rule's own work: parsing, judging, building and
 * serialising nothing over a network) and the AWS calls it makes, by command. Config's history is served by the
 * unit tests' faithful model of GetResourceConfigHistory (test/rule/config-history.ts: seven days a call,
 * `nextToken`, empty pages), holding items consistent with the trails DescribeTrails lists; CloudWatch Logs and
 * IAM answer the delivery check's creation-time reads with a log group and role created long ago.
 */

/**
 * Trails judged side by side in a sweep: rule/run.ts's TRAIL_STATUS_CONCURRENCY, read from its source (it is not
 * exported) so that the modelled sweep time follows the rule.
 */
export const SWEEP_CONCURRENCY = (() => {
  const source = readFileSync(new URL('../rule/run.ts', import.meta.url), 'utf8');
  const match = /const TRAIL_STATUS_CONCURRENCY = (\d+);/.exec(source);
  if (match === null) throw new Error('rule/run.ts: TRAIL_STATUS_CONCURRENCY not found');
  return Number(match[1]);
})();

export { HISTORY_CALL_BUDGET };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** When the bench's log groups and roles were created: long before any delivery. */
const CREATED_LONG_AGO = new Date('2025-01-06T09:00:00.000Z');

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TRAIL_TYPE = 'AWS::CloudTrail::Trail';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSCloudTrailLogStream`;
/** The other regions of a 17-region account, where its multi-region trails have their home. */
const OTHER_REGIONS = [
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
  'sa-east-1',
] as const;
/** A region holds at most this many trails of its own. */
const OWN_TRAILS_PER_REGION = 5;
const DELIVERY_WINDOW_HOURS = 24;

type RawEvent = Record<string, unknown> & { ruleParameters: string };

function fixture(name: string): RawEvent {
  return JSON.parse(
    readFileSync(new URL(`../test/fixtures/rule/${name}`, import.meta.url), 'utf8'),
  ) as RawEvent;
}

function withWindow(event: RawEvent, window: boolean): RawEvent {
  return window
    ? { ...event, ruleParameters: JSON.stringify({ expectedDeliveryWindowAge: DELIVERY_WINDOW_HOURS }) }
    : event;
}

function trail(name: string, homeRegion: string, account: string, change: Partial<SdkTrail> = {}): SdkTrail {
  return {
    Name: name,
    TrailARN: `arn:aws:cloudtrail:${homeRegion}:${account}:trail/${name}`,
    HomeRegion: homeRegion,
    IsMultiRegionTrail: true,
    IsOrganizationTrail: false,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${homeRegion}:${account}:log-group:/cloudtrail/${name}:*`,
    CloudWatchLogsRoleArn: ROLE_ARN,
    ...change,
  };
}

/**
 * What DescribeTrails lists in one region: up to 5 trails of its own (the first not integrated), then copies of
 * this account's multi-region trails from the other 16 regions (up to 5 each), then copies of organization
 * trails owned by other accounts.
 */
export function regionTrails(count: number): SdkTrail[] {
  const trails: SdkTrail[] = [];
  for (let i = 0; i < Math.min(count, OWN_TRAILS_PER_REGION); i++) {
    const notIntegrated =
      i === 0 ? { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined } : {};
    trails.push(trail(`own-${i}`, REGION, ACCOUNT, notIntegrated));
  }
  for (const region of OTHER_REGIONS) {
    for (let i = 0; i < OWN_TRAILS_PER_REGION && trails.length < count; i++) {
      trails.push(trail(`copy-${region}-${i}`, region, ACCOUNT));
    }
  }
  for (let i = 0; trails.length < count; i++) {
    const owner = String(210000000000 + i);
    trails.push(
      trail(`org-${owner}`, OTHER_REGIONS[i % OTHER_REGIONS.length] as string, owner, {
        IsOrganizationTrail: true,
      }),
    );
  }
  return trails;
}

/**
 * A configuration item of `trail` as GetResourceConfigHistory returns it: resourceType AWS::CloudTrail::Trail,
 * resourceId the trail's name, and the log group and role ARNs DescribeTrails lists in its `configuration`.
 */
function configurationItem(
  trail: SdkTrail,
  at: Date,
  status: ApiConfigurationItem['configurationItemStatus'] = 'OK',
  tags: Record<string, string> = {},
): ApiConfigurationItem {
  const account = trail.TrailARN?.split(':')[4] ?? ACCOUNT;
  return {
    version: '1.3',
    accountId: account,
    configurationItemCaptureTime: at,
    configurationItemStatus: status,
    configurationStateId: String(at.getTime()),
    resourceType: TRAIL_TYPE,
    resourceId: trail.Name,
    resourceName: trail.Name,
    arn: trail.TrailARN,
    awsRegion: trail.HomeRegion,
    availabilityZone: 'Not Applicable',
    tags,
    configuration: JSON.stringify({
      name: trail.Name,
      s3BucketName: `aws-cloudtrail-logs-${account}`,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: trail.IsMultiRegionTrail,
      homeRegion: trail.HomeRegion,
      trailARN: trail.TrailARN,
      logFileValidationEnabled: true,
      cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn ?? null,
      cloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn ?? null,
      hasCustomEventSelectors: false,
      hasInsightSelectors: false,
      isOrganizationTrail: trail.IsOrganizationTrail,
    }),
  };
}

/** What GetTrailStatus says of a trail. */
interface TrailStatus {
  readonly LatestCloudWatchLogsDeliveryTime?: Date;
  readonly LatestCloudWatchLogsDeliveryError?: string;
}

/** The trails' Config history and delivery status at the moment a scenario runs. */
export interface TrailWorld {
  readonly items: readonly ApiConfigurationItem[];
  /** GetTrailStatus by trail name; a trail not named here delivered ten minutes before the call. */
  readonly statuses: ReadonlyMap<string, TrailStatus>;
  /** The event, when it must be dated from the same moment (a change event captured minutes ago). */
  readonly event?: RawEvent;
}

/** A group of the history scenario's trails: the history they share, the calls each must take, the verdict. */
export interface MixGroup {
  readonly label: string;
  readonly trails: readonly string[];
  /** GetResourceConfigHistory calls per trail, by design (rule/history-api.ts), in `trails` order. */
  readonly expectedCalls: readonly number[];
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT';
}

export interface RuleScenario {
  readonly label: string;
  readonly event: RawEvent;
  /** Trails DescribeTrails returns (sweeps). */
  readonly trails: readonly SdkTrail[];
  /** Trails this rule reported COMPLIANT or NON_COMPLIANT before: the owned ones plus one since deleted. */
  readonly previouslyEvaluated: readonly string[];
  /**
   * The account-level result Config holds for this account and region, recorded an hour ago; without it the
   * sweep reports one (rule/account-result.ts), as a first sweep does.
   */
  readonly storedAccountLevel?: Judgement;
  readonly repetitions: number;
  /** The trail a change event is about. */
  readonly changeTrail?: SdkTrail;
  /**
   * The history and statuses at `now` (ms since the epoch), built when the scenario runs. Without it every trail
   * was discovered 60 days ago and not changed since, and delivered ten minutes before each GetTrailStatus.
   */
  readonly world?: (now: number) => TrailWorld;
  /** The history scenario's groups: checked on every run (calls per trail and verdicts). */
  readonly mix?: readonly MixGroup[];
}

/** One group of the history scenario as measured. */
export interface MixGroupCost {
  readonly label: string;
  readonly trails: number;
  /** Fewest and most GetResourceConfigHistory calls of a trail of the group. */
  readonly minCalls: number;
  readonly maxCalls: number;
  readonly compliance: string;
}

export interface RuleCost {
  readonly label: string;
  /** Trails DescribeTrails listed (0 for change events). */
  readonly trails: number;
  readonly medianMs: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  readonly cloudTrailCalls: number;
  /** Trail evaluations reported (verdicts and clean-up). */
  readonly evaluations: number;
  /** Account-level results reported (0 or 1, in a PutEvaluations call of its own: rule/account-result.ts). */
  readonly accountEvaluations: number;
  /** GetResourceConfigHistory calls per trail the delivery check judged (GetTrailStatus called). */
  readonly historyCallsByTrail: Readonly<Record<string, number>>;
  /** Calls made one after another, outside any trail's judgement: DescribeTrails, stored results, PutEvaluations. */
  readonly sequentialCalls: number;
  /**
   * Round trips of each trail's judgement in the order the sweep takes them: GetTrailStatus, then the history
   * reads one after another, then DescribeLogGroups and GetRole side by side (one round trip).
   */
  readonly chains: readonly number[];
  /** Round trips on the invocation's critical path, trails judged {@link SWEEP_CONCURRENCY} at a time. */
  readonly roundTrips: number;
  readonly mix?: readonly MixGroupCost[];
}

/**
 * A sweep of `trailCount` trails. Usually the rule has stored results only for the trails it owns here (and one
 * since deleted); `storedForAll` gives every listed trail a stored result, the worst case in which each copy is
 * reported to correct it.
 */
function sweepScenario(
  trailCount: number,
  window: boolean,
  repetitions: number,
  storedForAll = false,
): RuleScenario {
  const trails = regionTrails(trailCount);
  const owned = trails.filter((t) => t.HomeRegion === REGION && t.TrailARN?.includes(`:${ACCOUNT}:`));
  const stored = storedForAll ? trails : owned;
  const label = [
    `scheduled sweep, ${trailCount} trail${trailCount === 1 ? '' : 's'}`,
    ...(window ? [`window ${DELIVERY_WINDOW_HOURS} h`] : []),
    ...(storedForAll ? ['a stored result for every trail (worst case)'] : []),
  ].join(', ');
  return {
    label,
    event: withWindow(fixture('scheduled.json'), window),
    trails,
    previouslyEvaluated: [...stored.map((t) => t.Name as string), 'deleted-trail'],
    repetitions,
  };
}

type Invoking = { configurationItem: Record<string, unknown> } & Record<string, unknown>;

/** The trail a change event's configuration item describes, as DescribeTrails would list it. */
function trailOfChangeEvent(event: RawEvent): SdkTrail {
  const invoking = JSON.parse(event.invokingEvent as string) as Invoking;
  const configuration = invoking.configurationItem.configuration as Record<string, string | boolean>;
  return trail(configuration.name as string, configuration.homeRegion as string, ACCOUNT, {
    CloudWatchLogsLogGroupArn: configuration.cloudWatchLogsLogGroupArn as string,
    CloudWatchLogsRoleArn: configuration.cloudWatchLogsRoleArn as string,
  });
}

/**
 * A tag edit of an integrated trail, captured `ago` ms before `now`: Config's diff names only the tag, so the
 * rule reads the history from the last delivery to the edit (one call) unless the delivery came after it.
 */
function tagEditEvent(now: number, ago: number): RawEvent {
  const event = withWindow(fixture('change-trail.json'), true);
  const invoking = JSON.parse(event.invokingEvent as string) as Invoking;
  invoking.configurationItemDiff = {
    changedProperties: {
      'Tags.team': { previousValue: null, updatedValue: 'security', changeType: 'CREATE' },
    },
    changeType: 'UPDATE',
  };
  invoking.configurationItem.configurationItemCaptureTime = new Date(now - ago).toISOString();
  invoking.configurationItem.configurationStateId = now - ago;
  invoking.configurationItem.tags = { team: 'security' };
  invoking.notificationCreationTime = new Date(now - ago + 1_500).toISOString();
  return { ...event, invokingEvent: JSON.stringify(invoking) };
}

const OLD_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailOld`;
const DELIVERY_ERROR = 'Access denied. Verify in IAM that the role has adequate permissions.';
export const HISTORY_MIX_TRAILS = 250;

/**
 * The history scenario: a sweep of 250 trails owned here and integrated, window 24 h, with this mix of histories
 * (pessimistic on purpose: trails delivering every few minutes are rarely edited between their last delivery
 * and an hourly sweep). Calls per trail by design (rule/history-api.ts): one read from the horizon (the last
 * delivery, or now - 60 min without one) to now; then, when every item since the horizon names the current
 * integration and the oldest is not ResourceDiscovered, its predecessor, seven days back per call, within
 * HISTORY_CALL_BUDGET (10) calls.
 * - 200 stable for weeks (discovered 30-89 days ago), delivered 1-5 min ago: nothing since the delivery, 1 call.
 * - 25 edited (tags) 2 min ago, after their last delivery 4 min ago, the item before the edit w = 1..8 weeks
 *   back (discovered 7w - 1 days ago): 1 + w calls (2-9); the predecessor has the same integration: delivering.
 * - 10 new within grace: created 20 min ago, edited 3 min later, nothing delivered yet: 1 call, grace.
 * - 5 re-pointed to a new role 3 h ago, last delivery (to the old role) 3 h 10 min ago with a delivery error,
 *   the item before the re-point 2 days back: 2 calls, NON_COMPLIANT (nothing delivered since the change).
 * - 5 re-pointed likewise after 40 days of stability: 1 + 6 calls = 7, NON_COMPLIANT.
 * - 5 worst case: edited 2 min ago after a delivery 4 min ago, the item before the edit 100 days back, beyond the
 *   budget's reach (9 more calls cover 63 days): exactly 10 calls, the edit taken as an integration change (the
 *   strict side), so grace until the next delivery.
 */
export function historyMixScenario(repetitions: number): RuleScenario {
  const groups: { label: string; count: number; compliance: MixGroup['compliance'] }[] = [
    { label: 'stable for weeks, delivered minutes ago', count: 200, compliance: 'COMPLIANT' },
    {
      label: 'edited after the last delivery, previous item 1-8 weeks back',
      count: 25,
      compliance: 'COMPLIANT',
    },
    { label: 'new within grace (created 20 min ago, edited since)', count: 10, compliance: 'COMPLIANT' },
    { label: 're-pointed 3 h ago, previous item 2 days back', count: 5, compliance: 'NON_COMPLIANT' },
    { label: 're-pointed 3 h ago after 40 days of stability', count: 5, compliance: 'NON_COMPLIANT' },
    {
      label: 'edited after the last delivery, previous item 100 days back (beyond the budget)',
      count: 5,
      compliance: 'COMPLIANT',
    },
  ];
  // Groups interleaved (a fixed stride through the 250 positions), as DescribeTrails would list them.
  const slots = groups.flatMap((group, g) => Array.from({ length: group.count }, (_, k) => ({ g, k })));
  const order = slots.map((_, i) => slots[(i * 97) % slots.length] as { g: number; k: number });
  const trails = order.map(({ g, k }) => trail(`trail-${g}-${String(k).padStart(3, '0')}`, REGION, ACCOUNT));
  const named = (g: number) => order.flatMap((slot, i) => (slot.g === g ? [trails[i] as SdkTrail] : []));
  const weeks = (k: number) => 1 + (k % 8);
  const expected = [
    () => 1,
    (k: number) => 1 + weeks(k),
    () => 1,
    () => 2,
    () => 7,
    () => HISTORY_CALL_BUDGET,
  ];
  const mix: MixGroup[] = groups.map((group, g) => ({
    label: group.label,
    trails: named(g).map((t) => t.Name as string),
    expectedCalls: named(g).map((_, k) => (expected[g] as (k: number) => number)(k)),
    compliance: group.compliance,
  }));
  const world = (now: number): TrailWorld => {
    const ago = (ms: number) => new Date(now - ms);
    const items: ApiConfigurationItem[] = [];
    const statuses = new Map<string, TrailStatus>();
    const repointed = (t: SdkTrail, previousDays: number) => {
      items.push(
        configurationItem(
          { ...t, CloudWatchLogsRoleArn: OLD_ROLE_ARN },
          ago(previousDays * DAY_MS),
          'ResourceDiscovered',
        ),
        configurationItem(t, ago(180 * MINUTE_MS)),
      );
      statuses.set(t.Name as string, {
        LatestCloudWatchLogsDeliveryTime: ago(190 * MINUTE_MS),
        LatestCloudWatchLogsDeliveryError: DELIVERY_ERROR,
      });
    };
    const editedAfterDelivery = (t: SdkTrail, previousDays: number) => {
      items.push(
        configurationItem(t, ago(previousDays * DAY_MS), 'ResourceDiscovered'),
        configurationItem(t, ago(2 * MINUTE_MS), 'OK', { team: 'security' }),
      );
      statuses.set(t.Name as string, { LatestCloudWatchLogsDeliveryTime: ago(4 * MINUTE_MS) });
    };
    for (const [k, t] of named(0).entries()) {
      items.push(configurationItem(t, ago((30 + (k % 60)) * DAY_MS), 'ResourceDiscovered'));
      statuses.set(t.Name as string, { LatestCloudWatchLogsDeliveryTime: ago((1 + (k % 5)) * MINUTE_MS) });
    }
    for (const [k, t] of named(1).entries()) editedAfterDelivery(t, 7 * weeks(k) - 1);
    for (const t of named(2)) {
      items.push(
        configurationItem(t, ago(20 * MINUTE_MS), 'ResourceDiscovered'),
        configurationItem(t, ago(17 * MINUTE_MS), 'OK', { team: 'security' }),
      );
      statuses.set(t.Name as string, {});
    }
    for (const t of named(3)) repointed(t, 2);
    for (const t of named(4)) repointed(t, 40);
    for (const t of named(5)) editedAfterDelivery(t, 100);
    return { items, statuses };
  };
  return {
    label: `scheduled sweep, ${HISTORY_MIX_TRAILS} trails owned here and integrated, window ${DELIVERY_WINDOW_HOURS} h, history mix`,
    event: withWindow(fixture('scheduled.json'), true),
    trails,
    previouslyEvaluated: [...trails.map((t) => t.Name as string), 'deleted-trail'],
    repetitions,
    world,
    mix,
  };
}

/** The scenarios of the issue: change events with and without the delivery window, sweeps of 5, 50 and 250. */
export function ruleScenarios(): RuleScenario[] {
  const change = fixture('change-trail.json');
  const changeTrail = trailOfChangeEvent(change);
  return [
    {
      label: 'change event, no window',
      event: change,
      trails: [],
      previouslyEvaluated: [],
      repetitions: 400,
      changeTrail,
    },
    {
      label: `change event, window ${DELIVERY_WINDOW_HOURS} h (diff: integration changed)`,
      event: withWindow(change, true),
      trails: [],
      previouslyEvaluated: [],
      repetitions: 400,
      changeTrail,
    },
    {
      label: `change event, window ${DELIVERY_WINDOW_HOURS} h (diff: a tag edit 2 min ago, after the last delivery)`,
      event: withWindow(change, true),
      trails: [],
      previouslyEvaluated: [],
      repetitions: 400,
      changeTrail,
      world: (now) => ({
        items: [
          configurationItem(changeTrail, new Date(now - 60 * DAY_MS), 'ResourceDiscovered'),
          configurationItem(changeTrail, new Date(now - 2 * MINUTE_MS), 'OK', { team: 'security' }),
        ],
        statuses: new Map([
          [changeTrail.Name as string, { LatestCloudWatchLogsDeliveryTime: new Date(now - 4 * MINUTE_MS) }],
        ]),
        event: tagEditEvent(now, 2 * MINUTE_MS),
      }),
    },
    ...[5, 50, 250].flatMap((count) => [
      sweepScenario(count, false, count === 250 ? 60 : 150),
      sweepScenario(count, true, count === 250 ? 60 : 150),
    ]),
    sweepScenario(250, false, 60, true),
    sweepScenario(250, true, 60, true),
    historyMixScenario(40),
  ];
}

/**
 * Sweep inputs of the cost model: one trail per region, seen in its home region (without and with the delivery
 * check, which adds GetTrailStatus, GetResourceConfigHistory and the creation-time reads) and as a copy elsewhere.
 * Config holds each sweep's account-level result already, as in the steady state: the model prices those results
 * itself (cost-model.ts, ASSUMPTIONS.accountRestampHours), so the sweeps it times make no call for them.
 */
export function costModelScenarios(): { home: RuleScenario; homeChecked: RuleScenario; copy: RuleScenario } {
  const home = sweepScenario(1, false, 150);
  const copyTrail = trail('org-trail', 'eu-west-1', '210000000000', { IsOrganizationTrail: true });
  return {
    home: {
      ...home,
      label: 'scheduled sweep, 1 trail (its home region)',
      previouslyEvaluated: ['own-0'],
      // regionTrails(1): own-0 is not integrated.
      storedAccountLevel: accountJudgement({
        owned: [{ name: 'own-0', complianceType: 'NON_COMPLIANT' }],
        notJudged: 0,
      }),
    },
    homeChecked: {
      ...sweepScenario(1, true, 150),
      label: `scheduled sweep, 1 integrated trail (its home region), window ${DELIVERY_WINDOW_HOURS} h`,
      // Integrated, so the delivery check reads its status, history and the creation times.
      trails: [trail('own-0', REGION, ACCOUNT)],
      previouslyEvaluated: ['own-0'],
      storedAccountLevel: accountJudgement({
        owned: [{ name: 'own-0', complianceType: 'COMPLIANT' }],
        notJudged: 0,
      }),
    },
    copy: {
      ...home,
      label: 'scheduled sweep, 1 trail (a copy)',
      trails: [copyTrail],
      previouslyEvaluated: [],
      storedAccountLevel: accountJudgement({ owned: [], notJudged: 0 }),
    },
  };
}

/** The scenario's stored results, a page of `limit` from `nextToken` on: its trails', then its account-level one. */
function pageOf(scenario: RuleScenario, nextToken: string | undefined, limit: number) {
  const stored: EvaluationResult[] = [
    ...scenario.previouslyEvaluated.map(
      (resourceId): EvaluationResult => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: { ResourceType: TRAIL_TYPE, ResourceId: resourceId },
        },
        ComplianceType: 'COMPLIANT',
      }),
    ),
    ...(scenario.storedAccountLevel === undefined
      ? []
      : [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: { ResourceType: ACCOUNT_RESOURCE_TYPE, ResourceId: ACCOUNT },
            },
            ComplianceType: scenario.storedAccountLevel.complianceType as 'COMPLIANT',
            Annotation: scenario.storedAccountLevel.annotation,
            ResultRecordedTime: new Date(Date.now() - 3_600_000),
          },
        ]),
  ];
  const start = nextToken === undefined ? 0 : Number(nextToken);
  const next = start + limit < stored.length ? String(start + limit) : undefined;
  return {
    EvaluationResults: stored.slice(start, start + limit),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}

/** The default world: every trail discovered 60 days ago and unchanged since; statuses from the default. */
function defaultWorld(scenario: RuleScenario, now: number): TrailWorld {
  const trails = [...scenario.trails, ...(scenario.changeTrail === undefined ? [] : [scenario.changeTrail])];
  return {
    items: trails.map((t) => configurationItem(t, new Date(now - 60 * DAY_MS), 'ResourceDiscovered')),
    statuses: new Map(),
  };
}

const logGroupName = (t: SdkTrail) => {
  const arn = t.CloudWatchLogsLogGroupArn ?? '';
  return arn.slice(arn.indexOf(':log-group:') + ':log-group:'.length).replace(/:\*$/, '');
};

type Mock = { calls(): readonly { readonly args: readonly unknown[] }[] };
const inputsOf = <T>(mock: Mock, command: new (...args: never[]) => unknown): T[] =>
  mock
    .calls()
    .map((call) => call.args[0])
    .filter((sent) => sent instanceof command)
    .map((sent) => (sent as { input: T }).input);

/** Runs every scenario; call counts must be the same on every repetition, or the benchmark fails. */
export async function measureRuleCosts(scenarios: readonly RuleScenario[]): Promise<RuleCost[]> {
  const config = mockClient(ConfigServiceClient);
  const cloudTrail = mockClient(CloudTrailClient);
  const logs = mockClient(CloudWatchLogsClient);
  const iam = mockClient(IAMClient);
  const results: RuleCost[] = [];
  try {
    for (const scenario of scenarios) {
      config.reset();
      cloudTrail.reset();
      logs.reset();
      iam.reset();
      const world = (scenario.world ?? ((now) => defaultWorld(scenario, now)))(Date.now());
      const event = world.event ?? scenario.event;
      const history = new ConfigHistory().record(...world.items).install(config);
      let put: Evaluation[] = [];
      config.on(PutEvaluationsCommand).callsFake((input: { Evaluations?: Evaluation[] }) => {
        put.push(...(input.Evaluations ?? []));
        return { FailedEvaluations: [] };
      });
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .callsFake((input: { NextToken?: string; Limit?: number }) =>
          pageOf(scenario, input.NextToken, input.Limit ?? 100),
        );
      cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [...scenario.trails] });
      // Unless the world says otherwise: delivered ten minutes ago, fresh.
      cloudTrail.on(GetTrailStatusCommand).callsFake((input: { Name: string }) => ({
        IsLogging: true,
        ...(world.statuses.get(input.Name.slice(input.Name.lastIndexOf('/') + 1)) ?? {
          LatestCloudWatchLogsDeliveryTime: new Date(Date.now() - 600_000),
        }),
      }));
      // The log group and role every trail names exist, created long before any delivery.
      logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix: string }) => ({
        logGroups: [{ logGroupName: input.logGroupNamePrefix, creationTime: CREATED_LONG_AGO.getTime() }],
      }));
      iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({
        Role: {
          RoleName: input.RoleName,
          Path: '/service-role/',
          RoleId: 'AROABENCH',
          Arn: `arn:aws:iam::${ACCOUNT}:role/service-role/${input.RoleName}`,
          CreateDate: CREATED_LONG_AGO,
        },
      }));

      const durations: number[] = [];
      let signature: string | undefined;
      let last: Omit<RuleCost, 'label' | 'trails' | 'medianMs'> | undefined;
      for (let run = 0; run < scenario.repetitions; run++) {
        config.resetHistory();
        cloudTrail.resetHistory();
        logs.resetHistory();
        iam.resetHistory();
        put = [];
        const requestsBefore = history.requests.length;
        const start = performance.now();
        await handler(structuredClone(event));
        durations.push(performance.now() - start);
        const calls = countCalls([config, cloudTrail, logs, iam]);
        const historyCallsOf = new Map<string, number>();
        for (const request of history.requests.slice(requestsBefore)) {
          const id = request.resourceId as string;
          historyCallsOf.set(id, (historyCallsOf.get(id) ?? 0) + 1);
        }
        const statusNames = inputsOf<{ Name: string }>(cloudTrail, GetTrailStatusCommand).map(({ Name }) =>
          Name.slice(Name.lastIndexOf('/') + 1),
        );
        const logGroups = inputsOf<{ logGroupNamePrefix: string }>(logs, DescribeLogGroupsCommand).map(
          (input) => input.logGroupNamePrefix,
        );
        const judged = scenario.changeTrail === undefined ? scenario.trails : [scenario.changeTrail];
        const count = (names: readonly string[], name: string) => names.filter((n) => n === name).length;
        const chains = judged.map(
          (t) =>
            count(statusNames, t.Name as string) +
            (historyCallsOf.get(t.Name as string) ?? 0) +
            count(logGroups, logGroupName(t)),
        );
        const sequentialCalls =
          (calls.DescribeTrails ?? 0) +
          (calls.GetComplianceDetailsByConfigRule ?? 0) +
          (calls.PutEvaluations ?? 0);
        const chained = chains.reduce((sum, chain) => sum + chain, 0);
        // GetRole runs beside DescribeLogGroups (one round trip); every other call must belong somewhere.
        if (
          (calls.GetRole ?? 0) !== (calls.DescribeLogGroups ?? 0) ||
          sequentialCalls + chained + (calls.GetRole ?? 0) !== totalCalls(calls)
        ) {
          throw new Error(`${scenario.label}: calls not attributed to a trail: ${JSON.stringify(calls)}`);
        }
        const historyCallsByTrail = Object.fromEntries(
          judged.flatMap((t) =>
            statusNames.includes(t.Name as string)
              ? [[t.Name as string, historyCallsOf.get(t.Name as string) ?? 0]]
              : [],
          ),
        );
        const verdicts = new Map(put.map((e) => [e.ComplianceResourceId, e.ComplianceType]));
        const mix = scenario.mix?.map((group): MixGroupCost => {
          const callsOf = group.trails.map((name) => historyCallsByTrail[name] ?? 0);
          const wrong = group.trails.filter(
            (name, k) => callsOf[k] !== group.expectedCalls[k] || verdicts.get(name) !== group.compliance,
          );
          if (wrong.length > 0) {
            const name = wrong[0] as string;
            throw new Error(
              `${scenario.label}, ${group.label}: ${name} took ${historyCallsByTrail[name]} history calls ` +
                `(expected ${group.expectedCalls[group.trails.indexOf(name)]}) and got ${verdicts.get(name)} ` +
                `(expected ${group.compliance})`,
            );
          }
          return {
            label: group.label,
            trails: group.trails.length,
            minCalls: Math.min(...callsOf),
            maxCalls: Math.max(...callsOf),
            compliance: group.compliance,
          };
        });
        const measured = {
          calls,
          totalCalls: totalCalls(calls),
          cloudTrailCalls: totalCalls(countCalls([cloudTrail])),
          evaluations: put.filter((e) => e.ComplianceResourceType !== ACCOUNT_RESOURCE_TYPE).length,
          accountEvaluations: put.filter((e) => e.ComplianceResourceType === ACCOUNT_RESOURCE_TYPE).length,
          historyCallsByTrail,
          sequentialCalls,
          chains,
          roundTrips: sweepRoundTrips(sequentialCalls, chains, SWEEP_CONCURRENCY),
          ...(mix === undefined ? {} : { mix }),
        };
        const runSignature = JSON.stringify({ calls, historyCallsByTrail, chains });
        if (signature !== undefined && runSignature !== signature) {
          throw new Error(`${scenario.label}: calls differ between runs: ${signature} then ${runSignature}`);
        }
        signature = runSignature;
        last = measured;
      }
      if (last === undefined) throw new Error(`${scenario.label}: no repetitions`);
      // The first runs warm up the JIT and the SDK's lazily built pieces; the median is over the rest.
      const warm = durations.slice(Math.ceil(scenario.repetitions / 10));
      results.push({
        label: scenario.label,
        trails: scenario.trails.length,
        medianMs: median(warm),
        ...last,
      });
    }
  } finally {
    config.restore();
    cloudTrail.restore();
    logs.restore();
    iam.restore();
  }
  return results;
}
