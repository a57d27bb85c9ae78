import { beforeEach, describe, expect, it } from 'vitest';
import { MONITORING_CONTROLS } from '../../remediation/monitoring/controls.js';
import { alarmNameFor, filterNameFor } from '../../remediation/monitoring/names.js';
import {
  type FakeWorld,
  fakeAws,
  LOG_GROUP,
  newWorld,
  REGION,
  TOPIC,
  TRAIL_NAME,
} from '../remediation/fake-aws.js';
import { runInMemory } from './in-memory.js';

const MONITORING = ['--monitoring', '--monitoring-topic', TOPIC, '--region', REGION];
const MONITORING_WRITES = MONITORING_CONTROLS.flatMap((control) => [
  `PutMetricFilter ${LOG_GROUP}/${filterNameFor(control)}`,
  `PutMetricAlarm ${alarmNameFor(TRAIL_NAME, control)}`,
]);

let world: FakeWorld;
beforeEach(() => {
  world = newWorld();
  fakeAws(world);
});

describe('plan and fix --monitoring', () => {
  it('plan lists the 28 filters and alarms, writes nothing and exits 3 with --detailed-exitcode', async () => {
    const run = await runInMemory(['plan', TRAIL_NAME, ...MONITORING, '--detailed-exitcode']);
    expect(run.stderr).not.toContain('Error');
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      `CIS monitoring: metric filters and alarms planned (dry run: nothing was changed) (alarms notify ${TOPIC}).`,
    );
    expect(run.stdout.match(/planned +PutMetricAlarm/g)).toHaveLength(14);
    expect(world.writes).toEqual([]);
  });

  it('fix --yes integrates, then creates every filter and alarm once; a second fix adds nothing', async () => {
    const first = await runInMemory(['fix', TRAIL_NAME, ...MONITORING, '--yes']);
    expect(first.code).toBe(0);
    expect(world.writes.slice(-28)).toEqual(MONITORING_WRITES);
    expect(first.stdout).toContain('CIS monitoring: metric filters and alarms created');
    world.writes = [];
    const second = await runInMemory(['fix', TRAIL_NAME, ...MONITORING, '--yes']);
    expect(second.code).toBe(0);
    expect(world.writes).toEqual([]);
    expect(second.stdout).toContain('CIS monitoring: every metric filter and alarm already present');
  });

  it('fix without --monitoring reads nothing of the monitoring', async () => {
    const run = await runInMemory(['fix', TRAIL_NAME, '--region', REGION, '--yes']);
    expect(run.code).toBe(0);
    expect(world.calls).not.toContain('GetEventSelectors');
    expect(world.calls).not.toContain('DescribeAlarms');
  });

  it('fix asks before creating the monitoring and creates nothing when declined', async () => {
    await runInMemory(['fix', TRAIL_NAME, '--region', REGION, '--yes']);
    world.writes = [];
    const run = await runInMemory(['fix', TRAIL_NAME, ...MONITORING], { stdin: 'n\n', stdinIsTTY: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Create 28 CIS monitoring metric filters and alarms for trail`);
    expect(world.writes).toEqual([]);
  });

  it('plan and fix report a topic with no confirmed subscriber in their output', async () => {
    world.topics.set(TOPIC, ['PendingConfirmation']);
    const warning =
      `Warning: no confirmed subscriber: SNS topic ${TOPIC} has no confirmed subscription (1 pending ` +
      "confirmation), so the alarms notify nobody and Security Hub's CloudWatch.1-14 controls fail until someone " +
      `subscribes and confirms (aws sns subscribe --topic-arn ${TOPIC} --protocol email --notification-endpoint ` +
      '<address>, or deploy with -c alarmEmail=<address>).\n';
    const plan = await runInMemory(['plan', TRAIL_NAME, ...MONITORING]);
    expect(plan.stdout).toContain(`Topic subscriptions: 0 confirmed, 1 pending confirmation.\n${warning}`);
    const fix = await runInMemory(['fix', TRAIL_NAME, ...MONITORING, '--yes']);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain(warning);
  });

  it('fix says nothing of a missing subscriber once one is confirmed', async () => {
    const run = await runInMemory(['fix', TRAIL_NAME, ...MONITORING, '--yes']);
    expect(run.stdout).toContain('Topic subscriptions: 1 confirmed, 0 pending confirmation.\n');
    expect(run.stdout).not.toContain('Warning:');
  });

  it('fix refuses a topic of another account before asking or writing anything', async () => {
    const foreign = `arn:aws:sns:${REGION}:444455556666:alarms`;
    const run = await runInMemory([
      'fix',
      TRAIL_NAME,
      '--monitoring',
      '--monitoring-topic',
      foreign,
      '--region',
      REGION,
      '--yes',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`SNS topic ${foreign} is not a topic of account 111122223333`);
    expect(world.writes).toEqual([]);
  });

  it('fix shows each filter and alarm on the terminal as it is written', async () => {
    const run = await runInMemory(['fix', TRAIL_NAME, ...MONITORING, '--yes'], { stderrIsTTY: true });
    const written = run.stderr
      .split('\n')
      .filter((line) => /^ {2}Put(MetricFilter|MetricAlarm) /.test(line))
      .map((line) => line.trim());
    expect(written).toEqual(MONITORING_WRITES);
  });
});
