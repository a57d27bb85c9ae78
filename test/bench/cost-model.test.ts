import { describe, expect, it } from 'vitest';
import {
  ASSUMPTIONS,
  billedMs,
  monitoringMonthlyCost,
  monthlyCost,
  notificationMonthlyCost,
  PRICES,
  type SweepInputs,
  sweepLambdaPerMonth,
  sweepRoundTrips,
} from '../../bench/cost-model.js';

describe('monitoringMonthlyCost', () => {
  it('prices alarms at the public standard-resolution rate and custom metrics at the first-tier rate', () => {
    expect(PRICES.cloudWatchAlarmUsdPerMonth).toBe(0.1);
    expect(PRICES.cloudWatchCustomMetricUsdPerMonth).toBe(0.3);
  });

  it.each([
    [1, 14, 1.4, 5.6],
    [100, 1_400, 140, 560],
    [1_000, 14_000, 1_400, 5_600],
  ])(
    '%i trail(s): %i alarms, $%d for the alarms, at most $%d with metric data every hour',
    (trails, alarms, alarmUsd, upTo) => {
      const cost = monitoringMonthlyCost(trails, 14);
      expect(cost.alarms).toBe(alarms);
      expect(cost.alarmUsd).toBeCloseTo(alarmUsd, 6);
      expect(cost.upToUsd).toBeCloseTo(upTo, 6);
    },
  );
});

describe('notificationMonthlyCost', () => {
  it('prices SNS publishes and deliveries at the public rates', () => {
    expect(PRICES.snsPublishUsdPerMillion).toBe(0.5);
    expect(PRICES.snsEmailUsdPerDelivery * 100_000).toBeCloseTo(2, 9);
    expect(PRICES.snsHttpsUsdPerDelivery * 1_000_000).toBeCloseTo(0.6, 9);
  });

  it.each([
    // A quiet month: no alarm fires, nothing is published or delivered; the subscriptions cost nothing.
    [0, 1, 1, 0],
    // 100 alarm notifications to one email address: 100 publishes and 100 email deliveries.
    [100, 1, 0, 0.00205],
    // 10,000 notifications to two emails and an HTTPS endpoint.
    [10_000, 2, 1, 0.411],
  ])(
    '%i notifications to %i email and %i HTTPS subscriptions cost $%d',
    (notifications, emails, https, usd) => {
      expect(notificationMonthlyCost(notifications, emails, https).usd).toBeCloseTo(usd, 6);
    },
  );
});

describe('sweepRoundTrips', () => {
  it.each([
    ['no trail: the sequential calls alone', 3, [], 5, 3],
    ['five one-call trails side by side: one round trip', 3, [1, 1, 1, 1, 1], 5, 4],
    ['a sixth trail waits for the first free worker', 0, [2, 2, 2, 2, 2, 2], 5, 4],
    ['the longest chain bounds the sweep', 3, [10, 1, 1, 1, 1, 1], 5, 13],
    ['a free worker takes the next trail (list scheduling)', 0, [4, 1, 1, 1, 1, 1, 1, 1, 1], 5, 4],
    ['one worker: every call in turn', 2, [3, 1, 2], 1, 8],
    ['trails judged without a call cost nothing', 3, [0, 0, 2, 0], 5, 5],
  ])('%s', (_, sequential, chains, concurrency, expected) => {
    expect(sweepRoundTrips(sequential, chains, concurrency)).toBe(expected);
  });

  it('refuses a concurrency below one', () => {
    expect(() => sweepRoundTrips(0, [1], 0)).toThrow(RangeError);
  });
});

/** Inputs of a sweep in the shape bench/main.ts measures them, for the tests to vary. */
const SWEEP: SweepInputs = {
  homeEvaluations: 1,
  copyEvaluations: 0,
  homeCalls: 7,
  copyCalls: 2,
  homeRoundTrips: 6,
  copyRoundTrips: 2,
  homeHandlerMs: 1,
  copyHandlerMs: 0.3,
  coldStartMs: 70,
};

describe('Lambda time of the delivery check', () => {
  const cpuScale = ASSUMPTIONS.fullVcpuMemoryMb / ASSUMPTIONS.lambdaMemoryMb;

  it('bills the CPU at the function’s share of a vCPU plus one assumed latency per round trip', () => {
    expect(ASSUMPTIONS.apiRoundTripMs).toBe(50);
    expect(billedMs(10, 0, 60)).toBeCloseTo(70 * cpuScale, 9);
    expect(billedMs(10, 4, 60) - billedMs(10, 0, 60)).toBeCloseTo(200, 9);
  });

  it('prices every extra round trip of the home-region sweep in GB-seconds, not in calls', () => {
    const base = monthlyCost(1_000, 1, SWEEP);
    const more = monthlyCost(1_000, 1, { ...SWEEP, homeRoundTrips: 7.5 });
    const sweeps = 1_000 * ASSUMPTIONS.hoursPerMonth;
    const extraGbSeconds =
      sweeps * 1.5 * (ASSUMPTIONS.apiRoundTripMs / 1000) * (ASSUMPTIONS.lambdaMemoryMb / 1024);
    expect(more.gbSeconds - base.gbSeconds).toBeCloseTo(extraGbSeconds, 6);
    expect(more.lambdaUsd - base.lambdaUsd).toBeCloseTo(extraGbSeconds * PRICES.lambdaArmUsdPerGbSecond, 9);
    // API calls are free: neither the evaluations nor their charge move with the calls.
    expect(more.configUsd).toBe(base.configUsd);
    expect(monthlyCost(1_000, 1, { ...SWEEP, homeCalls: 70 }).lambdaUsd).toBe(base.lambdaUsd);
  });

  it('prices a sweep billed 10 s every hour at 730 sweeps of a 256 MB function', () => {
    const month = sweepLambdaPerMonth(10_000, 1);
    expect(month.gbSeconds).toBeCloseTo(730 * 10 * 0.25, 9);
    expect(month.usd).toBeCloseTo(1_825 * 0.0000133334 + 730 * 0.2e-6, 12);
    expect(sweepLambdaPerMonth(10_000, 24).gbSeconds).toBeCloseTo(month.gbSeconds / 24, 9);
  });
});

describe('the account-level results in the monthly cost', () => {
  // A sweep with fewer calls and round trips in the home region.
  const inputs: SweepInputs = {
    ...SWEEP,
    homeCalls: 3,
    homeRoundTrips: 3,
    homeHandlerMs: 0.3,
  };

  it('re-stamps each unchanged account-level result every 720 hours (rule/account-result.ts: 719 hours old)', () => {
    expect(ASSUMPTIONS.accountRestampHours).toBe(720);
  });

  it.each([
    ['hourly sweeps', 1],
    ['daily sweeps', 24],
  ])(
    'records one per region of each account every 720 hours with %s, each billed in its own region',
    (_, hours) => {
      const cost = monthlyCost(100, hours, inputs);
      const perRegion = (100 * 730) / 720;
      expect(cost.accountEvaluations).toBeCloseTo(perRegion * 17, 9);
      // The home region's trail verdicts (re-stamped daily) and the account-level results share its tier.
      const trailVerdicts = 100 * (730 / 24);
      expect(cost.evaluations).toBeCloseTo(trailVerdicts + perRegion * 17, 9);
      expect(cost.configUsd).toBeCloseTo((trailVerdicts + perRegion) * 0.001 + 16 * perRegion * 0.001, 9);
    },
  );

  it('records one on every sweep when every verdict is re-reported every sweep (the comparison row)', () => {
    const cost = monthlyCost(100, 1, inputs, 'everySweep');
    expect(cost.accountEvaluations).toBe(100 * 730 * 17);
  });
});
