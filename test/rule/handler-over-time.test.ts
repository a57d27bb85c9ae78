import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ANNOTATION } from '../../rule/account-result.js';
import { TrailsNotJudgedError, UnexpectedResponseError } from '../../rule/errors.js';
import { handler } from '../../rule/handler.js';
import { ConfigHistory } from './config-history.js';
import {
  ACCOUNT,
  ACCOUNT_TYPE,
  accountEvaluation,
  CAPTURED,
  evaluation,
  historyAt,
  historyOf,
  LOG_GROUP,
  LOG_GROUP_ARN,
  loadFixture,
  NOTIFIED,
  ROLE_ARN,
  sdkTrail,
  TRAIL,
  withInvokingEvent,
  withParameters,
} from './fixtures.js';
import { iam, integrationResources, logs } from './integration-resources.js';
import { cloudTrail, config, freshRuleAws } from './rule-aws.js';

/**
 * The rule right over time: the cases a review of GetResourceConfigHistory's documented behaviour found wrong
 * (issue 22), each against an in-memory history that pages as AWS documents it (config-history.ts).
 */

const sent = () =>
  config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);
/** The trails' evaluations; the sweep's account-level one is handler-account.test.ts's, except where it fails closed. */
const putEvaluations = () => sent().filter((e) => e.ComplianceResourceType === TRAIL);
const accountEvaluations = () => sent().filter((e) => e.ComplianceResourceType === ACCOUNT_TYPE);
const historyCalls = () => config.commandCalls(GetResourceConfigHistoryCommand).length;

const NOW = new Date('2026-11-29T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);
const OLD_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailOld`;
/** The verdict on an integration changed `minutes` ago with nothing delivered since. */
const grace = (minutes: number) =>
  `Integrated with log group ${LOG_GROUP}, changed ${minutes} minutes ago: no delivery yet, within the 60-minute grace for a first delivery.`;
const DELIVERY_ERROR = 'Access denied. Verify in IAM that the role has adequate permissions.';
const withOldRole = (c: Record<string, unknown>) => (c.cloudWatchLogsRoleArn = OLD_ROLE);
const tagEdit = (c: Record<string, unknown>) => (c.logFileValidationEnabled = false);

const sweep = () =>
  handler(
    withParameters(
      withInvokingEvent('scheduled.json', (i) => (i.notificationCreationTime = NOW.toISOString())),
      { expectedDeliveryWindowAge: '24' },
    ),
  );
const theTrail = () => sdkTrail('management-events', { CloudWatchLogsLogGroupArn: LOG_GROUP_ARN });

beforeEach(() => {
  freshRuleAws();
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('issue 22: the rule reads Config history as AWS serves it', () => {
  const predates = (changed: string, delivered: string) =>
    `Not delivering since the integration changed ${changed} ago: last delivery to log group ${LOG_GROUP} was ${delivered} ago, before the change. Delivery error: ${DELIVERY_ERROR}`;

  it.each([{ inclusiveBounds: true }, { inclusiveBounds: false }])(
    "1. a re-point 3 hours ago after 40 days of stability is NON_COMPLIANT: the change's predecessor is six empty weeks back (bounds %o)",
    async (bounds) => {
      cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
      cloudTrail.on(GetTrailStatusCommand).resolves({
        LatestCloudWatchLogsDeliveryTime: minutesAgo(190),
        LatestCloudWatchLogsDeliveryError: DELIVERY_ERROR,
      });
      new ConfigHistory(bounds)
        .record(historyAt(daysAgo(40), withOldRole, 'ResourceDiscovered'), historyAt(minutesAgo(180)))
        .install(config);
      await sweep();
      expect(putEvaluations()).toEqual([
        evaluation('management-events', 'NON_COMPLIANT', predates('3 hours', '3 hours'), NOW),
      ]);
      // The span since the delivery, then six seven-day pages back to the item before the re-point.
      expect(historyCalls()).toBe(7);
      // The delivery already predates a known change: no creation time can change that.
      expect(logs.calls()).toHaveLength(0);
      expect(iam.calls()).toHaveLength(0);
    },
  );

  it('1. a re-point followed by nine edits is still found: the items after it are read whole, then its predecessor', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({
      LatestCloudWatchLogsDeliveryTime: minutesAgo(190),
      LatestCloudWatchLogsDeliveryError: DELIVERY_ERROR,
    });
    new ConfigHistory()
      .record(
        historyAt(daysAgo(2), withOldRole),
        historyAt(minutesAgo(180)),
        ...Array.from({ length: 9 }, (_, index) => historyAt(minutesAgo(170 - index * 10), tagEdit)),
      )
      .install(config);
    await sweep();
    expect(putEvaluations()).toEqual([
      evaluation('management-events', 'NON_COMPLIANT', predates('3 hours', '3 hours'), NOW),
    ]);
    expect(historyCalls()).toBe(2);
  });

  /** Created integrated 20 minutes ago, its event selectors edited 3 minutes later, nothing delivered yet. */
  const createdThenEdited = () =>
    new ConfigHistory()
      .record(
        historyAt(minutesAgo(20), () => {}, 'ResourceDiscovered'),
        historyAt(minutesAgo(17), (c) => (c.hasCustomEventSelectors = true)),
      )
      .install(config);

  it('2. a trail created 20 minutes ago and edited since keeps its grace in the sweep', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    createdThenEdited();
    await sweep();
    expect(putEvaluations()).toEqual([evaluation('management-events', 'COMPLIANT', grace(20), NOW)]);
    expect(historyCalls()).toBe(1);
  });

  it('2. ... and in the change event of the edit', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    createdThenEdited();
    const edited = minutesAgo(17);
    await handler(
      withParameters(
        withInvokingEvent('change-trail.json', (i) => {
          i.configurationItem.configurationItemCaptureTime = edited.toISOString();
          i.configurationItem.configurationStateId = edited.getTime();
          i.configurationItem.configuration.hasCustomEventSelectors = true;
          i.configurationItemDiff = {
            changedProperties: {
              'Configuration.HasCustomEventSelectors': {
                previousValue: false,
                updatedValue: true,
                changeType: 'UPDATE',
              },
            },
            changeType: 'UPDATE',
          };
        }),
        { expectedDeliveryWindowAge: '24' },
      ),
    );
    expect(putEvaluations()).toEqual([evaluation('management-events', 'COMPLIANT', grace(20), edited)]);
  });

  it('3. a tag edit captured minutes after a re-point does not let the delivery to the old integration count', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({
      LatestCloudWatchLogsDeliveryTime: minutesAgo(75),
      LatestCloudWatchLogsDeliveryError: DELIVERY_ERROR,
    });
    const edited = minutesAgo(66);
    new ConfigHistory()
      .record(
        historyAt(daysAgo(30), withOldRole, 'ResourceDiscovered'),
        historyAt(minutesAgo(70)),
        historyAt(edited),
      )
      .install(config);
    await handler(
      withParameters(
        withInvokingEvent('change-trail.json', (i) => {
          i.configurationItem.configurationItemCaptureTime = edited.toISOString();
          i.configurationItem.configurationStateId = edited.getTime();
          i.configurationItemDiff = {
            changedProperties: {
              'SupplementaryConfiguration.Tags.team': {
                previousValue: null,
                updatedValue: 'ops',
                changeType: 'CREATE',
              },
            },
            changeType: 'UPDATE',
          };
        }),
        { expectedDeliveryWindowAge: '24' },
      ),
    );
    expect(putEvaluations()).toEqual([
      evaluation('management-events', 'NON_COMPLIANT', predates('70 minutes', '75 minutes'), edited),
    ]);
  });

  it('4. one malformed DescribeTrails entry fails only that trail: the others are reported, its stored result kept', async () => {
    vi.useRealTimers();
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [sdkTrail('healthy'), sdkTrail('broken', { TrailARN: undefined })],
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: 'broken' },
          },
        },
      ],
    });
    const run = handler(loadFixture('scheduled.json'));
    await expect(run).rejects.toThrow(TrailsNotJudgedError);
    await expect(run).rejects.toThrow(
      'Could not judge 1 trail(s), which keep their earlier results; every other trail was reported: broken (UnexpectedResponseError: Unexpected cloudtrail:DescribeTrails response: a trail lacks Name, a TrailARN with an account or HomeRegion ({"name":"broken","homeRegion":"us-east-1"}).). Fix the cause named for each trail, then re-run the rule evaluation.',
    );
    await expect(run).rejects.toMatchObject({ errors: [expect.any(UnexpectedResponseError)] });
    // Only the healthy trail: no clean-up of "broken", which still exists.
    expect(putEvaluations().map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      ['healthy', 'COMPLIANT'],
    ]);
    // An entry without an ARN has no known owner: the account-level result does not claim COMPLIANT over it.
    expect(accountEvaluations()).toEqual([
      accountEvaluation('NON_COMPLIANT', ACCOUNT_ANNOTATION.notJudged('1 trail'), NOTIFIED),
    ]);
  });

  const oversized = () => loadFixture('oversized-trail.json');

  it('5. an oversized notification is answered for the item it names, not the newest one', async () => {
    new ConfigHistory()
      .record(
        historyAt(CAPTURED),
        historyAt(new Date(CAPTURED.getTime() + 3_600_000), (c) => delete c.cloudWatchLogsRoleArn),
      )
      .install(config);
    await handler(oversized());
    expect(putEvaluations()).toEqual([
      evaluation(
        'management-events',
        'COMPLIANT',
        `Integrated: the trail sends events to CloudWatch Logs log group ${LOG_GROUP}.`,
        CAPTURED,
      ),
    ]);
  });

  it('5. an old item Config sends after the rule is created is found although the last seven days hold none', async () => {
    new ConfigHistory().record(historyAt(CAPTURED)).install(config);
    vi.setSystemTime(new Date(CAPTURED.getTime() + 20 * 86_400_000));
    await handler(oversized());
    expect(putEvaluations().map((e) => e.ComplianceType)).toEqual(['COMPLIANT']);
    expect(historyCalls()).toBe(1);
  });

  it("6. a COMPLIANT delivering annotation shows CloudTrail's delivery error", async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({
      LatestCloudWatchLogsDeliveryTime: minutesAgo(150),
      LatestCloudWatchLogsDeliveryError: DELIVERY_ERROR,
    });
    new ConfigHistory().record(historyAt(daysAgo(40), () => {}, 'ResourceDiscovered')).install(config);
    await sweep();
    expect(putEvaluations()).toEqual([
      evaluation(
        'management-events',
        'COMPLIANT',
        `Integrated and delivering: last delivery to log group ${LOG_GROUP} was 2 hours ago (window 24 hours). Delivery error: ${DELIVERY_ERROR}`,
        NOW,
      ),
    ]);
  });
});

describe('issue 22, case 7: a log group or role created again after the last delivery', () => {
  /** Integrated as now for 40 days, last delivery 2 hours ago. */
  const deliveredTwoHoursAgo = () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: minutesAgo(120) });
    new ConfigHistory().record(historyAt(daysAgo(40), () => {}, 'ResourceDiscovered')).install(config);
  };

  it('7. a log group deleted and created again 90 minutes ago: the delivery 2 hours ago reached the old one', async () => {
    deliveredTwoHoursAgo();
    integrationResources({ logGroups: { [LOG_GROUP]: minutesAgo(90) } });
    await sweep();
    expect(putEvaluations()).toEqual([
      evaluation(
        'management-events',
        'NON_COMPLIANT',
        `Not delivering since the integration changed 90 minutes ago: last delivery to log group ${LOG_GROUP} was 2 hours ago, before the change.`,
        NOW,
      ),
    ]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: LOG_GROUP },
    ]);
  });

  it('7. a role created again 20 minutes ago: in grace, as a new integration', async () => {
    deliveredTwoHoursAgo();
    integrationResources({ roles: { AWSCloudTrailLogStream: minutesAgo(20) } });
    await sweep();
    expect(putEvaluations()).toEqual([evaluation('management-events', 'COMPLIANT', grace(20), NOW)]);
    expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleName: 'AWSCloudTrailLogStream' },
    ]);
  });

  it('7. resources created before the delivery leave it counted; a missing one proves nothing', async () => {
    deliveredTwoHoursAgo();
    integrationResources({
      logGroups: { [LOG_GROUP]: minutesAgo(121) },
      roles: { AWSCloudTrailLogStream: null },
    });
    await sweep();
    expect(putEvaluations().map((e) => e.Annotation)).toEqual([
      `Integrated and delivering: last delivery to log group ${LOG_GROUP} was 2 hours ago (window 24 hours).`,
    ]);
  });

  it('7. reads no creation time when CloudTrail never delivered', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    new ConfigHistory().record(historyAt(daysAgo(40), () => {}, 'ResourceDiscovered')).install(config);
    await sweep();
    expect(logs.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });
});

describe('the history read stays within its call budget', () => {
  it('takes the edit as the change (strict) when its predecessor is further back than ten calls reach', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: minutesAgo(100) });
    new ConfigHistory()
      .record(
        historyAt(daysAgo(200), () => {}, 'ResourceDiscovered'),
        historyAt(minutesAgo(90), tagEdit),
      )
      .install(config);
    await sweep();
    expect(historyCalls()).toBe(10);
    expect(putEvaluations()).toEqual([
      evaluation(
        'management-events',
        'NON_COMPLIANT',
        `Not delivering since the integration changed 90 minutes ago: last delivery to log group ${LOG_GROUP} was 100 minutes ago, before the change.`,
        NOW,
      ),
    ]);
  });

  it('leaves the trail unjudged (HistoryReadLimitError) when the window spans more than ten calls of history', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: daysAgo(80) });
    new ConfigHistory().record(historyAt(daysAgo(100), () => {}, 'ResourceDiscovered')).install(config);
    const run = handler(
      withParameters(
        withInvokingEvent('scheduled.json', (i) => (i.notificationCreationTime = NOW.toISOString())),
        { expectedDeliveryWindowAge: String(90 * 24) },
      ),
    );
    await expect(run).rejects.toThrow(TrailsNotJudgedError);
    await expect(run).rejects.toThrow(
      `management-events (HistoryReadLimitError: Config's history of ${TRAIL} management-events since ${daysAgo(80).toISOString()} did not fit in 10 GetResourceConfigHistory calls`,
    );
    expect(historyCalls()).toBe(10);
    expect(putEvaluations()).toEqual([]);
    expect(accountEvaluations()).toEqual([
      accountEvaluation('NON_COMPLIANT', ACCOUNT_ANNOTATION.notJudged('1 trail'), NOW),
    ]);
  });

  it('names a role the trail does not use as a different integration (the role ARN is compared whole)', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [theTrail()] });
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    new ConfigHistory()
      .record(
        historyAt(minutesAgo(30), (c) => (c.cloudWatchLogsRoleArn = `${ROLE_ARN}2`), 'ResourceDiscovered'),
      )
      .install(config);
    await sweep();
    // Config has not recorded the role the trail names now: taken as changed at the newest item, 30 minutes ago.
    expect(putEvaluations()).toEqual([evaluation('management-events', 'COMPLIANT', grace(30), NOW)]);
  });
});

describe('a sweep of trails with their own histories', () => {
  it('reads each trail by its own resource id', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('a'), sdkTrail('b')] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: minutesAgo(10) });
    const history = new ConfigHistory()
      .record(
        historyOf('a', daysAgo(3), () => {}, 'ResourceDiscovered'),
        historyOf('b', minutesAgo(5)),
      )
      .record(historyOf('b', daysAgo(3), (c) => (c.cloudWatchLogsRoleArn = OLD_ROLE), 'ResourceDiscovered'))
      .install(config);
    await sweep();
    expect(history.requestsFor('a')).toHaveLength(1);
    expect(history.requestsFor('b')).toHaveLength(2);
    expect(
      putEvaluations().map((e) => [e.ComplianceResourceId, e.ComplianceType, e.Annotation?.slice(0, 22)]),
    ).toEqual([
      ['a', 'COMPLIANT', 'Integrated and deliver'],
      ['b', 'COMPLIANT', 'Integrated with log gr'],
    ]);
  });
});
