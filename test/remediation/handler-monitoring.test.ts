import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { InvalidConfigurationError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { MONITORING_CONTROLS } from '../../remediation/monitoring/controls.js';
import { alarmNameFor, filterNameFor } from '../../remediation/monitoring/names.js';
import {
  ACCOUNT,
  type FakeWorld,
  fakeAws,
  LOG_GROUP,
  newWorld,
  REGION,
  subscriptionArn,
  TRAIL_ARN,
  TRAIL_NAME,
} from './fake-aws.js';

const STACK_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:stack-topic`;
const NAMED_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:named-topic`;

let world: FakeWorld;
let info: MockInstance<typeof console.info>;
let warn: MockInstance<typeof console.warn>;

beforeEach(() => {
  world = newWorld();
  world.topics.set(STACK_TOPIC, [subscriptionArn(STACK_TOPIC, 1)]);
  world.topics.set(NAMED_TOPIC, [subscriptionArn(NAMED_TOPIC, 1)]);
  fakeAws(world);
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const lines = (spy: MockInstance<(...args: unknown[]) => void>, event: string) =>
  spy.mock.calls.map(([line]) => line as Record<string, unknown>).filter((line) => line.event === event);

function topicsOfAlarms(): string[] {
  return [...new Set([...world.alarms.values()].flatMap(({ alarm }) => alarm.AlarmActions ?? []))];
}

describe('handler with Monitoring', () => {
  it.each([
    ['the stack topic when the request names none', '', STACK_TOPIC],
    ['the topic the request names', NAMED_TOPIC, NAMED_TOPIC],
  ])('notifies %s', async (_, requested, expected) => {
    vi.stubEnv('MONITORING_TOPIC_ARN', STACK_TOPIC);
    const summary = await handler({ TrailName: TRAIL_ARN, Monitoring: true, MonitoringTopicArn: requested });
    expect(summary.monitoring).toMatchObject({ outcome: 'EQUIPPED', topicArn: expected });
    expect(topicsOfAlarms()).toEqual([expected]);
  });

  it('logs a line per filter and alarm as it is written', async () => {
    vi.stubEnv('MONITORING_TOPIC_ARN', STACK_TOPIC);
    await handler({ TrailName: TRAIL_ARN, Monitoring: true }, { awsRequestId: 'request-1' });
    const written = lines(info, 'monitoring action').map(({ action, resource, status }) => [
      action,
      resource,
      status,
    ]);
    expect(written).toEqual(
      MONITORING_CONTROLS.flatMap((control) => [
        ['PutMetricFilter', `${LOG_GROUP}/${filterNameFor(control)}`, 'applied'],
        ['PutMetricAlarm', alarmNameFor(TRAIL_NAME, control), 'applied'],
      ]),
    );
    expect(lines(warn, 'monitoring warning')).toEqual([]);
  });

  it('logs a warning line when the topic has no confirmed subscriber', async () => {
    vi.stubEnv('MONITORING_TOPIC_ARN', STACK_TOPIC);
    world.topics.set(STACK_TOPIC, ['PendingConfirmation']);
    const summary = await handler({ TrailName: TRAIL_ARN, Monitoring: true }, { awsRequestId: 'request-1' });
    expect(lines(warn, 'monitoring warning')).toEqual([
      {
        event: 'monitoring warning',
        requestId: 'request-1',
        trail: TRAIL_ARN,
        targetAccountId: undefined,
        dryRun: false,
        topicArn: STACK_TOPIC,
        warning: summary.monitoring?.warnings?.[0],
      },
    ]);
    expect(String(summary.monitoring?.warnings?.[0])).toMatch(/^no confirmed subscriber: /);
  });

  it('logs the planned filters and alarms of a dry run', async () => {
    vi.stubEnv('MONITORING_TOPIC_ARN', STACK_TOPIC);
    await handler({ TrailName: TRAIL_ARN, Monitoring: true, DryRun: true });
    expect(lines(info, 'monitoring action').map(({ status }) => status)).toEqual(Array(28).fill('planned'));
  });

  it('refuses Monitoring without any topic before any AWS call', async () => {
    await expect(handler({ TrailName: TRAIL_ARN, Monitoring: true })).rejects.toThrow(
      InvalidConfigurationError,
    );
    expect(world.calls).toEqual([]);
  });

  it('ignores the stack topic and creates nothing of the monitoring without Monitoring', async () => {
    vi.stubEnv('MONITORING_TOPIC_ARN', STACK_TOPIC);
    const summary = await handler({ TrailName: TRAIL_ARN });
    expect(summary).not.toHaveProperty('monitoring');
    expect(world.alarms.size).toBe(0);
  });
});
