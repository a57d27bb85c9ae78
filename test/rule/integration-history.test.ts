import { describe, expect, it } from 'vitest';
import {
  type HistoryItem,
  historyHorizon,
  type Integration,
  type IntegrationStart,
  integrationOfConfiguration,
  readSpan,
  resolvePredecessor,
  type SpanReading,
  trailChangeOf,
  withRecreation,
} from '../../rule/integration-history.js';

const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*';
const ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSCloudTrailLogStream';
const CURRENT: Integration = { logGroupArn: LOG_GROUP, roleArn: ROLE };
const OLD_ROLE: Integration = { logGroupArn: LOG_GROUP, roleArn: `${ROLE}-old` };
const at = (iso: string) => new Date(iso);
/** An item; `null` for one without configuration (deleted or not recorded). */
const item = (iso: string, integration: Integration | null = CURRENT, status = 'OK'): HistoryItem => ({
  capturedAt: at(iso),
  status,
  ...(integration === null ? {} : { integration }),
});

describe('historyHorizon', () => {
  const NOW = at('2026-11-29T12:00:00.000Z');
  it.each<[string, Date | undefined, number, string]>([
    ['never delivered: the grace, 60 minutes back', undefined, 24, '2026-11-29T11:00:00.000Z'],
    [
      'a delivery within the window: the delivery',
      at('2026-11-29T09:00:00.000Z'),
      24,
      '2026-11-29T09:00:00.000Z',
    ],
    [
      'a delivery older than the window: the window',
      at('2026-11-20T00:00:00.000Z'),
      24,
      '2026-11-28T12:00:00.000Z',
    ],
    ['a delivery at the window edge: either', at('2026-11-29T11:00:00.000Z'), 1, '2026-11-29T11:00:00.000Z'],
  ])('%s', (_case, lastDelivery, windowHours, expected) => {
    expect(historyHorizon(lastDelivery, NOW, windowHours)).toEqual(at(expected));
  });
});

describe('integrationOfConfiguration', () => {
  it.each<[string, Record<string, unknown>, Integration]>([
    ['both ARNs', { cloudWatchLogsLogGroupArn: LOG_GROUP, cloudWatchLogsRoleArn: ROLE }, CURRENT],
    ['null and absent', { cloudWatchLogsLogGroupArn: null }, { logGroupArn: undefined, roleArn: undefined }],
    [
      'empty strings',
      { cloudWatchLogsLogGroupArn: '', cloudWatchLogsRoleArn: '' },
      { logGroupArn: undefined, roleArn: undefined },
    ],
    [
      'a value that is not a string',
      { cloudWatchLogsLogGroupArn: 42, cloudWatchLogsRoleArn: ROLE },
      { logGroupArn: undefined, roleArn: ROLE },
    ],
  ])('%s', (_case, configuration, expected) => {
    expect(integrationOfConfiguration(configuration)).toEqual(expected);
  });
});

describe('readSpan', () => {
  const LATEST = '2026-11-29T11:30:00.000Z';
  const EARLIER = '2026-11-29T11:00:00.000Z';
  const EARLIEST = '2026-11-29T10:00:00.000Z';
  it.each<[string, HistoryItem[], boolean, SpanReading]>([
    ['no item after the horizon: in force before it', [], false, { kind: 'before' }],
    [
      'the newest item names another integration: the current one is not recorded yet',
      [item(LATEST, OLD_ROLE)],
      false,
      { kind: 'unrecorded', after: at(LATEST) },
    ],
    [
      'the newest item has no configuration',
      [item(LATEST, null, 'ResourceDeleted')],
      false,
      { kind: 'unrecorded', after: at(LATEST) },
    ],
    [
      'the latest item changed the role',
      [item(LATEST), item(EARLIER, OLD_ROLE)],
      false,
      { kind: 'changed', at: at(LATEST) },
    ],
    [
      'the log group was set two items back, a tag edit since: the change that set it',
      [item(LATEST), item(EARLIER), item(EARLIEST, { logGroupArn: undefined, roleArn: undefined })],
      false,
      { kind: 'changed', at: at(EARLIER) },
    ],
    [
      'only the log group removed before: a change',
      [item(LATEST), item(EARLIER, { logGroupArn: undefined, roleArn: ROLE })],
      false,
      { kind: 'changed', at: at(LATEST) },
    ],
    [
      'a previous item without configuration (a deleted namesake): the new one starts after it',
      [item(LATEST), item(EARLIER, null, 'ResourceDeleted')],
      false,
      { kind: 'changed', at: at(LATEST) },
    ],
    [
      'the oldest item is the resource’s first: it started there, whatever the edits since',
      [item(LATEST), item(EARLIER), item(EARLIEST, CURRENT, 'ResourceDiscovered')],
      false,
      { kind: 'first', at: at(EARLIEST) },
    ],
    [
      'a single discovered item',
      [item(LATEST, CURRENT, 'ResourceDiscovered')],
      true,
      { kind: 'first', at: at(LATEST) },
    ],
    [
      'a single item whose diff kept the integration: in force before the horizon',
      [item(LATEST)],
      true,
      { kind: 'before' },
    ],
    [
      'a single item without such a diff: its predecessor decides',
      [item(LATEST)],
      false,
      { kind: 'predecessor-needed', oldest: item(LATEST) },
    ],
    [
      'several items, all the current integration: the oldest one’s predecessor decides, not the newest’s diff',
      [item(LATEST), item(EARLIER)],
      true,
      { kind: 'predecessor-needed', oldest: item(EARLIER) },
    ],
  ])('%s', (_case, items, newestKept, expected) => {
    expect(readSpan(CURRENT, items, newestKept)).toEqual(expected);
  });
});

describe('resolvePredecessor', () => {
  const OLDEST = item('2026-11-29T11:00:00.000Z');
  it.each<[string, HistoryItem | 'none' | 'unknown', IntegrationStart]>([
    ['no predecessor: the history starts with the run', 'none', { kind: 'first', at: OLDEST.capturedAt }],
    [
      'a predecessor with the same integration: in force before',
      item('2026-10-01T00:00:00.000Z'),
      { kind: 'before' },
    ],
    [
      'a predecessor with another role: the oldest item changed it',
      item('2026-10-01T00:00:00.000Z', OLD_ROLE),
      { kind: 'changed', at: OLDEST.capturedAt },
    ],
    [
      'a predecessor without configuration',
      item('2026-10-01T00:00:00.000Z', null, 'ResourceNotRecorded'),
      { kind: 'changed', at: OLDEST.capturedAt },
    ],
    [
      'unknown (budget spent): taken as a change, the strict side',
      'unknown',
      { kind: 'changed', at: OLDEST.capturedAt },
    ],
  ])('%s', (_case, predecessor, expected) => {
    expect(resolvePredecessor(CURRENT, OLDEST, predecessor)).toEqual(expected);
  });
});

describe('trailChangeOf', () => {
  const HORIZON = at('2026-11-29T11:00:00.000Z');
  const T = at('2026-11-29T11:20:00.000Z');
  it.each<[IntegrationStart, ReturnType<typeof trailChangeOf>]>([
    [{ kind: 'before' }, { at: HORIZON, integrationChanged: false }],
    [
      { kind: 'changed', at: T },
      { at: T, integrationChanged: true },
    ],
    [{ kind: 'first', at: T }, { at: T }],
    [
      { kind: 'unrecorded', after: T },
      { at: T, integrationChanged: true },
    ],
  ])('%o', (start, expected) => {
    expect(trailChangeOf(start, HORIZON)).toEqual(expected);
  });
});

describe('withRecreation', () => {
  const DELIVERED = at('2026-11-29T10:00:00.000Z');
  const BEFORE = at('2026-11-29T09:00:00.000Z');
  const AFTER = at('2026-11-29T10:30:00.000Z');
  const LATER = at('2026-11-29T11:00:00.000Z');
  it.each<[string, ReturnType<typeof trailChangeOf>, Date[], ReturnType<typeof trailChangeOf>]>([
    [
      'nothing created after the delivery',
      { at: BEFORE, integrationChanged: false },
      [BEFORE],
      { at: BEFORE, integrationChanged: false },
    ],
    ['no creation time known', { at: BEFORE }, [], { at: BEFORE }],
    ['created exactly at the delivery: the delivery reached it', { at: BEFORE }, [DELIVERED], { at: BEFORE }],
    [
      'one created after the delivery: a change then',
      { at: BEFORE, integrationChanged: false },
      [BEFORE, AFTER],
      { at: AFTER, integrationChanged: true },
    ],
    [
      'both created after: the later one',
      { at: BEFORE },
      [LATER, AFTER],
      { at: LATER, integrationChanged: true },
    ],
    [
      'a known later change stays',
      { at: LATER, integrationChanged: true },
      [AFTER],
      { at: LATER, integrationChanged: true },
    ],
    [
      'a known change at the same time stays',
      { at: AFTER, integrationChanged: true },
      [AFTER],
      { at: AFTER, integrationChanged: true },
    ],
    [
      'a later time without a known change gives way to the creation (the horizon is after the delivery)',
      { at: LATER, integrationChanged: false },
      [AFTER],
      { at: AFTER, integrationChanged: true },
    ],
    [
      'a known earlier change gives way to the creation',
      { at: BEFORE, integrationChanged: true },
      [AFTER],
      { at: AFTER, integrationChanged: true },
    ],
  ])('%s', (_case, change, createdAt, expected) => {
    expect(withRecreation(change, DELIVERED, createdAt)).toEqual(expected);
  });
});
