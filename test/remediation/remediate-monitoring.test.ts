import { beforeEach, describe, expect, it } from 'vitest';
import type { RemediationClients } from '../../remediation/clients.js';
import {
  AwsCallError,
  InvalidConfigurationError,
  MonitoringConflictError,
  MonitoringTopicNotFoundError,
  MonitoringTopicRefusedError,
} from '../../remediation/errors.js';
import { MONITORING_CONTROLS, type MonitoringControl } from '../../remediation/monitoring/controls.js';
import { alarmNameFor, filterNameFor } from '../../remediation/monitoring/names.js';
import type { MonitoringAction } from '../../remediation/monitoring/plan.js';
import type { RemediationRequest } from '../../remediation/payload.js';
import { remediateTrail } from '../../remediation/remediate.js';
import awsText from '../fixtures/remediation/security-hub-cloudwatch-controls.json' with { type: 'json' };
import {
  ACCOUNT,
  alarmArn,
  awsError,
  type FakeWorld,
  fakeAws,
  fakeMonitoring,
  freshTrail,
  LOG_GROUP,
  newWorld,
  REGION,
  SUBSCRIPTIONS_PAGE,
  subscriptionArn,
  TOPIC,
  TRAIL_ARN,
  TRAIL_NAME,
} from './fake-aws.js';
import { FRESH_WRITES, REQUEST as INTEGRATION_REQUEST } from './remediate-fixtures.js';

const REQUEST: RemediationRequest = { ...INTEGRATION_REQUEST, monitoring: true };
const MONITORING_WRITES = MONITORING_CONTROLS.flatMap((control) => [
  `PutMetricFilter ${LOG_GROUP}/${filterNameFor(control)}`,
  `PutMetricAlarm ${alarmNameFor(TRAIL_NAME, control)}`,
]);
const MONITORING_READS = [
  'GetEventSelectors',
  'DescribeMetricFilters',
  'DescribeAlarms',
  'ListSubscriptionsByTopic',
];

function controlAt(index: number): MonitoringControl {
  const control = MONITORING_CONTROLS[index];
  if (control === undefined) throw new Error(`no control at ${index}`);
  return control;
}

let world: FakeWorld;
let clients: RemediationClients;

beforeEach(() => {
  world = newWorld();
  clients = fakeAws(world);
});

let applied: MonitoringAction[];

function run(request: Partial<RemediationRequest> = {}, monitoring = true, topicArn = TOPIC) {
  applied = [];
  return remediateTrail(
    clients,
    { ...REQUEST, ...request },
    monitoring
      ? {
          monitoring: { ...fakeMonitoring(), topicArn },
          onMonitoringApplied: (action) => applied.push(action),
        }
      : {},
  );
}

describe('remediateTrail with Monitoring', () => {
  it('integrates the trail, then creates one metric filter and one alarm per control', async () => {
    const summary = await run();
    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.monitoring?.outcome).toBe('EQUIPPED');
    expect(summary.monitoring?.actions.map((action) => action.status)).toEqual(Array(28).fill('applied'));
    expect(world.writes).toEqual([...FRESH_WRITES, ...MONITORING_WRITES]);
    expect(summary.monitoring?.subscribers).toEqual({ confirmed: 1, unconfirmed: 0 });
    expect(summary.monitoring).not.toHaveProperty('warnings');
  });

  it('tells of each filter and alarm as soon as it is written', async () => {
    const summary = await run();
    expect(applied).toEqual(summary.monitoring?.actions);
  });

  it('leaves a trace of what it wrote when a write fails half-way', async () => {
    await run({ monitoring: false }, false);
    const third = alarmNameFor(TRAIL_NAME, controlAt(2));
    // The third alarm's write fails; the writes before it went through.
    world.failures.set('PutMetricAlarm', [
      undefined,
      undefined,
      awsError('LimitExceededException', 'The maximum number of alarms was reached.'),
    ]);
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).resource).toBe(third);
    expect(applied.map((action) => `${action.action} ${action.resource}`)).toEqual(
      MONITORING_WRITES.slice(0, 5),
    );
  });

  it('writes each filter and alarm as the controls prescribe', async () => {
    await run();
    expect(world.metricFilters.get(LOG_GROUP)?.[0]).toEqual({
      logGroupName: LOG_GROUP,
      filterName: 'cloudtrail-logs-guard-CloudWatch.1-RootUserUsage',
      filterPattern: awsText.controls['CloudWatch.1'],
      metricTransformations: [
        {
          metricNamespace: 'cloudtrail-logs-guard',
          metricName: `${TRAIL_NAME}/RootUserUsage`,
          metricValue: '1',
        },
      ],
    });
    const name = `cloudtrail-logs-guard-${TRAIL_NAME}-CloudWatch.1-RootUserUsage`;
    expect(world.alarms.get(name)).toEqual({
      alarm: {
        AlarmName: name,
        AlarmArn: alarmArn(world, name),
        AlarmDescription: `CloudWatch.1: usage of the "root" user, from trail ${TRAIL_NAME} (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1)`,
        Namespace: 'cloudtrail-logs-guard',
        MetricName: `${TRAIL_NAME}/RootUserUsage`,
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        AlarmActions: [TOPIC],
      },
      tags: [
        { Key: 'managed-by', Value: 'cloudtrail-logs-guard' },
        { Key: 'cloudtrail-logs-guard:trail-arn', Value: TRAIL_ARN },
      ],
    });
  });

  it('adds nothing on a second run', async () => {
    await run();
    world.writes = [];
    const summary = await run();
    expect(summary.outcome).toBe('ALREADY_COMPLIANT');
    expect(summary.monitoring?.outcome).toBe('ALREADY_EQUIPPED');
    expect(summary.monitoring?.actions.map((action) => action.detail)).toEqual(
      Array(28).fill('already present'),
    );
    expect(world.writes).toEqual([]);
  });

  it('equips a trail the remediation integrated earlier without monitoring', async () => {
    await run({ monitoring: false }, false);
    world.writes = [];
    const summary = await run();
    expect(summary.outcome).toBe('ALREADY_COMPLIANT');
    expect(summary.monitoring?.outcome).toBe('EQUIPPED');
    expect(world.writes).toEqual(MONITORING_WRITES);
  });

  it('writes nothing in a dry run and lists what it would create', async () => {
    const summary = await run({ dryRun: true });
    expect(world.writes).toEqual([]);
    expect(summary.monitoring?.outcome).toBe('PLANNED');
    expect(
      summary.monitoring?.actions.map((action) => [action.action, action.control, action.status]),
    ).toEqual(
      MONITORING_CONTROLS.flatMap((control) => [
        ['PutMetricFilter', control.id, 'planned'],
        ['PutMetricAlarm', control.id, 'planned'],
      ]),
    );
    // The log group does not exist yet: no filter can be on it, so none is read.
    expect(world.calls).not.toContain('DescribeMetricFilters');
  });

  it.each([
    [
      'a single-Region trail',
      () => {
        world.trails = [freshTrail({ IsMultiRegionTrail: false })];
      },
      'it is not a multi-Region trail',
    ],
    [
      'a trail that is not logging',
      () => {
        world.isLogging = false;
      },
      'it is not logging (StartLogging has not been called or it was stopped)',
    ],
    [
      'a trail logging only write management events',
      () => {
        world.eventSelectors = {
          EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
        };
      },
      'its event selectors do not log all read and write management events',
    ],
  ])(
    'integrates %s but reports it NOT_QUALIFIED, creating no filter or alarm',
    async (_, arrange, problem) => {
      arrange();
      const summary = await run();
      expect(summary.outcome).toBe('REMEDIATED');
      expect(summary.monitoring).toEqual({
        outcome: 'NOT_QUALIFIED',
        topicArn: TOPIC,
        actions: [],
        problems: [
          problem,
          'see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1',
        ],
      });
      expect(world.writes).toEqual(FRESH_WRITES);
      expect(world.calls).not.toContain('DescribeMetricFilters');
    },
  );

  it('never changes an alarm of its names that it did not create, and writes no monitoring', async () => {
    const name = alarmNameFor(TRAIL_NAME, controlAt(4));
    world.alarms.set(name, {
      alarm: {
        AlarmName: name,
        AlarmArn: alarmArn(world, name),
        Namespace: 'LogMetrics',
        MetricName: 'Mine',
      },
      tags: [],
    });
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MonitoringConflictError);
    expect(world.writes).toEqual(FRESH_WRITES);
    expect(world.alarms.get(name)?.alarm.MetricName).toBe('Mine');
  });

  it('never changes a filter of its names with another pattern', async () => {
    await run({ monitoring: false }, false);
    const filter = filterNameFor(controlAt(1));
    world.metricFilters.set(LOG_GROUP, [
      {
        logGroupName: LOG_GROUP,
        filterName: filter,
        filterPattern: '{$.errorCode=*}',
        metricTransformations: [],
      },
    ]);
    world.writes = [];
    await expect(run()).rejects.toThrow(MonitoringConflictError);
    expect(world.writes).toEqual([]);
    expect(world.metricFilters.get(LOG_GROUP)?.[0]?.filterPattern).toBe('{$.errorCode=*}');
  });

  it('updates in place the filters an earlier version wrote with the earlier text of a pattern', async () => {
    await run();
    const migrated = MONITORING_CONTROLS.filter((control) => control.previousPatterns.length > 0);
    for (const filter of world.metricFilters.get(LOG_GROUP) ?? []) {
      const earlier = migrated.find((control) => filterNameFor(control) === filter.filterName);
      if (earlier !== undefined) filter.filterPattern = earlier.previousPatterns[0];
    }
    world.writes = [];
    const summary = await run();
    expect(summary.monitoring?.outcome).toBe('EQUIPPED');
    expect(world.writes).toEqual(
      migrated.map((control) => `PutMetricFilter ${LOG_GROUP}/${filterNameFor(control)}`),
    );
    for (const control of migrated) {
      const filter = world.metricFilters
        .get(LOG_GROUP)
        ?.find((candidate) => candidate.filterName === filterNameFor(control));
      expect(filter?.filterPattern).toBe(awsText.controls[control.id as keyof typeof awsText.controls]);
    }
  });

  it('restores its own alarm whose actions someone disabled, and reports it', async () => {
    await run();
    const name = alarmNameFor(TRAIL_NAME, controlAt(0));
    const silenced = world.alarms.get(name);
    if (silenced === undefined) throw new Error('expected the alarm');
    silenced.alarm.ActionsEnabled = false;
    world.writes = [];
    const summary = await run();
    expect(world.writes).toEqual([`PutMetricAlarm ${name}`]);
    expect(world.alarms.get(name)?.alarm.ActionsEnabled).toBe(true);
    expect(summary.monitoring?.actions.find((action) => action.resource === name)).toEqual({
      action: 'PutMetricAlarm',
      control: 'CloudWatch.1',
      resource: name,
      status: 'applied',
      detail: "restore the remediation's settings: actions disabled",
    });
  });

  it.each([
    ['another account', `arn:aws:sns:${REGION}:444455556666:alarms`],
    ['another region', `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`],
  ])('refuses a topic of %s before any write, the integration included', async (_, topic) => {
    const error = await run({}, true, topic).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MonitoringTopicRefusedError);
    expect(world.writes).toEqual([]);
  });

  it('never moves the alarms of an earlier run to a topic of another account', async () => {
    await run();
    world.writes = [];
    await expect(run({}, true, `arn:aws:sns:${REGION}:444455556666:alarms`)).rejects.toThrow(
      MonitoringTopicRefusedError,
    );
    expect(world.writes).toEqual([]);
    expect(world.alarms.get(alarmNameFor(TRAIL_NAME, controlAt(0)))?.alarm.AlarmActions).toEqual([TOPIC]);
  });

  it.each([
    ['no subscription at all', [], 'none at all', { confirmed: 0, unconfirmed: 0 }],
    [
      'only subscriptions pending confirmation',
      ['PendingConfirmation', 'PendingConfirmation'],
      '2 pending confirmation',
      { confirmed: 0, unconfirmed: 2 },
    ],
  ])('creates the monitoring but warns of a topic with %s', async (_, arns, how, subscribers) => {
    world.topics.set(TOPIC, arns);
    const summary = await run();
    expect(summary.monitoring?.outcome).toBe('EQUIPPED');
    expect(summary.monitoring?.subscribers).toEqual(subscribers);
    expect(summary.monitoring?.warnings).toEqual([
      `no confirmed subscriber: SNS topic ${TOPIC} has no confirmed subscription (${how}), so the alarms notify nobody and Security Hub's CloudWatch.1-14 controls fail until someone subscribes and confirms (aws sns subscribe --topic-arn ${TOPIC} --protocol email --notification-endpoint <address>, or deploy with -c alarmEmail=<address>)`,
    ]);
  });

  it('reads every page of the subscriptions: a confirmed one on the second page counts', async () => {
    world.topics.set(TOPIC, [
      ...Array<string>(SUBSCRIPTIONS_PAGE + 20).fill('PendingConfirmation'),
      subscriptionArn(TOPIC, 7),
    ]);
    const summary = await run({ dryRun: true });
    expect(summary.monitoring?.subscribers).toEqual({ confirmed: 1, unconfirmed: SUBSCRIPTIONS_PAGE + 20 });
    expect(summary.monitoring).not.toHaveProperty('warnings');
    expect(world.calls.filter((call) => call === 'ListSubscriptionsByTopic')).toHaveLength(2);
  });

  it('refuses a topic SNS does not know, writing no filter or alarm', async () => {
    world.topics.clear();
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MonitoringTopicNotFoundError);
    expect(world.writes).toEqual(FRESH_WRITES);
  });

  it('refuses Monitoring without a topic before any call', async () => {
    await expect(run({}, false)).rejects.toThrow(
      new InvalidConfigurationError(
        'Monitoring was requested but no SNS topic is known: give MonitoringTopicArn, or deploy with the ' +
          'monitoring topic (MONITORING_TOPIC_ARN). Nothing was read or written.',
      ),
    );
    expect(world.calls).toEqual([]);
  });

  it('reads and writes nothing of monitoring when it is off', async () => {
    const summary = await run({ monitoring: false }, true);
    expect(summary).not.toHaveProperty('monitoring');
    for (const read of MONITORING_READS) expect(world.calls).not.toContain(read);
  });
});
