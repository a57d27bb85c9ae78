import { describe, expect, it } from 'vitest';
import {
  type DeliveryCheck,
  type DeliveryVerdict,
  diffTouchesIntegration,
  formatAge,
  judgeDelivery,
} from '../../rule/delivery.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe('judgeDelivery', () => {
  it.each<[string, DeliveryCheck, DeliveryVerdict]>([
    [
      'fresh: delivered 5 minutes ago, 1-hour window',
      { windowHours: 1, status: { latestDeliveryTime: ago(5) } },
      { kind: 'fresh', lastDelivery: ago(5) },
    ],
    [
      'fresh: delivered exactly at the window edge',
      { windowHours: 24, status: { latestDeliveryTime: ago(24 * 60) } },
      { kind: 'fresh', lastDelivery: ago(24 * 60) },
    ],
    [
      'stale: delivered a minute past the window',
      { windowHours: 24, status: { latestDeliveryTime: ago(24 * 60 + 1) } },
      { kind: 'stale', lastDelivery: ago(24 * 60 + 1) },
    ],
    ['never: no delivery and no change time', { windowHours: 24, status: {} }, { kind: 'never' }],
    [
      'grace: never delivered, changed 10 minutes ago, nothing shows what changed',
      { windowHours: 1, status: {}, change: { at: ago(10) } },
      { kind: 'grace', changedAt: ago(10) },
    ],
    [
      'grace: never delivered, the diff shows the integration set 10 minutes ago',
      { windowHours: 1, status: {}, change: { at: ago(10), integrationChanged: true } },
      { kind: 'grace', changedAt: ago(10) },
    ],
    [
      'grace: integration re-pointed 59 minutes ago, last delivery (3 h ago) before the change',
      {
        windowHours: 1,
        status: { latestDeliveryTime: ago(3 * 60) },
        change: { at: ago(59), integrationChanged: true },
      },
      { kind: 'grace', changedAt: ago(59) },
    ],
    [
      'stale: last delivery 3 h ago, window 1 h, changed 59 minutes ago, nothing shows what changed',
      { windowHours: 1, status: { latestDeliveryTime: ago(3 * 60) }, change: { at: ago(59) } },
      { kind: 'stale', lastDelivery: ago(3 * 60) },
    ],
    [
      'stale: stale 3 days + unrelated change (a tag edit) 5 minutes ago',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(3 * 24 * 60) },
        change: { at: ago(5), integrationChanged: false },
      },
      { kind: 'stale', lastDelivery: ago(3 * 24 * 60) },
    ],
    [
      'never: never delivered + unrelated change 5 minutes ago',
      { windowHours: 24, status: {}, change: { at: ago(5), integrationChanged: false } },
      { kind: 'never' },
    ],
    [
      'grace: a change time slightly in the future (clock skew)',
      { windowHours: 1, status: {}, change: { at: ago(-1) } },
      { kind: 'grace', changedAt: ago(-1) },
    ],
    [
      'fresh: delivered at the very moment the integration changed, 10 minutes ago',
      {
        windowHours: 1,
        status: { latestDeliveryTime: ago(10) },
        change: { at: ago(10), integrationChanged: true },
      },
      { kind: 'fresh', lastDelivery: ago(10) },
    ],
    [
      'predates: integration re-pointed exactly 60 minutes ago, last delivery before it, grace over',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(3 * 60) },
        change: { at: ago(60), integrationChanged: true },
      },
      { kind: 'predates', lastDelivery: ago(3 * 60), changedAt: ago(60) },
    ],
    [
      'never: changed exactly 60 minutes ago, grace over',
      { windowHours: 1, status: {}, change: { at: ago(60), integrationChanged: true } },
      { kind: 'never' },
    ],
    [
      'stale: delivered after the integration changed, but longer ago than the window',
      {
        windowHours: 2,
        status: { latestDeliveryTime: ago(3 * 60) },
        change: { at: ago(4 * 60), integrationChanged: true },
      },
      { kind: 'stale', lastDelivery: ago(3 * 60) },
    ],
    [
      'fresh: delivered exactly when the integration changed',
      {
        windowHours: 2,
        status: { latestDeliveryTime: ago(90) },
        change: { at: ago(90), integrationChanged: true },
      },
      { kind: 'fresh', lastDelivery: ago(90) },
    ],
    [
      'predates: delivered 97 minutes ago (within the window), integration re-pointed 90 minutes ago',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(97) },
        change: { at: ago(90), integrationChanged: true },
      },
      { kind: 'predates', lastDelivery: ago(97), changedAt: ago(90) },
    ],
    [
      'predates: delivered 5 hours ago (beyond the window), integration changed 4 hours ago',
      {
        windowHours: 2,
        status: { latestDeliveryTime: ago(5 * 60) },
        change: { at: ago(4 * 60), integrationChanged: true },
      },
      { kind: 'predates', lastDelivery: ago(5 * 60), changedAt: ago(4 * 60) },
    ],
    [
      'grace: delivered 17 minutes ago (within the window), integration re-pointed 10 minutes ago',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(17) },
        change: { at: ago(10), integrationChanged: true },
      },
      { kind: 'grace', changedAt: ago(10) },
    ],
    [
      'fresh: delivered 17 minutes ago, before a change that did not touch the integration',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(17) },
        change: { at: ago(10), integrationChanged: false },
      },
      { kind: 'fresh', lastDelivery: ago(17) },
    ],
    [
      'fresh: delivered 17 minutes ago, before a change nothing shows the kind of',
      { windowHours: 24, status: { latestDeliveryTime: ago(17) }, change: { at: ago(10) } },
      { kind: 'fresh', lastDelivery: ago(17) },
    ],
  ])('%s', (_case, check, expected) => {
    expect(judgeDelivery(check, NOW)).toEqual(expected);
  });
});

describe('diffTouchesIntegration', () => {
  const change = { previousValue: null, updatedValue: 'x', changeType: 'CREATE' };
  it.each<[string, { changeType?: string; changedProperties: Record<string, unknown> }, boolean]>([
    ['a newly created trail', { changeType: 'CREATE', changedProperties: {} }, true],
    [
      'the log group set',
      { changeType: 'UPDATE', changedProperties: { 'Configuration.CloudWatchLogsLogGroupArn': change } },
      true,
    ],
    [
      'the role changed',
      { changeType: 'UPDATE', changedProperties: { 'Configuration.CloudWatchLogsRoleArn': change } },
      true,
    ],
    [
      'the role, key in another case',
      { changeType: 'UPDATE', changedProperties: { 'configuration.cloudWatchLogsRoleArn': change } },
      true,
    ],
    [
      'a tag edit',
      { changeType: 'UPDATE', changedProperties: { 'SupplementaryConfiguration.Tags': change } },
      false,
    ],
    [
      'another configuration key',
      { changeType: 'UPDATE', changedProperties: { 'Configuration.LogFileValidationEnabled': change } },
      false,
    ],
    ['no changed properties', { changeType: 'UPDATE', changedProperties: {} }, false],
  ])('%s -> %s', (_case, diff, expected) => {
    expect(diffTouchesIntegration(diff)).toBe(expected);
  });
});

describe('formatAge', () => {
  it.each<[number, string]>([
    [-5_000, 'less than a minute'],
    [59_999, 'less than a minute'],
    [60_000, '1 minute'],
    [119 * 60_000, '119 minutes'],
    [120 * 60_000, '2 hours'],
    [47 * 3_600_000 + 59 * 60_000, '47 hours'],
    [48 * 3_600_000, '2 days'],
    [24 * 3_600_000 * 400, '400 days'],
  ])('formats %i ms as "%s"', (ms, expected) => {
    expect(formatAge(ms)).toBe(expected);
  });
});
