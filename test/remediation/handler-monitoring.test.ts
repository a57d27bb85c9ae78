import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvalidConfigurationError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { ACCOUNT, type FakeWorld, fakeAws, newWorld, REGION, TRAIL_ARN } from './fake-aws.js';

const STACK_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:stack-topic`;
const NAMED_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:named-topic`;

let world: FakeWorld;

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

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
