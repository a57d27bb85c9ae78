/**
 * End-to-end: the bundled remediation Lambda with Monitoring on, against moto_server. The filters and alarms are
 * read back with DescribeMetricFilters and DescribeAlarms; a second run must send no write. The alarms' topic is
 * a real topic of moto's SNS, with or without a subscription.
 *
 * Not covered by this tier: alarm notifications (moto evaluates no alarm and publishes nothing), the SNS topic's
 * encryption and policy and the subscriptions the stacks create (infra tests, iam-simulate), IAM authorization
 * (iam-simulate in test/infra).
 * Known deviations: moto's new trail has no event selector (AWS gives it one logging all read and write management
 * events), so the tests set that selector with PutEventSelectors; moto confirms every subscription at once (AWS
 * lists an email subscription as "PendingConfirmation" until its owner confirms), so a pending subscription is
 * covered by the unit tier only; moto appends a metric filter put under an existing name where AWS replaces it
 * ("Creates or updates a metric filter", PutMetricFilter), so the migration test reads the current text among
 * those moto keeps.
 */
import { CloudTrailClient, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { MONITORING_CONTROLS } from '../../remediation/monitoring/controls.js';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { isReadOnly, recordedRequests, resetRecording } from './emulator.js';
import { STAND_IN } from './principals.js';
import { createTrail } from './trails.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const TRAIL = 'monitored-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`;
const LOG_GROUP = `/cloudtrail-logs-guard/${TRAIL}`;
/** The topic the monitoring stack's Lambda is configured with (MONITORING_TOPIC_ARN). */
const TOPIC = STAND_IN.monitoringTopicArn(REGION, ACCOUNT);

const logs = new CloudWatchLogsClient({ region: REGION });
const cloudWatch = new CloudWatchClient({ region: REGION });
const sns = new SNSClient({ region: REGION });

interface MonitoringResult {
  outcome: string;
  monitoring: {
    outcome: string;
    actions: { action: string; resource: string; status: string; detail: string }[];
    subscribers?: { confirmed: number; unconfirmed: number };
    warnings?: string[];
    problems?: string[];
  };
}

async function filters() {
  const { metricFilters } = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: LOG_GROUP }));
  return (metricFilters ?? []).map((filter) => ({
    name: filter.filterName,
    pattern: filter.filterPattern,
    metric: filter.metricTransformations?.map((t) => `${t.metricNamespace} ${t.metricName} ${t.metricValue}`),
  }));
}

async function alarms() {
  const { MetricAlarms } = await cloudWatch.send(
    new DescribeAlarmsCommand({ AlarmNamePrefix: `cloudtrail-logs-guard-${TRAIL}-` }),
  );
  return MetricAlarms ?? [];
}

describe('remediation Lambda bundle with Monitoring, against moto', () => {
  const endpoint = inject('motoEndpoint');
  let remediation: BundledHandler;

  beforeAll(async () => {
    remediation = await bundleHandler('remediation', 'single-account-monitoring');
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  // The stack's topic exists in every test (moto was reset before it); a test subscribes to it when it needs to.
  beforeEach(async () => {
    await sns.send(new CreateTopicCommand({ Name: 'cloudtrail-logs-guard-alarms' }));
  });

  async function subscribe(): Promise<void> {
    await sns.send(
      new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'email', Endpoint: 'security@example.com' }),
    );
  }

  async function run(event: Record<string, unknown> = {}): Promise<MonitoringResult> {
    return (await remediation.run({ TrailName: TRAIL, Monitoring: true, ...event })) as MonitoringResult;
  }

  async function loggingMultiRegionTrail(): Promise<void> {
    await createTrail(endpoint, { name: TRAIL, region: REGION, multiRegion: true });
    const cloudTrail = new CloudTrailClient({ region: REGION });
    await cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: TRAIL,
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      }),
    );
    await cloudTrail.send(new StartLoggingCommand({ Name: TRAIL }));
  }

  it('with a subscription: creates one metric filter per control and one alarm per filter, once; a second run writes nothing', async () => {
    await loggingMultiRegionTrail();
    await subscribe();

    const first = await run();

    expect(first.outcome).toBe('REMEDIATED');
    expect(first.monitoring.outcome).toBe('EQUIPPED');
    expect(first.monitoring.subscribers).toEqual({ confirmed: 1, unconfirmed: 0 });
    expect(first.monitoring).not.toHaveProperty('warnings');
    expect(first.monitoring.actions.map((action) => action.status)).toEqual(Array(28).fill('applied'));
    expect((await filters()).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))).toEqual(
      MONITORING_CONTROLS.map((control) => ({
        name: `cloudtrail-logs-guard-${control.id}-${control.key}`,
        pattern: control.filterPattern,
        metric: [`cloudtrail-logs-guard ${TRAIL}/${control.key} 1`],
      })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    const created = await alarms();
    expect(created).toHaveLength(14);
    for (const alarm of created) {
      expect(alarm).toMatchObject({
        Namespace: 'cloudtrail-logs-guard',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        AlarmActions: [TOPIC],
      });
    }
    const [root] = created.filter((alarm) => alarm.AlarmName?.endsWith('CloudWatch.1-RootUserUsage'));
    const { Tags } = await cloudWatch.send(new ListTagsForResourceCommand({ ResourceARN: root?.AlarmArn }));
    expect(Tags).toEqual([
      { Key: 'managed-by', Value: 'cloudtrail-logs-guard' },
      { Key: 'cloudtrail-logs-guard:trail-arn', Value: TRAIL_ARN },
    ]);

    await resetRecording(endpoint);
    const second = await run();

    expect(second.outcome).toBe('ALREADY_COMPLIANT');
    expect(second.monitoring.outcome).toBe('ALREADY_EQUIPPED');
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes).toEqual([]);
    expect(await alarms()).toHaveLength(14);
  });

  it('integrates a single-Region trail but reports it NOT_QUALIFIED and creates no filter or alarm', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await new CloudTrailClient({ region: REGION }).send(new StartLoggingCommand({ Name: TRAIL }));

    const summary = await run();

    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.monitoring.outcome).toBe('NOT_QUALIFIED');
    expect(summary.monitoring.problems?.[0]).toBe('it is not a multi-Region trail');
    expect(await filters()).toEqual([]);
    expect(await alarms()).toEqual([]);
  });

  it('writes nothing on a dry run and lists the filters and alarms', async () => {
    await loggingMultiRegionTrail();
    await resetRecording(endpoint);

    const summary = await run({ DryRun: true });

    expect(summary.monitoring.outcome).toBe('PLANNED');
    expect(summary.monitoring.actions).toHaveLength(28);
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes).toEqual([]);
  });

  it('without a subscription: creates the monitoring and reports the missing subscriber, in the summary and a log line', async () => {
    await loggingMultiRegionTrail();

    const invocation = await remediation.invoke({ TrailName: TRAIL, Monitoring: true });

    if (!invocation.ok) throw new Error(`the remediation failed: ${invocation.error.message}`);
    const summary = invocation.result as MonitoringResult;
    expect(summary.monitoring.outcome).toBe('EQUIPPED');
    expect(summary.monitoring.subscribers).toEqual({ confirmed: 0, unconfirmed: 0 });
    expect(summary.monitoring.warnings).toEqual([
      `no confirmed subscriber: SNS topic ${TOPIC} has no confirmed subscription (none at all), so the alarms notify nobody and Security Hub's CloudWatch.1-14 controls fail until someone subscribes and confirms (aws sns subscribe --topic-arn ${TOPIC} --protocol email --notification-endpoint <address>, or deploy with -c alarmEmail=<address>)`,
    ]);
    expect(invocation.logs).toContain('"event":"monitoring warning"');
    expect(await alarms()).toHaveLength(14);
  });

  it('restores an alarm of its own whose actions someone disabled', async () => {
    await loggingMultiRegionTrail();
    await subscribe();
    await run();
    const [silenced] = await alarms();
    // What DisableAlarmActions does (moto answers that call only in its query protocol, not the SDK's): the same
    // alarm, its actions disabled.
    await cloudWatch.send(
      new PutMetricAlarmCommand({ ...silenced, AlarmName: silenced?.AlarmName, ActionsEnabled: false }),
    );
    expect((await alarms()).find((alarm) => alarm.AlarmName === silenced?.AlarmName)?.ActionsEnabled).toBe(
      false,
    );
    await resetRecording(endpoint);

    const summary = await run();

    const restored = summary.monitoring.actions.filter((action) => action.status === 'applied');
    expect(restored).toEqual([
      {
        action: 'PutMetricAlarm',
        control: expect.any(String),
        resource: silenced?.AlarmName,
        status: 'applied',
        detail: "restore the remediation's settings: actions disabled",
      },
    ]);
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes.map((request) => request.operation)).toEqual(['PutMetricAlarm']);
    expect((await alarms()).every((alarm) => alarm.ActionsEnabled === true)).toBe(true);
  });

  it('refuses a topic of another account before any write, the integration included', async () => {
    await loggingMultiRegionTrail();
    await resetRecording(endpoint);
    const foreign = `arn:aws:sns:${REGION}:444455556666:alerts`;

    const invocation = await remediation.invoke({
      TrailName: TRAIL,
      Monitoring: true,
      MonitoringTopicArn: foreign,
    });

    expect(invocation.ok).toBe(false);
    if (invocation.ok) return;
    expect(invocation.error.name).toBe('MonitoringTopicRefusedError');
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes).toEqual([]);
  });

  it('updates in place the filters an earlier version wrote with the previous pattern text, refusing none', async () => {
    await loggingMultiRegionTrail();
    await subscribe();
    // The trail as an earlier version left it: integrated, its filters written with the text of that time.
    await remediation.run({ TrailName: TRAIL });
    const migrated = MONITORING_CONTROLS.filter((control) => control.previousPatterns.length > 0);
    for (const control of MONITORING_CONTROLS) {
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: LOG_GROUP,
          filterName: `cloudtrail-logs-guard-${control.id}-${control.key}`,
          filterPattern: control.previousPatterns[0] ?? control.filterPattern,
          metricTransformations: [
            {
              metricNamespace: 'cloudtrail-logs-guard',
              metricName: `${TRAIL}/${control.key}`,
              metricValue: '1',
            },
          ],
        }),
      );
    }
    await resetRecording(endpoint);

    const summary = await run();

    expect(summary.monitoring.outcome).toBe('EQUIPPED');
    expect(
      summary.monitoring.actions
        .filter((action) => action.action === 'PutMetricFilter' && action.status === 'applied')
        .map((action) => action.detail),
    ).toEqual(
      migrated.map(
        (control) => `update: earlier text of ${control.id}'s pattern replaced with AWS's current one`,
      ),
    );
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes.filter((request) => request.operation === 'PutMetricFilter')).toHaveLength(migrated.length);
    // moto appends a filter put under an existing name (AWS replaces it): the current text is among those read back.
    const current = (await filters()).map((filter) => `${filter.name} ${filter.pattern}`);
    for (const control of migrated) {
      expect(current).toContain(
        `cloudtrail-logs-guard-${control.id}-${control.key} ${control.filterPattern}`,
      );
    }
  });
});
