import { describe, expect, it } from 'vitest';
import { monitoringMonthlyCost, PRICES } from '../../bench/cost-model.js';

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
