import { readFileSync } from 'node:fs';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  type EvaluationResult,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../rule/handler.js';
import { countCalls, totalCalls } from './call-counter.js';
import { median } from './stats.js';

/**
 * Stage 3: the rule handler's cost per event, in this process, with the SDK mocked at the client boundary
 * (aws-sdk-client-mock): wall time of `handler(event)` (the rule's own work: parsing, judging, building and
 * serialising nothing over a network) and the AWS calls it makes, by command.
 */

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

export interface RuleScenario {
  readonly label: string;
  readonly event: RawEvent;
  /** Trails DescribeTrails returns (sweeps). */
  readonly trails: readonly SdkTrail[];
  /** Trails this rule reported COMPLIANT or NON_COMPLIANT before: the owned ones plus one since deleted. */
  readonly previouslyEvaluated: readonly string[];
  readonly repetitions: number;
}

export interface RuleCost {
  readonly label: string;
  /** Trails DescribeTrails listed (0 for change events). */
  readonly trails: number;
  readonly medianMs: number;
  readonly calls: Readonly<Record<string, number>>;
  readonly totalCalls: number;
  readonly cloudTrailCalls: number;
  readonly evaluations: number;
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

/** The scenarios of the issue: change events with and without the delivery window, sweeps of 5, 50 and 250. */
export function ruleScenarios(): RuleScenario[] {
  const change = fixture('change-trail.json');
  return [
    {
      label: 'change event, no window',
      event: change,
      trails: [],
      previouslyEvaluated: [],
      repetitions: 400,
    },
    {
      label: `change event, window ${DELIVERY_WINDOW_HOURS} h`,
      event: withWindow(change, true),
      trails: [],
      previouslyEvaluated: [],
      repetitions: 400,
    },
    ...[5, 50, 250].flatMap((count) => [
      sweepScenario(count, false, count === 250 ? 60 : 150),
      sweepScenario(count, true, count === 250 ? 60 : 150),
    ]),
    sweepScenario(250, false, 60, true),
    sweepScenario(250, true, 60, true),
  ];
}

/**
 * Sweep inputs of the cost model: one trail per region, seen in its home region (without and with the delivery
 * check, which adds GetTrailStatus and GetResourceConfigHistory) and as a copy elsewhere.
 */
export function costModelScenarios(): { home: RuleScenario; homeChecked: RuleScenario; copy: RuleScenario } {
  const home = sweepScenario(1, false, 150);
  const copyTrail = trail('org-trail', 'eu-west-1', '210000000000', { IsOrganizationTrail: true });
  return {
    home: { ...home, label: 'scheduled sweep, 1 trail (its home region)', previouslyEvaluated: ['own-0'] },
    homeChecked: {
      ...sweepScenario(1, true, 150),
      label: `scheduled sweep, 1 integrated trail (its home region), window ${DELIVERY_WINDOW_HOURS} h`,
      // Integrated, so the delivery check reads its status and history.
      trails: [trail('own-0', REGION, ACCOUNT)],
      previouslyEvaluated: ['own-0'],
    },
    copy: {
      ...home,
      label: 'scheduled sweep, 1 trail (a copy)',
      trails: [copyTrail],
      previouslyEvaluated: [],
    },
  };
}

function pageOf(resourceIds: readonly string[], nextToken: string | undefined, limit: number) {
  const start = nextToken === undefined ? 0 : Number(nextToken);
  const results: EvaluationResult[] = resourceIds.slice(start, start + limit).map((resourceId) => ({
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ResourceType: TRAIL_TYPE, ResourceId: resourceId },
    },
    ComplianceType: 'COMPLIANT',
  }));
  const next = start + limit < resourceIds.length ? String(start + limit) : undefined;
  return { EvaluationResults: results, ...(next === undefined ? {} : { NextToken: next }) };
}

/** Runs every scenario; call counts must be the same on every repetition, or the benchmark fails. */
export async function measureRuleCosts(scenarios: readonly RuleScenario[]): Promise<RuleCost[]> {
  const config = mockClient(ConfigServiceClient);
  const cloudTrail = mockClient(CloudTrailClient);
  const results: RuleCost[] = [];
  try {
    for (const scenario of scenarios) {
      config.reset();
      cloudTrail.reset();
      let evaluations = 0;
      config.on(PutEvaluationsCommand).callsFake((input: { Evaluations?: unknown[] }) => {
        evaluations += input.Evaluations?.length ?? 0;
        return { FailedEvaluations: [] };
      });
      config
        .on(GetComplianceDetailsByConfigRuleCommand)
        .callsFake((input: { NextToken?: string; Limit?: number }) =>
          pageOf(scenario.previouslyEvaluated, input.NextToken, input.Limit ?? 100),
        );
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
      cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [...scenario.trails] });
      // Delivered ten minutes ago: fresh, so no grace lookup is needed.
      cloudTrail.on(GetTrailStatusCommand).callsFake(() => ({
        IsLogging: true,
        LatestCloudWatchLogsDeliveryTime: new Date(Date.now() - 600_000),
      }));

      const durations: number[] = [];
      let calls: Record<string, number> | undefined;
      let cloudTrailCalls = 0;
      let evaluationsPerRun = 0;
      for (let run = 0; run < scenario.repetitions; run++) {
        config.resetHistory();
        cloudTrail.resetHistory();
        evaluations = 0;
        const start = performance.now();
        await handler(structuredClone(scenario.event));
        durations.push(performance.now() - start);
        const counted = countCalls([config, cloudTrail]);
        if (calls !== undefined && JSON.stringify(counted) !== JSON.stringify(calls)) {
          throw new Error(
            `${scenario.label}: calls differ between runs: ${JSON.stringify(calls)} then ${JSON.stringify(counted)}`,
          );
        }
        calls = counted;
        cloudTrailCalls = totalCalls(countCalls([cloudTrail]));
        evaluationsPerRun = evaluations;
      }
      // The first runs warm up the JIT and the SDK's lazily built pieces; the median is over the rest.
      const warm = durations.slice(Math.ceil(scenario.repetitions / 10));
      results.push({
        label: scenario.label,
        trails: scenario.trails.length,
        medianMs: median(warm),
        calls: calls ?? {},
        totalCalls: totalCalls(calls ?? {}),
        cloudTrailCalls,
        evaluations: evaluationsPerRun,
      });
    }
  } finally {
    config.restore();
    cloudTrail.restore();
  }
  return results;
}
