import { ACCOUNT_REFRESH_PERIOD_HOURS } from '../rule/account-result.js';

/**
 * Stage 5: the organization cost model. Pure arithmetic over the measured figures and the public prices below;
 * every assumption is a named constant that docs/performance.md states next to the table.
 */

/**
 * Public prices, US East (N. Virginia), on-demand, free tiers ignored. AWS Config's API calls (the rule's
 * GetResourceConfigHistory, GetComplianceDetailsByConfigRule, PutEvaluations) are not billed: the Config pricing
 * page charges configuration items recorded and rule evaluations, not API requests; nor are CloudTrail's
 * DescribeTrails and GetTrailStatus, CloudWatch Logs' DescribeLogGroups or IAM's GetRole. What the rule's calls
 * cost is the Lambda time spent waiting for them.
 */
export const PRICES = {
  /** https://aws.amazon.com/config/pricing/ : rule evaluations, tiered by volume per region. */
  configEvaluationTiers: [
    { upTo: 100_000, usd: 0.001 },
    { upTo: 500_000, usd: 0.0008 },
    { upTo: Number.POSITIVE_INFINITY, usd: 0.0005 },
  ],
  /** https://aws.amazon.com/lambda/pricing/ : Arm duration, first 7.5 billion GB-seconds a month. */
  lambdaArmUsdPerGbSecond: 0.0000133334,
  /** https://aws.amazon.com/lambda/pricing/ : requests. */
  lambdaUsdPerRequest: 0.2 / 1_000_000,
  /** https://aws.amazon.com/cloudwatch/pricing/ : standard-resolution metric alarm, per alarm-month. */
  cloudWatchAlarmUsdPerMonth: 0.1,
  /**
   * https://aws.amazon.com/cloudwatch/pricing/ : custom metric (a metric filter's metric), first 10,000 metrics, per
   * metric-month, prorated by the hour and charged only for hours the metric receives data (assumed from the page's
   * metric pricing; a filter publishes only when an event matches, since the monitoring sets no default value).
   */
  cloudWatchCustomMetricUsdPerMonth: 0.3,
  /** https://aws.amazon.com/sns/pricing/ : standard topic requests (a CloudWatch alarm's publish), first 1 million free. */
  snsPublishUsdPerMillion: 0.5,
  /** https://aws.amazon.com/sns/pricing/ : email deliveries, $2.00 per 100,000 (first 1,000 a month free). */
  snsEmailUsdPerDelivery: 2 / 100_000,
  /** https://aws.amazon.com/sns/pricing/ : HTTP/S deliveries, $0.60 per million (first 100,000 a month free). */
  snsHttpsUsdPerDelivery: 0.6 / 1_000_000,
} as const;

export const ASSUMPTIONS = {
  regions: 17,
  /** infra/guard-function.ts: the rule Lambda's memory (256 MB, the wrapper's default). */
  lambdaMemoryMb: 256,
  /** Lambda gives one vCPU at 1,769 MB and CPU in proportion below; this machine's core counts as one vCPU. */
  fullVcpuMemoryMb: 1769,
  /**
   * One in-region AWS API round trip from Lambda (assumed; not measurable on this machine): every call on the
   * invocation's critical path adds one, whatever the API (Config, CloudTrail, CloudWatch Logs, IAM).
   */
  apiRoundTripMs: 50,
  hoursPerMonth: 730,
  /**
   * Steady state of the sweep's recording (rule/report-decision.ts): verdicts rarely change, so a sweep records
   * a trail's verdict only when Config's stored one is REFRESH_PERIOD_HOURS (23) old or more, which with hourly
   * sweeps is once a day (Config records a result seconds after the sweep, so the sweep 23 h later usually finds
   * it just under 23 h old; every 23 h would add 4%). Changes and grace verdicts are extra, like change events.
   */
  restampHours: 24,
  /**
   * Steady state of the account-level result each sweep owes its account and region (rule/account-result.ts): its
   * text holds no age and rarely changes, so it is recorded again once ACCOUNT_REFRESH_PERIOD_HOURS (719) old, at
   * the next sweep: every 720 hours, in every region of every account.
   */
  accountRestampHours: ACCOUNT_REFRESH_PERIOD_HOURS + 1,
} as const;

/**
 * How sweeps record verdicts: `changes` is the rule's (an unchanged verdict is recorded again only once it is a
 * day old, see {@link ASSUMPTIONS.restampHours}); `everySweep` re-reports every verdict on every sweep, as the
 * rule did before, kept for comparison.
 */
export type Recording = 'changes' | 'everySweep';

export interface SweepInputs {
  /** Measured evaluations a sweep reports in the trail's home region and in each region holding a copy. */
  readonly homeEvaluations: number;
  readonly copyEvaluations: number;
  /** Measured AWS calls of those sweeps. */
  readonly homeCalls: number;
  readonly copyCalls: number;
  /**
   * Round trips on those sweeps' critical path ({@link sweepRoundTrips}): what the billed time waits for. Calls
   * made side by side (the rule's DescribeLogGroups and GetRole, trails judged concurrently) count once.
   */
  readonly homeRoundTrips: number;
  readonly copyRoundTrips: number;
  /** Measured handler time of those sweeps with the SDK mocked (CPU only). */
  readonly homeHandlerMs: number;
  readonly copyHandlerMs: number;
  /** Measured cold start of the bundled rule handler: import plus first invocation (CPU, loopback). */
  readonly coldStartMs: number;
}

export interface CostRow {
  readonly accounts: number;
  readonly scheduleHours: number;
  readonly invocations: number;
  /** Every recorded evaluation, the account-level ones included. */
  readonly evaluations: number;
  /** The account-level results among them: one per account and region each time one is recorded. */
  readonly accountEvaluations: number;
  readonly notApplicableEvaluations: number;
  readonly gbSeconds: number;
  readonly configUsd: number;
  /** The Config charge if NOT_APPLICABLE evaluations were not billed (the pricing page does not say). */
  readonly configUsdJudgedOnly: number;
  readonly lambdaUsd: number;
}

/** Tiered Config charge for `evaluations` in one region in a month. */
export function configEvaluationUsd(evaluations: number): number {
  let usd = 0;
  let from = 0;
  for (const tier of PRICES.configEvaluationTiers) {
    const inTier = Math.max(0, Math.min(evaluations, tier.upTo) - from);
    usd += inTier * tier.usd;
    from = tier.upTo;
    if (evaluations <= tier.upTo) break;
  }
  return usd;
}

/**
 * Round trips on a sweep's critical path: the `sequential` calls (DescribeTrails, the pages of stored results,
 * the PutEvaluations batches, made one after another), plus the trails' own calls (`chains`: round trips per
 * trail, in the order the sweep takes them) run by `concurrency` workers, each taking the next trail when it
 * is free (rule/run.ts mapWithConcurrency). Pure list scheduling: the longest worker's total.
 */
export function sweepRoundTrips(sequential: number, chains: readonly number[], concurrency: number): number {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be ≥ 1');
  const workers = new Array<number>(Math.min(concurrency, Math.max(chains.length, 1))).fill(0);
  for (const chain of chains) {
    const free = workers.indexOf(Math.min(...workers));
    workers[free] = (workers[free] as number) + chain;
  }
  return sequential + Math.max(...workers);
}

/**
 * Estimated billed duration of one scheduled invocation: every invocation is taken as a cold start (a daily or
 * hourly schedule rarely finds a warm environment), the CPU-bound parts scaled to the function's CPU share,
 * plus {@link ASSUMPTIONS.apiRoundTripMs} per round trip on its critical path ({@link sweepRoundTrips}).
 */
export function billedMs(handlerMs: number, roundTrips: number, coldStartMs: number): number {
  const cpuScale = ASSUMPTIONS.fullVcpuMemoryMb / ASSUMPTIONS.lambdaMemoryMb;
  return (coldStartMs + handlerMs) * cpuScale + roundTrips * ASSUMPTIONS.apiRoundTripMs;
}

/** Lambda time of one function swept every `scheduleHours` hours for a month, `ms` billed per sweep. */
export function sweepLambdaPerMonth(ms: number, scheduleHours: number): { gbSeconds: number; usd: number } {
  const sweeps = ASSUMPTIONS.hoursPerMonth / scheduleHours;
  const gbSeconds = sweeps * (ms / 1000) * (ASSUMPTIONS.lambdaMemoryMb / 1024);
  return {
    gbSeconds,
    usd: gbSeconds * PRICES.lambdaArmUsdPerGbSecond + sweeps * PRICES.lambdaUsdPerRequest,
  };
}

/**
 * One month for `accounts` accounts, each with one trail seen in all 17 regions (its home region plus 16
 * copies), swept every `scheduleHours` hours; change-triggered evaluations are not included. Every sweep is an
 * invocation; the home region's verdict and every region's account-level result are recorded as `recording`
 * says.
 */
export function monthlyCost(
  accounts: number,
  scheduleHours: number,
  inputs: SweepInputs,
  recording: Recording = 'changes',
): CostRow {
  const sweepsPerRegion = ASSUMPTIONS.hoursPerMonth / scheduleHours;
  const recordingSweepsPerRegion =
    recording === 'everySweep'
      ? sweepsPerRegion
      : ASSUMPTIONS.hoursPerMonth / Math.max(scheduleHours, ASSUMPTIONS.restampHours);
  const copyRegions = ASSUMPTIONS.regions - 1;
  const invocations = accounts * ASSUMPTIONS.regions * sweepsPerRegion;
  // Each region of each account holds one account-level result (COMPLIANT or NON_COMPLIANT, so billed).
  const accountLevelPerRegion =
    accounts *
    (recording === 'everySweep'
      ? sweepsPerRegion
      : ASSUMPTIONS.hoursPerMonth / Math.max(scheduleHours, ASSUMPTIONS.accountRestampHours));
  const judged = accounts * recordingSweepsPerRegion * inputs.homeEvaluations;
  const notApplicable = accounts * sweepsPerRegion * copyRegions * inputs.copyEvaluations;
  const homeSeconds = billedMs(inputs.homeHandlerMs, inputs.homeRoundTrips, inputs.coldStartMs) / 1000;
  const copySeconds = billedMs(inputs.copyHandlerMs, inputs.copyRoundTrips, inputs.coldStartMs) / 1000;
  const gb = ASSUMPTIONS.lambdaMemoryMb / 1024;
  const gbSeconds = accounts * sweepsPerRegion * gb * (homeSeconds + copyRegions * copySeconds);
  // Every trail has the same home region (an organization trail, or the usual single home region); tiers count
  // per region across the organization's accounts (consolidated billing).
  const copiesPerRegion = notApplicable / copyRegions;
  const accountLevel = accountLevelPerRegion * ASSUMPTIONS.regions;
  return {
    accounts,
    scheduleHours,
    invocations,
    evaluations: judged + notApplicable + accountLevel,
    accountEvaluations: accountLevel,
    notApplicableEvaluations: notApplicable,
    gbSeconds,
    configUsd:
      configEvaluationUsd(judged + accountLevelPerRegion) +
      copyRegions * configEvaluationUsd(copiesPerRegion + accountLevelPerRegion),
    configUsdJudgedOnly:
      configEvaluationUsd(judged + accountLevelPerRegion) +
      copyRegions * configEvaluationUsd(accountLevelPerRegion),
    lambdaUsd: gbSeconds * PRICES.lambdaArmUsdPerGbSecond + invocations * PRICES.lambdaUsdPerRequest,
  };
}

/** What the hourly periodic trigger that the delivery check needs costs over a daily one. */
export interface ReevaluationCost {
  readonly daily: CostRow;
  readonly hourly: CostRow;
  readonly extraUsd: number;
  /** The hourly sweeps had they re-reported every verdict every hour (the rule before it skipped them). */
  readonly hourlyEverySweep: CostRow;
}

/**
 * The re-evaluation mechanism (infra/context.ts DELIVERY_CHECK_RULE_SCHEDULE): with the delivery check on, the
 * periodic trigger runs every hour instead of every 24 hours, so that a grace verdict is judged again within
 * grace + 1 hour. Its cost is the difference between the two schedules for the same (delivery-checked) sweeps:
 * the invocations, since an hourly sweep records only what changed and a daily re-stamp.
 */
export function reevaluationCost(accounts: number, inputs: SweepInputs): ReevaluationCost {
  const daily = monthlyCost(accounts, 24, inputs);
  const hourly = monthlyCost(accounts, 1, inputs);
  const total = (row: CostRow) => row.configUsd + row.lambdaUsd;
  return {
    daily,
    hourly,
    extraUsd: total(hourly) - total(daily),
    hourlyEverySweep: monthlyCost(accounts, 1, inputs, 'everySweep'),
  };
}

export interface MonitoringCost {
  readonly trails: number;
  readonly alarms: number;
  /** Alarms alone: what a quiet account pays (no matching event, so no metric data). */
  readonly alarmUsd: number;
  /** Upper bound: every filter's metric receives data in every hour of the month. */
  readonly upToUsd: number;
}

/**
 * Monthly cost of the opt-in CIS monitoring for `trails` equipped trails of `controls` controls each (one alarm and
 * one metric per control and trail). Pure; free tiers ignored.
 */
export function monitoringMonthlyCost(trails: number, controls: number): MonitoringCost {
  const alarms = trails * controls;
  const alarmUsd = alarms * PRICES.cloudWatchAlarmUsdPerMonth;
  return { trails, alarms, alarmUsd, upToUsd: alarmUsd + alarms * PRICES.cloudWatchCustomMetricUsdPerMonth };
}

export interface NotificationCost {
  /** Alarm notifications a month: one publish per alarm that goes into ALARM. */
  readonly notifications: number;
  readonly publishUsd: number;
  readonly deliveryUsd: number;
  readonly usd: number;
}

/**
 * Monthly cost of the alarms' notifications: `notifications` publishes to the topic (each alarm's transition to
 * ALARM), each delivered once to each of `emails` email and `httpsEndpoints` HTTPS subscriptions. A subscription
 * itself costs nothing. Pure; free tiers ignored (an upper bound: most accounts stay within them).
 */
export function notificationMonthlyCost(
  notifications: number,
  emails: number,
  httpsEndpoints: number,
): NotificationCost {
  const publishUsd = (notifications * PRICES.snsPublishUsdPerMillion) / 1_000_000;
  const deliveryUsd =
    notifications * (emails * PRICES.snsEmailUsdPerDelivery + httpsEndpoints * PRICES.snsHttpsUsdPerDelivery);
  return { notifications, publishUsd, deliveryUsd, usd: publishUsd + deliveryUsd };
}
