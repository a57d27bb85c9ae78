import { beforeEach, describe, expect, it } from 'vitest';
import type { RemediationClients } from '../../remediation/clients.js';
import { InvalidConfigurationError, MonitoringConflictError } from '../../remediation/errors.js';
import { MONITORING_CONTROLS, type MonitoringControl } from '../../remediation/monitoring/controls.js';
import { alarmNameFor, filterNameFor } from '../../remediation/monitoring/names.js';
import type { RemediationRequest } from '../../remediation/payload.js';
import { remediateTrail } from '../../remediation/remediate.js';
import {
  ACCOUNT,
  alarmArn,
  type FakeWorld,
  fakeAws,
  fakeCloudWatch,
  freshTrail,
  LOG_GROUP,
  newWorld,
  REGION,
  TRAIL_ARN,
  TRAIL_NAME,
} from './fake-aws.js';

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cloudtrail-logs-guard-alarms`;
const REQUEST: RemediationRequest = {
  trail: TRAIL_NAME,
  retentionInDays: 365,
  kmsKeyArn: undefined,
  dryRun: false,
  monitoring: true,
};
const INTEGRATION_WRITES = [
  `CreateLogGroup ${LOG_GROUP}`,
  `PutRetentionPolicy ${LOG_GROUP} 365`,
  `CreateRole CloudTrailToLogs-${REGION}-${TRAIL_NAME}`,
  `PutRolePolicy CloudTrailToLogs-${REGION}-${TRAIL_NAME}/cloudtrail-to-cloudwatch-logs`,
  `UpdateTrail ${TRAIL_ARN}`,
];
const MONITORING_WRITES = MONITORING_CONTROLS.flatMap((control) => [
  `PutMetricFilter ${LOG_GROUP}/${filterNameFor(control)}`,
  `PutMetricAlarm ${alarmNameFor(TRAIL_NAME, control)}`,
]);
const MONITORING_READS = ['GetEventSelectors', 'DescribeMetricFilters', 'DescribeAlarms'];

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

function run(request: Partial<RemediationRequest> = {}, monitoring = true) {
  return remediateTrail(
    clients,
    { ...REQUEST, ...request },
    monitoring ? { monitoring: { cloudWatch: fakeCloudWatch(), topicArn: TOPIC } } : {},
  );
}

describe('remediateTrail with Monitoring', () => {
  it('integrates the trail, then creates one metric filter and one alarm per control', async () => {
    const summary = await run();
    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.monitoring?.outcome).toBe('EQUIPPED');
    expect(summary.monitoring?.actions.map((action) => action.status)).toEqual(Array(28).fill('applied'));
    expect(world.writes).toEqual([...INTEGRATION_WRITES, ...MONITORING_WRITES]);
  });

  it('writes each filter and alarm as the controls prescribe', async () => {
    await run();
    expect(world.metricFilters.get(LOG_GROUP)?.[0]).toEqual({
      logGroupName: LOG_GROUP,
      filterName: 'cloudtrail-logs-guard-CloudWatch.1-RootUserUsage',
      filterPattern:
        '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
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
      expect(world.writes).toEqual(INTEGRATION_WRITES);
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
    expect(world.writes).toEqual(INTEGRATION_WRITES);
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
