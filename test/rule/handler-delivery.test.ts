import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import {
  type ConfigurationItem as ApiConfigurationItem,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ANNOTATION } from '../../rule/account-result.js';
import { TrailsNotJudgedError, UnexpectedResponseError } from '../../rule/errors.js';
import { handler } from '../../rule/handler.js';
import { ConfigHistory } from './config-history.js';
import {
  ACCOUNT,
  ACCOUNT_TYPE,
  accountCall,
  accountEvaluation,
  CAPTURED,
  evaluation,
  historyAt,
  historyItem,
  historyOf,
  LOG_GROUP,
  LOG_GROUP_ARN,
  loadFixture,
  NOTIFIED,
  type RawRuleEvent,
  sdkTrail,
  TRAIL,
  TRAIL_ARN,
  trailChangeEvent,
  withInvokingEvent,
  withParameters,
} from './fixtures.js';
import { cloudTrail, config, freshRuleAws, putInputs } from './rule-aws.js';

/** The optional delivery check (`expectedDeliveryWindowAge`): freshness, grace and the integration's changes. */

/** A sweep's account-level evaluation when its one owned trail, management-events, got `complianceType`. */
const accountOfOne = (complianceType: string, at: Date = NOTIFIED) =>
  complianceType === 'NON_COMPLIANT'
    ? accountEvaluation(
        'NON_COMPLIANT',
        'NON_COMPLIANT trails of this account with their home region here: 1 of 1 (management-events).',
        at,
      )
    : accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail'), at);

beforeEach(() => {
  freshRuleAws();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('handler: delivery check (expectedDeliveryWindowAge)', () => {
  const NOW = new Date('2026-11-29T12:00:00.000Z');
  const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
  const deliveryError = 'Access denied. Verify in IAM that the role has adequate permissions.';

  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'COMPLIANT when delivered within the window',
      { LatestCloudWatchLogsDeliveryTime: hoursAgo(2) },
      'COMPLIANT',
      `Integrated and delivering: last delivery to log group ${LOG_GROUP} was 2 hours ago (window 24 hours).`,
    ],
    [
      'NON_COMPLIANT with the delivery error when the last delivery (3 days ago) predates the integration the diff sets',
      { LatestCloudWatchLogsDeliveryTime: hoursAgo(72), LatestCloudWatchLogsDeliveryError: deliveryError },
      'NON_COMPLIANT',
      `Not delivering since the integration changed 3 hours ago: last delivery to log group ${LOG_GROUP} was 3 days ago, before the change. Delivery error: ${deliveryError}`,
    ],
    [
      'NON_COMPLIANT when nothing was ever delivered and the change is hours old',
      {},
      'NON_COMPLIANT',
      `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 24 hours).`,
    ],
  ])('change event: %s', async (_case, status, complianceType, annotation) => {
    cloudTrail.on(GetTrailStatusCommand).resolves(status);
    await handler(withParameters(trailChangeEvent(), { expectedDeliveryWindowAge: '24' }));
    expect(cloudTrail.commandCalls(GetTrailStatusCommand).map((call) => call.args[0].input)).toEqual([
      { Name: TRAIL_ARN },
    ]);
    expect(config.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(0);
    expect(putInputs()[0]?.Evaluations).toEqual([
      evaluation('management-events', complianceType, annotation, CAPTURED),
    ]);
  });

  it('cuts an overlong annotation to 256 characters ending in an ellipsis when it is sent', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryError: 'x'.repeat(300) });
    await handler(withParameters(trailChangeEvent(), { expectedDeliveryWindowAge: '24' }));
    const prefix = `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 24 hours). Delivery error: `;
    expect(putInputs()[0]?.Evaluations).toEqual([
      evaluation(
        'management-events',
        'NON_COMPLIANT',
        `${prefix}${'x'.repeat(255 - prefix.length)}…`,
        CAPTURED,
      ),
    ]);
  });

  const TAG_EDIT = {
    changedProperties: {
      'SupplementaryConfiguration.Tags.team': {
        previousValue: null,
        updatedValue: 'ops',
        changeType: 'CREATE',
      },
    },
    changeType: 'UPDATE',
  };
  const changeEventWith = (diff: unknown) =>
    withParameters(
      withInvokingEvent('change-trail.json', (i) => {
        i.configurationItemDiff = diff;
      }),
      { expectedDeliveryWindowAge: '1' },
    );
  const grace = (minutes: number) =>
    `Integrated with log group ${LOG_GROUP}, changed ${minutes} minutes ago: no delivery yet, within the 60-minute grace for a first delivery.`;

  const DAY_MS = 86_400_000;
  const unintegratedBefore = (c: Record<string, unknown>) => {
    delete c.cloudWatchLogsLogGroupArn;
    delete c.cloudWatchLogsRoleArn;
  };
  /** The event's item at CAPTURED, after an item 10 days older with the same integration (or none). */
  const integratedSince10Days = () => [
    historyAt(new Date(CAPTURED.getTime() - 10 * DAY_MS)),
    historyAt(CAPTURED),
  ];
  const integratedAtCapture = () => [
    historyAt(new Date(CAPTURED.getTime() - 10 * DAY_MS), unintegratedBefore),
    historyAt(CAPTURED),
  ];

  it.each<[string, unknown, Record<string, unknown>, () => ApiConfigurationItem[], number, string, string]>([
    [
      'grace when the diff shows the integration set minutes ago (never delivered)',
      'fixture',
      {},
      integratedAtCapture,
      0,
      'COMPLIANT',
      grace(7),
    ],
    [
      'grace when the diff shows the integration re-pointed minutes ago (old delivery before it)',
      'fixture',
      { LatestCloudWatchLogsDeliveryTime: new Date(CAPTURED.getTime() - 3 * DAY_MS) },
      integratedAtCapture,
      0,
      'COMPLIANT',
      grace(7),
    ],
    [
      'NON_COMPLIANT when stale 3 days and the change minutes ago was unrelated (a tag edit)',
      TAG_EDIT,
      { LatestCloudWatchLogsDeliveryTime: new Date(CAPTURED.getTime() - 3 * DAY_MS) },
      integratedSince10Days,
      1,
      'NON_COMPLIANT',
      `Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 1 hour window.`,
    ],
    [
      'NON_COMPLIANT when never delivered and the change minutes ago was unrelated (a tag edit)',
      TAG_EDIT,
      {},
      integratedSince10Days,
      1,
      'NON_COMPLIANT',
      `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 1 hour).`,
    ],
    [
      'grace without a diff when CloudTrail never delivered and the history shows the integration set by the item',
      null,
      {},
      integratedAtCapture,
      // The span, then the predecessor: its first seven days back hold only the item itself, the next page it.
      3,
      'COMPLIANT',
      grace(7),
    ],
    [
      'NON_COMPLIANT without a diff when CloudTrail delivered before (stale 3 days) to the same integration',
      null,
      { LatestCloudWatchLogsDeliveryTime: new Date(CAPTURED.getTime() - 3 * DAY_MS) },
      integratedSince10Days,
      3,
      'NON_COMPLIANT',
      `Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 1 hour window.`,
    ],
  ])(
    'change event 7 minutes after capture: %s',
    async (_case, diff, status, items, historyCalls, complianceType, annotation) => {
      vi.setSystemTime(new Date(CAPTURED.getTime() + 7 * 60_000));
      cloudTrail.on(GetTrailStatusCommand).resolves(status);
      new ConfigHistory().record(...items()).install(config);
      await handler(
        diff === 'fixture'
          ? withParameters(trailChangeEvent(), { expectedDeliveryWindowAge: '1' })
          : changeEventWith(diff),
      );
      expect(config.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(historyCalls);
      expect(putInputs()[0]?.Evaluations).toEqual([
        evaluation('management-events', complianceType, annotation, CAPTURED),
      ]);
    },
  );

  it.each<[string, () => RawRuleEvent]>([
    ['a trail without integration', () => trailChangeEvent((c) => delete c.cloudWatchLogsRoleArn)],
    [
      'a copy from another region',
      () =>
        trailChangeEvent((c) => {
          c.homeRegion = 'eu-west-1';
          c.trailARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/management-events`;
        }),
    ],
    [
      'a deleted trail',
      () => {
        const raw = loadFixture<RawRuleEvent>('change-trail.json');
        return {
          ...raw,
          invokingEvent: raw.invokingEvent.replace(
            '"configurationItemStatus":"OK"',
            '"configurationItemStatus":"ResourceDeleted"',
          ),
        };
      },
    ],
  ])('change event: calls no CloudTrail API for %s', async (_case, makeEvent) => {
    await handler(withParameters(makeEvent(), { expectedDeliveryWindowAge: '24' }));
    expect(cloudTrail.calls()).toHaveLength(0);
    expect(putInputs()).toHaveLength(1);
  });

  it('sweep: calls GetTrailStatus only for owned integrated trails', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('a'),
        sdkTrail('b', { CloudWatchLogsRoleArn: undefined }),
        sdkTrail('c', {
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/c`,
        }),
        sdkTrail('d'),
      ],
    });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: hoursAgo(1) });
    new ConfigHistory()
      .record(
        ...['a', 'b', 'c', 'd'].map((name) => historyOf(name, hoursAgo(48), () => {}, 'ResourceDiscovered')),
      )
      .install(config);
    await handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '6' }));
    expect(cloudTrail.commandCalls(GetTrailStatusCommand).map((call) => call.args[0].input.Name)).toEqual([
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/a`,
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/d`,
    ]);
    expect(config.commandCalls(GetResourceConfigHistoryCommand).map((call) => call.args[0].input)).toEqual([
      // Delivered an hour ago: only what Config recorded since then can tell a change after the delivery.
      { resourceType: TRAIL, resourceId: 'a', earlierTime: hoursAgo(1), limit: 100 },
      { resourceType: TRAIL, resourceId: 'd', earlierTime: hoursAgo(1), limit: 100 },
    ]);
    expect(
      putInputs().map((input) => input.Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])),
    ).toEqual([
      [
        ['a', 'COMPLIANT'],
        ['b', 'NON_COMPLIANT'],
        ['d', 'COMPLIANT'],
      ],
      [[ACCOUNT, 'NON_COMPLIANT']],
    ]);
  });

  const unintegrated = (c: Record<string, unknown>) => {
    delete c.cloudWatchLogsLogGroupArn;
    delete c.cloudWatchLogsRoleArn;
  };
  const threeDaysAgo = { LatestCloudWatchLogsDeliveryTime: hoursAgo(72) };

  it.each<[string, Record<string, unknown>, ApiConfigurationItem[], number, string, string]>([
    [
      'grace: the latest change (30 minutes ago) set the integration',
      {},
      [historyAt(hoursAgo(0.5)), historyAt(hoursAgo(48), unintegrated)],
      2,
      'COMPLIANT',
      `Integrated with log group ${LOG_GROUP}, changed 30 minutes ago: no delivery yet, within the 60-minute grace for a first delivery.`,
    ],
    [
      'grace: the only item Config has is 30 minutes old and CloudTrail never delivered',
      {},
      [historyAt(hoursAgo(0.5))],
      2,
      'COMPLIANT',
      `Integrated with log group ${LOG_GROUP}, changed 30 minutes ago: no delivery yet, within the 60-minute grace for a first delivery.`,
    ],
    [
      'NON_COMPLIANT: stale 3 days, the latest change (30 minutes ago) left the integration as it was',
      threeDaysAgo,
      [historyAt(hoursAgo(0.5)), historyAt(hoursAgo(48))],
      2,
      'NON_COMPLIANT',
      `Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 24 hours window.`,
    ],
    [
      'NON_COMPLIANT: never delivered, the latest change (30 minutes ago) left the integration as it was',
      {},
      [historyAt(hoursAgo(0.5)), historyAt(hoursAgo(48))],
      2,
      'NON_COMPLIANT',
      `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 24 hours).`,
    ],
    [
      'NON_COMPLIANT: stale 3 days, the only item Config has is 30 minutes old',
      threeDaysAgo,
      [historyAt(hoursAgo(0.5))],
      2,
      'NON_COMPLIANT',
      `Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 24 hours window.`,
    ],
  ])(
    'sweep: reads the recent history of an undelivered trail; %s',
    async (_case, status, items, historyCalls, complianceType, annotation) => {
      cloudTrail.on(DescribeTrailsCommand).resolves({
        trailList: [sdkTrail('management-events', { CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })],
      });
      cloudTrail.on(GetTrailStatusCommand).resolves(status);
      new ConfigHistory().record(...items).install(config);
      await handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
      const horizon = 'LatestCloudWatchLogsDeliveryTime' in status ? hoursAgo(24) : hoursAgo(1);
      const requests = config.commandCalls(GetResourceConfigHistoryCommand).map((call) => call.args[0].input);
      expect(requests).toHaveLength(historyCalls);
      expect(requests[0]).toEqual({
        resourceType: TRAIL,
        resourceId: 'management-events',
        earlierTime: horizon,
        limit: 100,
      });
      expect(putInputs()).toEqual([
        {
          ResultToken: 'myResultToken',
          Evaluations: [evaluation('management-events', complianceType, annotation, NOTIFIED)],
        },
        accountCall(accountOfOne(complianceType)),
      ]);
    },
  );

  it.each<[string, ApiConfigurationItem, string]>([
    [
      'without capture time',
      { ...historyItem(), configurationItemCaptureTime: undefined },
      'Unexpected config:GetResourceConfigHistory response: a configuration item of AWS::CloudTrail::Trail management-events has no capture time.',
    ],
    [
      'with a configuration that is not JSON',
      { ...historyItem(), configuration: '{' },
      'Unexpected config:GetResourceConfigHistory response: the configuration of AWS::CloudTrail::Trail management-events is not valid JSON.',
    ],
  ])(
    'sweep: leaves the trail unjudged on a history item %s and fails naming it (UnexpectedResponseError)',
    async (_case, item, message) => {
      cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('management-events')] });
      cloudTrail.on(GetTrailStatusCommand).resolves({});
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [item] });
      const run = handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
      await expect(run).rejects.toThrow(TrailsNotJudgedError);
      await expect(run).rejects.toThrow(
        `Could not judge 1 trail(s), which keep their earlier results; every other trail was reported: management-events (UnexpectedResponseError: ${message}). Fix the cause named for each trail, then re-run the rule evaluation.`,
      );
      await expect(run).rejects.toMatchObject({ errors: [expect.any(UnexpectedResponseError)] });
      // The trail keeps its stored result; the account-level result says it could not be judged (fail closed).
      expect(putInputs()).toEqual([
        accountCall(accountEvaluation('NON_COMPLIANT', ACCOUNT_ANNOTATION.notJudged('1 trail'))),
      ]);
    },
  );

  it('sweep: reads the history of a trail stored under its ARN by that ARN', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('management-events')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: TRAIL_ARN },
          },
        },
      ],
    });
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    new ConfigHistory()
      .record({ ...historyAt(hoursAgo(48), () => {}, 'ResourceDiscovered'), resourceId: TRAIL_ARN })
      .install(config);
    await handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
    expect(config.commandCalls(GetResourceConfigHistoryCommand).map((call) => call.args[0].input)).toEqual([
      { resourceType: TRAIL, resourceId: TRAIL_ARN, earlierTime: hoursAgo(1), limit: 100 },
    ]);
    expect(
      putInputs().map((input) => input.Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])),
    ).toEqual([[[TRAIL_ARN, 'NON_COMPLIANT']], [[ACCOUNT, 'NON_COMPLIANT']]]);
  });

  it('sweep: stays strict when Config never discovered the trail', async () => {
    cloudTrail
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [sdkTrail('management-events', { CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: hoursAgo(30) });
    config
      .on(GetResourceConfigHistoryCommand)
      .rejects(
        Object.assign(new Error('Resource not discovered'), { name: 'ResourceNotDiscoveredException' }),
      );
    await handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation(
            'management-events',
            'NON_COMPLIANT',
            `Not delivering: last delivery to log group ${LOG_GROUP} was 30 hours ago, beyond the 24 hours window.`,
            NOTIFIED,
          ),
        ],
      },
      accountCall(accountOfOne('NON_COMPLIANT')),
    ]);
  });
});

describe('handler: a delivery made before the integration changed', () => {
  const deliveryError = 'Access denied. Verify in IAM that the role has adequate permissions.';
  const OLD_ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailOld`;
  const minutesAfterCapture = (minutes: number) => new Date(CAPTURED.getTime() + minutes * 60_000);
  /** A delivering trail re-pointed at another role: Config's diff shows the role ARN updated. */
  const rolePointedElsewhere = () =>
    withParameters(
      withInvokingEvent('change-trail.json', (i) => {
        i.configurationItemDiff = {
          changedProperties: {
            'Configuration.CloudWatchLogsRoleArn': {
              previousValue: OLD_ROLE,
              updatedValue: i.configurationItem.configuration.cloudWatchLogsRoleArn,
              changeType: 'UPDATE',
            },
          },
          changeType: 'UPDATE',
        };
      }),
      { expectedDeliveryWindowAge: '24' },
    );
  // Delivered to the old role's integration 7 minutes before the change.
  const delivered = { LatestCloudWatchLogsDeliveryTime: minutesAfterCapture(-7) };
  const withError = { ...delivered, LatestCloudWatchLogsDeliveryError: deliveryError };
  const grace = (minutes: number) =>
    `Integrated with log group ${LOG_GROUP}, changed ${minutes} minute${minutes === 1 ? '' : 's'} ago: no delivery yet, within the 60-minute grace for a first delivery.`;
  const predates = `Not delivering since the integration changed 90 minutes ago: last delivery to log group ${LOG_GROUP} was 97 minutes ago, before the change.`;

  it.each<[string, number, Record<string, unknown>, string, string]>([
    ['COMPLIANT in grace a minute after the change', 1, delivered, 'COMPLIANT', grace(1)],
    [
      'COMPLIANT in grace a minute after the change, naming the delivery error',
      1,
      withError,
      'COMPLIANT',
      `${grace(1)} Delivery error: ${deliveryError}`,
    ],
    ['NON_COMPLIANT 90 minutes after the change', 90, delivered, 'NON_COMPLIANT', predates],
    [
      'NON_COMPLIANT 90 minutes after the change, naming the delivery error',
      90,
      withError,
      'NON_COMPLIANT',
      `${predates} Delivery error: ${deliveryError}`,
    ],
  ])('change event: %s', async (_case, minutes, status, complianceType, annotation) => {
    vi.useFakeTimers({ now: minutesAfterCapture(minutes), toFake: ['Date'] });
    cloudTrail.on(GetTrailStatusCommand).resolves(status);
    await handler(rolePointedElsewhere());
    expect(config.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(0);
    expect(putInputs()).toEqual([
      {
        Evaluations: [evaluation('management-events', complianceType, annotation, CAPTURED)],
        ResultToken: 'myResultToken',
      },
    ]);
  });

  it('sweep: finds the role change behind a later tag edit and does not count the delivery before it', async () => {
    const notified = minutesAfterCapture(90);
    vi.useFakeTimers({ now: notified, toFake: ['Date'] });
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [sdkTrail('management-events', { CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })],
    });
    cloudTrail.on(GetTrailStatusCommand).resolves(withError);
    new ConfigHistory()
      .record(
        historyAt(minutesAfterCapture(60), (c) => (c.logFileValidationEnabled = false)),
        historyAt(CAPTURED),
        historyAt(minutesAfterCapture(-2 * 24 * 60), (c) => (c.cloudWatchLogsRoleArn = OLD_ROLE)),
      )
      .install(config);
    await handler(
      withParameters(
        withInvokingEvent('scheduled.json', (i) => {
          i.notificationCreationTime = notified.toISOString();
        }),
        { expectedDeliveryWindowAge: '24' },
      ),
    );
    expect(putInputs()).toEqual([
      {
        Evaluations: [
          evaluation(
            'management-events',
            'NON_COMPLIANT',
            `${predates} Delivery error: ${deliveryError}`,
            notified,
          ),
        ],
        ResultToken: 'myResultToken',
      },
      accountCall(accountOfOne('NON_COMPLIANT', notified)),
    ]);
  });
});

describe('handler: a grace verdict is judged again', () => {
  const minutesAfterCapture = (minutes: number) => new Date(CAPTURED.getTime() + minutes * 60_000);
  const sweepAt = (notified: Date) =>
    withParameters(
      withInvokingEvent('scheduled.json', (i) => {
        i.notificationCreationTime = notified.toISOString();
      }),
      { expectedDeliveryWindowAge: '24' },
    );

  it('by the next hourly sweep: COMPLIANT in grace 7 minutes after the change, NON_COMPLIANT 67 minutes after it', async () => {
    cloudTrail.on(GetTrailStatusCommand).resolves({});
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [sdkTrail('management-events', { CloudWatchLogsLogGroupArn: LOG_GROUP_ARN })],
    });
    new ConfigHistory()
      .record(
        historyAt(CAPTURED),
        historyAt(minutesAfterCapture(-2 * 24 * 60), (c) => {
          delete c.cloudWatchLogsLogGroupArn;
          delete c.cloudWatchLogsRoleArn;
        }),
      )
      .install(config);

    vi.useFakeTimers({ now: minutesAfterCapture(7), toFake: ['Date'] });
    await handler(withParameters(trailChangeEvent(), { expectedDeliveryWindowAge: '24' }));
    // The hourly periodic trigger (infra/trail-rule.ts) runs within the hour after that verdict.
    const notified = minutesAfterCapture(67);
    vi.setSystemTime(notified);
    await handler(sweepAt(notified));

    expect(putInputs()).toEqual([
      {
        Evaluations: [
          evaluation(
            'management-events',
            'COMPLIANT',
            `Integrated with log group ${LOG_GROUP}, changed 7 minutes ago: no delivery yet, within the 60-minute grace for a first delivery.`,
            CAPTURED,
          ),
        ],
        ResultToken: 'myResultToken',
      },
      {
        Evaluations: [
          evaluation(
            'management-events',
            'NON_COMPLIANT',
            `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 24 hours).`,
            notified,
          ),
        ],
        ResultToken: 'myResultToken',
      },
      accountCall(accountOfOne('NON_COMPLIANT', notified)),
    ]);
  });
});

describe('handler: an hourly sweep reports only what Config does not already hold', () => {
  const NOW = new Date('2026-11-29T12:00:00.000Z');
  const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
  const NAMES = ['alpha', 'bravo', 'charlie'] as const;
  const arnOf = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
  const delivering = (name: string, age: string) =>
    `Integrated and delivering: last delivery to log group ${name} was ${age} ago (window 24 hours).`;
  /** Config's stored result of the previous hourly sweep: delivering, as it was an hour ago. */
  const storedResult = (name: string, recordedHoursAgo: number) => ({
    EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: name } },
    ComplianceType: 'COMPLIANT' as const,
    Annotation: delivering(name, '1 hour'),
    ResultRecordedTime: hoursAgo(recordedHoursAgo),
    ConfigRuleInvokedTime: hoursAgo(recordedHoursAgo),
  });
  /** Config's stored account-level result of the previous sweep: the three trails judged, none NON_COMPLIANT. */
  const storedAccount = {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: { ResourceType: ACCOUNT_TYPE, ResourceId: ACCOUNT },
    },
    ComplianceType: 'COMPLIANT' as const,
    Annotation: ACCOUNT_ANNOTATION.judged('3 trails'),
    ResultRecordedTime: hoursAgo(1),
    ConfigRuleInvokedTime: hoursAgo(1),
  };
  /** Each trail's last delivery, hours ago. */
  const sweepWith = async (
    deliveredHoursAgo: Record<string, number>,
    recordedHoursAgo: Record<string, number>,
  ) => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: NAMES.map((name) => sdkTrail(name)) });
    cloudTrail.on(GetTrailStatusCommand).callsFake((input: { Name: string }) => {
      const name = NAMES.find((candidate) => arnOf(candidate) === input.Name) as string;
      return { LatestCloudWatchLogsDeliveryTime: hoursAgo(deliveredHoursAgo[name] as number) };
    });
    new ConfigHistory()
      .record(...NAMES.map((name) => historyOf(name, hoursAgo(48), () => {}, 'ResourceDiscovered')))
      .install(config);
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        ...NAMES.map((name) => storedResult(name, recordedHoursAgo[name] as number)),
        storedAccount,
      ],
    });
    await handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
  };

  it('sends no PutEvaluations when every verdict is the one Config recorded an hour ago', async () => {
    await sweepWith({ alpha: 2, bravo: 2, charlie: 2 }, { alpha: 1, bravo: 1, charlie: 1 });
    expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toHaveLength(3);
    expect(config.commandCalls(PutEvaluationsCommand)).toHaveLength(0);
  });

  it('reports only the one of three trails whose verdict changed (delivering -> stale), and the account-level result it changes', async () => {
    await sweepWith({ alpha: 2, bravo: 2, charlie: 30 }, { alpha: 1, bravo: 1, charlie: 1 });
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation(
            'charlie',
            'NON_COMPLIANT',
            'Not delivering: last delivery to log group charlie was 30 hours ago, beyond the 24 hours window.',
            NOTIFIED,
          ),
        ],
      },
      accountCall(
        accountEvaluation(
          'NON_COMPLIANT',
          'NON_COMPLIANT trails of this account with their home region here: 1 of 3 (charlie).',
        ),
      ),
    ]);
  });

  it('re-stamps an unchanged verdict once Config recorded it 23 hours ago, and only that one', async () => {
    await sweepWith({ alpha: 2, bravo: 2, charlie: 2 }, { alpha: 1, bravo: 23, charlie: 22 });
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [evaluation('bravo', 'COMPLIANT', delivering('bravo', '2 hours'), NOTIFIED)],
      },
    ]);
  });

  it('reports every verdict in a test-mode sweep, which reads no stored result', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('alpha')] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ LatestCloudWatchLogsDeliveryTime: hoursAgo(2) });
    new ConfigHistory()
      .record(historyOf('alpha', hoursAgo(48), () => {}, 'ResourceDiscovered'))
      .install(config);
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [storedResult('alpha', 1)] });
    await handler(
      withParameters(
        { ...loadFixture('scheduled.json'), resultToken: 'TESTMODE' },
        { expectedDeliveryWindowAge: '24' },
      ),
    );
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(putInputs()).toEqual([
      {
        ResultToken: 'TESTMODE',
        TestMode: true,
        Evaluations: [evaluation('alpha', 'COMPLIANT', delivering('alpha', '2 hours'), NOTIFIED)],
      },
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail')), 'TESTMODE'),
    ]);
  });
});
