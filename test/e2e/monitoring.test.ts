/**
 * End-to-end: the bundled remediation Lambda with Monitoring on, against moto_server. The filters and alarms are
 * read back with DescribeMetricFilters and DescribeAlarms; a second run must send no write.
 *
 * Not covered by this tier: alarm notifications (moto evaluates no alarm and publishes nothing), the SNS topic's
 * encryption and policy (infra tests), IAM authorization (iam-simulate in test/infra).
 * Known deviation: moto's new trail has no event selector (AWS gives it one logging all read and write management
 * events), so the tests set that selector with PutEventSelectors.
 */
import { CloudTrailClient, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

  it('creates one metric filter per control and one alarm per filter, once; a second run writes nothing', async () => {
    await loggingMultiRegionTrail();

    const first = (await remediation.run({ TrailName: TRAIL, Monitoring: true })) as {
      outcome: string;
      monitoring: { outcome: string; actions: { status: string }[] };
    };

    expect(first.outcome).toBe('REMEDIATED');
    expect(first.monitoring.outcome).toBe('EQUIPPED');
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
    const second = (await remediation.run({ TrailName: TRAIL, Monitoring: true })) as {
      outcome: string;
      monitoring: { outcome: string };
    };

    expect(second.outcome).toBe('ALREADY_COMPLIANT');
    expect(second.monitoring.outcome).toBe('ALREADY_EQUIPPED');
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes).toEqual([]);
    expect(await alarms()).toHaveLength(14);
  });

  it('integrates a single-Region trail but reports it NOT_QUALIFIED and creates no filter or alarm', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await new CloudTrailClient({ region: REGION }).send(new StartLoggingCommand({ Name: TRAIL }));

    const summary = (await remediation.run({ TrailName: TRAIL, Monitoring: true })) as {
      outcome: string;
      monitoring: { outcome: string; problems: string[] };
    };

    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.monitoring.outcome).toBe('NOT_QUALIFIED');
    expect(summary.monitoring.problems[0]).toBe('it is not a multi-Region trail');
    expect(await filters()).toEqual([]);
    expect(await alarms()).toEqual([]);
  });

  it('writes nothing on a dry run and lists the filters and alarms', async () => {
    await loggingMultiRegionTrail();
    await resetRecording(endpoint);

    const summary = (await remediation.run({ TrailName: TRAIL, Monitoring: true, DryRun: true })) as {
      monitoring: { outcome: string; actions: unknown[] };
    };

    expect(summary.monitoring.outcome).toBe('PLANNED');
    expect(summary.monitoring.actions).toHaveLength(28);
    const writes = (await recordedRequests(endpoint)).filter((request) => !isReadOnly(request.operation));
    expect(writes).toEqual([]);
  });
});
