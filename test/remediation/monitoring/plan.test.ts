import { describe, expect, it } from 'vitest';
import { MonitoringConflictError, MonitoringTopicRefusedError } from '../../../remediation/errors.js';
import { MONITORING_CONTROLS, type MonitoringControl } from '../../../remediation/monitoring/controls.js';
import {
  ALARM_SETTINGS,
  alarmNameFor,
  filterNameFor,
  metricNameFor,
} from '../../../remediation/monitoring/names.js';
import {
  assertTopicUsable,
  countSubscribers,
  monitoringWarnings,
  planMonitoring,
  qualificationProblems,
  summarizeMonitoring,
  summarizeNotQualified,
} from '../../../remediation/monitoring/plan.js';
import type {
  AlarmState,
  FieldSelectorState,
  MetricFilterState,
  MonitoringState,
  MonitoringTrailState,
} from '../../../remediation/monitoring/state.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const CALLER = { account: ACCOUNT, region: REGION };
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management-events`;
const LOG_GROUP = '/cloudtrail-logs-guard/management-events';
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:*`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cloudtrail-logs-guard-alarms`;
const METRIC = 'management-events/RootUserUsage';
function controlAt(index: number): MonitoringControl {
  const control = MONITORING_CONTROLS[index];
  if (control === undefined) throw new Error(`no control at ${index}`);
  return control;
}
const ROOT = controlAt(0);

const TRAIL: MonitoringTrailState = {
  arn: TRAIL_ARN,
  name: 'management-events',
  isMultiRegionTrail: true,
  isLogging: true,
  eventSelectors: [
    { readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] },
  ],
  advancedEventSelectors: [],
  logGroupArn: LOG_GROUP_ARN,
};

function ourFilter(control = ROOT): MetricFilterState {
  return {
    name: filterNameFor(control),
    pattern: control.filterPattern,
    transformations: [
      { namespace: 'cloudtrail-logs-guard', name: metricNameFor('management-events', control), value: '1' },
    ],
  };
}

function ourAlarm(control = ROOT, change: Partial<AlarmState> = {}): AlarmState {
  return {
    name: alarmNameFor('management-events', control),
    namespace: 'cloudtrail-logs-guard',
    metricName: metricNameFor('management-events', control),
    statistic: 'Sum',
    extendedStatistic: undefined,
    dimensions: [],
    unit: undefined,
    periodSeconds: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: undefined,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    actionsEnabled: true,
    alarmActions: [TOPIC],
    okActions: [],
    insufficientDataActions: [],
    usesMetricMath: false,
    createdByRemediation: true,
    ...change,
  };
}

const CONFIRMED = `${TOPIC}:0b4b5a4e-1111-2222-3333-444455556666`;
const NO_SUBSCRIBER_WARNING =
  `no confirmed subscriber: SNS topic ${TOPIC} has no confirmed subscription (none at all), so the alarms notify ` +
  "nobody and Security Hub's CloudWatch.1-14 controls fail until someone subscribes and confirms (aws sns " +
  `subscribe --topic-arn ${TOPIC} --protocol email --notification-endpoint <address>, or deploy with -c ` +
  'alarmEmail=<address>)';

function state(change: Partial<MonitoringState> = {}): MonitoringState {
  return {
    trail: TRAIL,
    logGroupName: LOG_GROUP,
    filters: [],
    alarms: [],
    subscriptionArns: [CONFIRMED],
    ...change,
  };
}

describe('qualificationProblems', () => {
  it('finds none for a logging multi-Region trail with all management events on its own log group', () => {
    expect(qualificationProblems(TRAIL, CALLER)).toEqual([]);
  });

  it.each([
    [{ isMultiRegionTrail: false }, 'it is not a multi-Region trail'],
    [{ isLogging: false }, 'it is not logging (StartLogging has not been called or it was stopped)'],
    [
      {
        eventSelectors: [
          { readWriteType: 'WriteOnly', includeManagementEvents: true, excludeManagementEventSources: [] },
        ],
      },
      'its event selectors do not log all read and write management events',
    ],
    [
      {
        eventSelectors: [
          { readWriteType: 'All', includeManagementEvents: false, excludeManagementEventSources: [] },
        ],
      },
      'its event selectors do not log all read and write management events',
    ],
    [
      {
        eventSelectors: [
          {
            readWriteType: 'All',
            includeManagementEvents: true,
            excludeManagementEventSources: ['kms.amazonaws.com'],
          },
        ],
      },
      'its event selectors do not log all read and write management events',
    ],
    [
      {
        eventSelectors: [],
        advancedEventSelectors: [
          [
            { field: 'eventCategory', equals: ['Management'] },
            { field: 'readOnly', equals: ['false'] },
          ],
        ],
      },
      'its event selectors do not log all read and write management events',
    ],
    ...[
      ['no field selector', []],
      ['eventCategory Data', [{ field: 'eventCategory', equals: ['Data'] }]],
      ['eventCategory with another value too', [{ field: 'eventCategory', equals: ['Management', 'Data'] }]],
      ['another field equal to Management', [{ field: 'eventType', equals: ['Management'] }]],
    ].map(
      ([, fields]) =>
        [
          { eventSelectors: [], advancedEventSelectors: [fields as FieldSelectorState[]] },
          'its event selectors do not log all read and write management events',
        ] as const,
    ),
    [
      { logGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:operators-own:*` },
      `its log group arn:aws:logs:${REGION}:${ACCOUNT}:log-group:operators-own:* is not one of the remediation's (/cloudtrail-logs-guard/* in ${ACCOUNT} ${REGION}), the only ones it may put metric filters on`,
    ],
    [
      { logGroupArn: `arn:aws:logs:${REGION}:444455556666:log-group:${LOG_GROUP}:*` },
      `its log group arn:aws:logs:${REGION}:444455556666:log-group:${LOG_GROUP}:* is not one of the remediation's (/cloudtrail-logs-guard/* in ${ACCOUNT} ${REGION}), the only ones it may put metric filters on`,
    ],
    [
      { logGroupArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}:*` },
      `its log group arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}:* is not one of the remediation's (/cloudtrail-logs-guard/* in ${ACCOUNT} ${REGION}), the only ones it may put metric filters on`,
    ],
    [
      { logGroupArn: 'not an ARN' },
      `its log group not an ARN is not one of the remediation's (/cloudtrail-logs-guard/* in ${ACCOUNT} ${REGION}), the only ones it may put metric filters on`,
    ],
  ] as const)('reports %j as "%s"', (change, problem) => {
    expect(qualificationProblems({ ...TRAIL, ...change }, CALLER)).toEqual([problem]);
  });

  it('accepts a classic selector without ReadWriteType, which CloudTrail reads as All', () => {
    const trail = {
      ...TRAIL,
      eventSelectors: [
        { readWriteType: undefined, includeManagementEvents: undefined, excludeManagementEventSources: [] },
      ],
    };
    expect(qualificationProblems(trail, CALLER)).toEqual([]);
  });

  it('accepts advanced selectors that select only eventCategory Management', () => {
    const trail = {
      ...TRAIL,
      eventSelectors: [],
      advancedEventSelectors: [[{ field: 'eventCategory', equals: ['Management'] }]],
    };
    expect(qualificationProblems(trail, CALLER)).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(
      qualificationProblems({ ...TRAIL, isMultiRegionTrail: false, isLogging: false }, CALLER),
    ).toHaveLength(2);
  });
});

describe('planMonitoring', () => {
  it('creates one filter and one alarm per control when none exists', () => {
    const steps = planMonitoring(state(), TOPIC);
    expect(steps).toHaveLength(28);
    expect(steps.every((step) => step.required)).toBe(true);
    expect(
      steps.filter((s) => s.operation.type === 'PutMetricFilter').map((s) => s.operation.control),
    ).toEqual(MONITORING_CONTROLS.map((c) => c.id));
    expect(steps.slice(0, 2)).toEqual([
      {
        operation: {
          type: 'PutMetricFilter',
          control: 'CloudWatch.1',
          logGroupName: LOG_GROUP,
          filterName: 'cloudtrail-logs-guard-CloudWatch.1-RootUserUsage',
          filterPattern: ROOT.filterPattern,
          namespace: 'cloudtrail-logs-guard',
          metricName: 'management-events/RootUserUsage',
        },
        required: true,
        detail: 'create: CloudWatch.1 usage of the "root" user',
      },
      {
        operation: {
          type: 'PutMetricAlarm',
          control: 'CloudWatch.1',
          alarmName: 'cloudtrail-logs-guard-management-events-CloudWatch.1-RootUserUsage',
          description: `CloudWatch.1: usage of the "root" user, from trail management-events (${ROOT.citation})`,
          namespace: 'cloudtrail-logs-guard',
          metricName: 'management-events/RootUserUsage',
          topicArn: TOPIC,
          tags: { 'managed-by': 'cloudtrail-logs-guard', 'cloudtrail-logs-guard:trail-arn': TRAIL_ARN },
        },
        required: true,
        detail: 'create: alarm on management-events/RootUserUsage',
      },
    ]);
  });

  it('requires nothing when every filter and alarm is present as the remediation made it', () => {
    const steps = planMonitoring(
      state({
        filters: MONITORING_CONTROLS.map((c) => ourFilter(c)),
        alarms: MONITORING_CONTROLS.map((c) => ourAlarm(c)),
      }),
      TOPIC,
    );
    expect(steps.filter((step) => step.required)).toEqual([]);
    expect(new Set(steps.map((step) => step.detail))).toEqual(new Set(['already present']));
  });

  const OTHER_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:other`;
  it.each<[Partial<AlarmState>, string]>([
    [{ namespace: 'LogMetrics' }, 'namespace'],
    [{ metricName: 'management-events/Other' }, 'metric'],
    [{ usesMetricMath: true }, 'metric'],
    [{ dimensions: [{ name: 'TrailName', value: 'management-events' }] }, 'dimensions'],
    [{ unit: 'Count' }, 'unit'],
    [{ statistic: 'Average' }, 'statistic'],
    [{ statistic: undefined, extendedStatistic: 'p99' }, 'statistic'],
    [{ evaluationPeriods: 3 }, 'evaluation periods'],
    [{ datapointsToAlarm: 2 }, 'datapoints to alarm'],
    [{ comparisonOperator: 'GreaterThanThreshold' }, 'comparison'],
    [{ threshold: 5 }, 'threshold'],
    [{ actionsEnabled: false }, 'actions disabled'],
    [{ actionsEnabled: undefined }, 'actions disabled'],
    [{ alarmActions: [OTHER_TOPIC] }, 'alarm actions'],
    [{ alarmActions: [TOPIC, OTHER_TOPIC] }, 'alarm actions'],
    [{ alarmActions: [] }, 'alarm actions'],
    [{ okActions: [TOPIC] }, 'OK actions'],
    [{ insufficientDataActions: [OTHER_TOPIC] }, 'insufficient data actions'],
    [{ treatMissingData: 'breaching', periodSeconds: 60 }, 'period, missing data'],
  ])('puts back its own alarm when %j drifted', (change, drift) => {
    const [, alarm] = planMonitoring(
      state({ filters: [ourFilter()], alarms: [ourAlarm(ROOT, change)] }),
      TOPIC,
    );
    expect(alarm).toMatchObject({
      required: true,
      detail: `restore the remediation's settings: ${drift}`,
    });
  });

  it('keeps an alarm whose DatapointsToAlarm equals its one evaluation period', () => {
    const [, alarm] = planMonitoring(
      state({ filters: [ourFilter()], alarms: [ourAlarm(ROOT, { datapointsToAlarm: 1 })] }),
      TOPIC,
    );
    expect(alarm).toMatchObject({ required: false, detail: 'already present' });
  });

  it.each(
    MONITORING_CONTROLS.filter((control) => control.previousPatterns.length > 0).map(
      (c) => [c.id, c] as const,
    ),
  )('updates in place its own %s filter that still has the earlier text of the pattern', (_, control) => {
    const [previous = ''] = control.previousPatterns;
    const steps = planMonitoring(
      state({
        filters: MONITORING_CONTROLS.map((c) =>
          c === control ? { ...ourFilter(c), pattern: previous } : ourFilter(c),
        ),
        alarms: MONITORING_CONTROLS.map((c) => ourAlarm(c)),
      }),
      TOPIC,
    );
    expect(steps.filter((step) => step.required)).toEqual([
      {
        operation: expect.objectContaining({
          type: 'PutMetricFilter',
          filterName: filterNameFor(control),
          filterPattern: control.filterPattern,
        }),
        required: true,
        detail: `update: earlier text of ${control.id}'s pattern replaced with AWS's current one`,
      },
    ]);
  });

  it("refuses a filter of its name with another control's earlier text", () => {
    const [iam] = MONITORING_CONTROLS.filter((control) => control.id === 'CloudWatch.4');
    const route = MONITORING_CONTROLS.find((control) => control.id === 'CloudWatch.13');
    if (iam === undefined || route === undefined) throw new Error('expected CloudWatch.4 and CloudWatch.13');
    const given = state({ filters: [{ ...ourFilter(iam), pattern: route.previousPatterns[0] ?? '' }] });
    expect(() => planMonitoring(given, TOPIC)).toThrow(MonitoringConflictError);
  });

  it.each([
    [
      'a filter of that name with another pattern',
      state({ filters: [{ ...ourFilter(), pattern: '{$.eventName=ConsoleLogin}' }] }),
      "metric filter cloudtrail-logs-guard-CloudWatch.1-RootUserUsage on /cloudtrail-logs-guard/management-events has another pattern or metric than CloudWatch.1's",
    ],
    [
      'a filter of that name with the earlier text of the pattern but another metric',
      state({
        filters: [
          {
            name: filterNameFor(controlAt(3)),
            pattern: controlAt(3).previousPatterns[0] ?? '',
            transformations: [{ namespace: 'LogMetrics', name: 'IamPolicyChanges', value: '1' }],
          },
        ],
      }),
      "metric filter cloudtrail-logs-guard-CloudWatch.4-IamPolicyChanges on /cloudtrail-logs-guard/management-events has another pattern or metric than CloudWatch.4's",
    ],
    [
      'a filter of that name publishing another metric',
      state({
        filters: [
          { ...ourFilter(), transformations: [{ namespace: 'LogMetrics', name: 'Root', value: '1' }] },
        ],
      }),
      "metric filter cloudtrail-logs-guard-CloudWatch.1-RootUserUsage on /cloudtrail-logs-guard/management-events has another pattern or metric than CloudWatch.1's",
    ],
    ...(
      [
        ['in another namespace', [{ namespace: 'LogMetrics', name: METRIC, value: '1' }]],
        ['under another name', [{ namespace: 'cloudtrail-logs-guard', name: 'Root', value: '1' }]],
        ['with another value', [{ namespace: 'cloudtrail-logs-guard', name: METRIC, value: '$.count' }]],
        [
          'and a second metric',
          [
            { namespace: 'cloudtrail-logs-guard', name: METRIC, value: '1' },
            { namespace: 'cloudtrail-logs-guard', name: 'Other', value: '1' },
          ],
        ],
        ['with no metric', []],
      ] as const
    ).map(([how, transformations]): [string, MonitoringState, string] => [
      `a filter of that name publishing its metric ${how}`,
      state({ filters: [{ ...ourFilter(), transformations }] }),
      "metric filter cloudtrail-logs-guard-CloudWatch.1-RootUserUsage on /cloudtrail-logs-guard/management-events has another pattern or metric than CloudWatch.1's",
    ]),
    [
      'an alarm of that name without the tag',
      state({ alarms: [ourAlarm(ROOT, { createdByRemediation: false })] }),
      "alarm cloudtrail-logs-guard-management-events-CloudWatch.1-RootUserUsage exists without the remediation's tag",
    ],
  ])('refuses, before any write, %s', (_, given, problem) => {
    expect(() => planMonitoring(given, TOPIC)).toThrow(MonitoringConflictError);
    expect(() => planMonitoring(given, TOPIC)).toThrow(
      `The CIS monitoring of trail ${TRAIL_ARN} was not set up, because names it would use are taken by resources it did not create: ${problem}. Rename or delete them, then run the remediation again.`,
    );
  });

  it('uses the documented alarm settings', () => {
    expect(ALARM_SETTINGS).toEqual({
      statistic: 'Sum',
      periodSeconds: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
  });
});

describe('assertTopicUsable', () => {
  it("accepts a topic of the caller's account and region", () => {
    expect(() => assertTopicUsable(TOPIC, CALLER)).not.toThrow();
  });

  it.each([
    ['another account', `arn:aws:sns:${REGION}:444455556666:alarms`],
    ['another region', `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`],
    ['a queue ARN, not a topic', `arn:aws:sqs:${REGION}:${ACCOUNT}:alarms`],
  ])('refuses a topic of %s, naming where the alarms are', (_, topic) => {
    expect(() => assertTopicUsable(topic, CALLER)).toThrow(
      new MonitoringTopicRefusedError(topic, ACCOUNT, REGION),
    );
    expect(() => assertTopicUsable(topic, CALLER)).toThrow(
      `The CIS monitoring was not set up and nothing was changed: SNS topic ${topic} is not a topic of account ${ACCOUNT} in region ${REGION}, where the trail's log group and its alarms are. Give MonitoringTopicArn (CLI: --monitoring-topic) a topic of account ${ACCOUNT} in ${REGION}, or leave it empty for the deployment's topic.`,
    );
  });
});

describe('countSubscribers and monitoringWarnings', () => {
  it.each<[string, string[], { confirmed: number; unconfirmed: number }]>([
    ['no subscription', [], { confirmed: 0, unconfirmed: 0 }],
    ['one pending confirmation', ['PendingConfirmation'], { confirmed: 0, unconfirmed: 1 }],
    ['one confirmed', [CONFIRMED], { confirmed: 1, unconfirmed: 0 }],
    ['one of each', ['PendingConfirmation', CONFIRMED], { confirmed: 1, unconfirmed: 1 }],
    ['a value that is not an ARN', ['Deleted'], { confirmed: 0, unconfirmed: 1 }],
  ])('counts %s', (_, arns, expected) => {
    expect(countSubscribers(arns)).toEqual(expected);
  });

  it('warns of a topic with no subscription at all', () => {
    expect(monitoringWarnings(TOPIC, { confirmed: 0, unconfirmed: 0 })).toEqual([NO_SUBSCRIBER_WARNING]);
  });

  it('warns of a topic whose only subscriptions are pending confirmation, and says how many', () => {
    expect(monitoringWarnings(TOPIC, { confirmed: 0, unconfirmed: 2 })).toEqual([
      NO_SUBSCRIBER_WARNING.replace('(none at all)', '(2 pending confirmation)'),
    ]);
  });

  it('does not warn once one subscription is confirmed', () => {
    expect(monitoringWarnings(TOPIC, { confirmed: 1, unconfirmed: 3 })).toEqual([]);
  });
});

describe('summarizeMonitoring', () => {
  const created = planMonitoring(state(), TOPIC);
  const present = planMonitoring(
    state({
      filters: MONITORING_CONTROLS.map((c) => ourFilter(c)),
      alarms: MONITORING_CONTROLS.map((c) => ourAlarm(c)),
    }),
    TOPIC,
  );

  it.each([
    [created, false, 'EQUIPPED', 'applied'],
    [created, true, 'PLANNED', 'planned'],
    [present, false, 'ALREADY_EQUIPPED', 'skipped'],
    [present, true, 'ALREADY_EQUIPPED', 'skipped'],
  ] as const)('reports %#: outcome %s, actions %s', (steps, dryRun, outcome, status) => {
    const summary = summarizeMonitoring(steps, TOPIC, { confirmed: 1, unconfirmed: 0 }, dryRun);
    expect(summary.outcome).toBe(outcome);
    expect(summary.subscribers).toEqual({ confirmed: 1, unconfirmed: 0 });
    expect(summary).not.toHaveProperty('warnings');
    expect(summary.topicArn).toBe(TOPIC);
    expect(summary.actions).toHaveLength(28);
    expect(new Set(summary.actions.map((action) => action.status))).toEqual(new Set([status]));
    expect(summary.actions[0]?.resource).toBe(
      `${LOG_GROUP}/cloudtrail-logs-guard-CloudWatch.1-RootUserUsage`,
    );
    expect(summary.actions[1]?.resource).toBe(
      'cloudtrail-logs-guard-management-events-CloudWatch.1-RootUserUsage',
    );
  });

  it('reports EQUIPPED when only some steps were required, and skips the others', () => {
    const [filter, alarm] = planMonitoring(state({ filters: [ourFilter()] }), TOPIC);
    if (filter === undefined || alarm === undefined) throw new Error('expected a filter and an alarm step');
    const summary = summarizeMonitoring([filter, alarm], TOPIC, { confirmed: 1, unconfirmed: 0 }, false);
    expect(summary.outcome).toBe('EQUIPPED');
    expect(summary.actions.map((action) => action.status)).toEqual(['skipped', 'applied']);
  });

  it.each([true, false])('carries the no-subscriber warning (dry run %s)', (dryRun) => {
    const summary = summarizeMonitoring(created, TOPIC, { confirmed: 0, unconfirmed: 0 }, dryRun);
    expect(summary.warnings).toEqual([NO_SUBSCRIBER_WARNING]);
    expect(summary.subscribers).toEqual({ confirmed: 0, unconfirmed: 0 });
  });

  it('reports a trail that does not qualify with its reasons and no action', () => {
    expect(summarizeNotQualified(['it is not a multi-Region trail'], TOPIC)).toEqual({
      outcome: 'NOT_QUALIFIED',
      topicArn: TOPIC,
      actions: [],
      problems: [
        'it is not a multi-Region trail',
        'see https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1',
      ],
    });
  });
});
