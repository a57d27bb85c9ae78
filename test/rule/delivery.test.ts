import { describe, expect, it } from 'vitest';
import { type DeliveryCheck, type DeliveryVerdict, formatAge, judgeDelivery } from '../../rule/delivery.js';

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
      'grace: no delivery, changed 10 minutes ago',
      { windowHours: 1, status: {}, changedAt: ago(10) },
      { kind: 'grace', changedAt: ago(10) },
    ],
    [
      'grace: changed 59 minutes ago, last delivery before the change',
      { windowHours: 1, status: { latestDeliveryTime: ago(3 * 60) }, changedAt: ago(59) },
      { kind: 'grace', changedAt: ago(59) },
    ],
    [
      'grace: a change time slightly in the future (clock skew)',
      { windowHours: 1, status: {}, changedAt: ago(-1) },
      { kind: 'grace', changedAt: ago(-1) },
    ],
    [
      'never: changed exactly 60 minutes ago, grace over',
      { windowHours: 1, status: {}, changedAt: ago(60) },
      { kind: 'never' },
    ],
    [
      'stale: changed long ago',
      { windowHours: 2, status: { latestDeliveryTime: ago(5 * 60) }, changedAt: ago(4 * 60) },
      { kind: 'stale', lastDelivery: ago(5 * 60) },
    ],
  ])('%s', (_case, check, expected) => {
    expect(judgeDelivery(check, NOW)).toEqual(expected);
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
