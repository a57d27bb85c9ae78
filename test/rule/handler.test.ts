import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  TrailNotFoundException,
} from '@aws-sdk/client-cloudtrail';
import {
  type ConfigurationItem as ApiConfigurationItem,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ANNOTATION } from '../../rule/account-result.js';
import { clientRegion, ruleClientsFor } from '../../rule/clients.js';
import {
  AccessDeniedError,
  ConfigurationItemNotFoundError,
  InvalidEventError,
  InvalidRuleParameterError,
  PutEvaluationsError,
  RuleRunError,
  TrailsNotJudgedError,
  UnexpectedResponseError,
} from '../../rule/errors.js';
import type { Judgement } from '../../rule/evaluate.js';
import { handler } from '../../rule/handler.js';
import { ConfigHistory } from './config-history.js';
import {
  ACCOUNT,
  accountCall,
  accountEvaluation,
  CAPTURED,
  evaluation,
  historyAt,
  historyItem,
  LOG_GROUP,
  loadFixture,
  NOTIFIED,
  type RawRuleEvent,
  ROLE_ARN,
  RULE,
  sdkTrail,
  TRAIL,
  TRAIL_ARN,
  trailChangeEvent,
  withInvokingEvent,
  withParameters,
} from './fixtures.js';
import { cloudTrail, config, freshRuleAws, putInputs } from './rule-aws.js';

const ANNOTATIONS = {
  integrated: (logGroup = LOG_GROUP) =>
    `Integrated: the trail sends events to CloudWatch Logs log group ${logGroup}.`,
  notConfigured:
    'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
};

const denied = (name = 'AccessDeniedException') =>
  Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/rule is not authorized'), { name });

beforeEach(() => {
  freshRuleAws();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('handler: configuration change', () => {
  it('makes exactly one AWS call, PutEvaluations, when expectedDeliveryWindowAge is unset', async () => {
    await handler(trailChangeEvent());
    expect(config.calls()).toHaveLength(1);
    expect(cloudTrail.calls()).toHaveLength(0);
    expect(putInputs()).toEqual([
      {
        Evaluations: [evaluation('management-events', 'COMPLIANT', ANNOTATIONS.integrated(), CAPTURED)],
        ResultToken: 'myResultToken',
      },
    ]);
  });

  it('reports NON_COMPLIANT for a trail without integration', async () => {
    await handler(
      trailChangeEvent((c) => {
        c.cloudWatchLogsLogGroupArn = null;
        c.cloudWatchLogsRoleArn = null;
      }),
    );
    expect(putInputs()[0]?.Evaluations).toEqual([
      evaluation('management-events', 'NON_COMPLIANT', ANNOTATIONS.notConfigured, CAPTURED),
    ]);
  });

  it('sets TestMode for the TESTMODE result token', async () => {
    await handler({ ...trailChangeEvent(), resultToken: 'TESTMODE' });
    expect(putInputs()[0]).toMatchObject({ ResultToken: 'TESTMODE', TestMode: true });
  });

  it('reports another resource type NOT_APPLICABLE with its own ordering timestamp', async () => {
    await handler(loadFixture('change-ec2-instance.json'));
    expect(putInputs()[0]?.Evaluations).toEqual([
      {
        ComplianceResourceType: 'AWS::EC2::Instance',
        ComplianceResourceId: 'i-00000000',
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: 'This rule evaluates only AWS::CloudTrail::Trail; AWS::EC2::Instance is not applicable.',
        OrderingTimestamp: new Date('2016-02-17T01:36:34.043Z'),
      },
    ]);
  });
});

describe('handler: configuration change verdicts', () => {
  it.each<[string, unknown, boolean, Judgement]>([
    [
      'COMPLIANT for an integrated trail',
      trailChangeEvent(),
      false,
      {
        complianceType: 'COMPLIANT',
        annotation: `Integrated: the trail sends events to CloudWatch Logs log group ${LOG_GROUP}.`,
      },
    ],
    [
      'NON_COMPLIANT when neither log group nor role is set',
      trailChangeEvent((c) => {
        delete c.cloudWatchLogsLogGroupArn;
        delete c.cloudWatchLogsRoleArn;
      }),
      false,
      {
        complianceType: 'NON_COMPLIANT',
        annotation:
          'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
      },
    ],
    [
      'NON_COMPLIANT when the role is missing',
      trailChangeEvent((c) => delete c.cloudWatchLogsRoleArn),
      false,
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Configured without a role: the trail names log group ${LOG_GROUP} but no role for CloudTrail to write to it.`,
      },
    ],
    [
      'NON_COMPLIANT when the log group is missing',
      trailChangeEvent((c) => delete c.cloudWatchLogsLogGroupArn),
      false,
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Configured without a log group: the trail names role ${ROLE_ARN} but no CloudWatch Logs log group.`,
      },
    ],
    [
      'NOT_APPLICABLE for another resource type',
      loadFixture('change-ec2-instance.json'),
      false,
      {
        complianceType: 'NOT_APPLICABLE',
        annotation: 'This rule evaluates only AWS::CloudTrail::Trail; AWS::EC2::Instance is not applicable.',
      },
    ],
    ...(['ResourceDeleted', 'ResourceDeletedNotRecorded'] as const).map(
      (status): [string, unknown, boolean, Judgement] => [
        `NOT_APPLICABLE for ${status}`,
        withInvokingEvent('change-trail.json', (i) => {
          i.configurationItem.configurationItemStatus = status;
          i.configurationItem.configuration = null;
        }),
        false,
        { complianceType: 'NOT_APPLICABLE', annotation: `The trail was deleted (${status}).` },
      ],
    ),
    [
      'NOT_APPLICABLE for ResourceNotRecorded',
      withInvokingEvent('change-trail.json', (i) => {
        i.configurationItem.configurationItemStatus = 'ResourceNotRecorded';
        i.configurationItem.configuration = null;
      }),
      false,
      {
        complianceType: 'NOT_APPLICABLE',
        annotation: 'AWS Config does not record this trail (ResourceNotRecorded).',
      },
    ],
    [
      'NOT_APPLICABLE when the event left scope',
      trailChangeEvent((c) => delete c.cloudWatchLogsRoleArn),
      true,
      { complianceType: 'NOT_APPLICABLE', annotation: 'The trail is no longer in the scope of this rule.' },
    ],
    [
      'NOT_APPLICABLE for a multi-region trail copy outside its home region',
      trailChangeEvent((c) => {
        c.homeRegion = 'eu-west-1';
        c.trailARN = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/management-events';
        delete c.cloudWatchLogsRoleArn;
      }),
      false,
      {
        complianceType: 'NOT_APPLICABLE',
        annotation:
          'Copy of multi-region trail management-events; it is evaluated in its home region eu-west-1.',
      },
    ],
    [
      'NOT_APPLICABLE for an organization trail owned by another account',
      trailChangeEvent((c) => {
        c.isOrganizationTrail = true;
        c.name = 'org-trail';
        c.trailARN = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org-trail';
        delete c.cloudWatchLogsLogGroupArn;
      }),
      false,
      {
        complianceType: 'NOT_APPLICABLE',
        annotation:
          'Copy of organization trail org-trail owned by account 999988887777; it is evaluated in that account in us-east-1.',
      },
    ],
    [
      'NOT_APPLICABLE naming the owner account first for an organization trail copy in another region',
      trailChangeEvent((c) => {
        c.isOrganizationTrail = true;
        c.name = 'org-trail';
        c.homeRegion = 'eu-central-1';
        c.trailARN = 'arn:aws:cloudtrail:eu-central-1:999988887777:trail/org-trail';
      }),
      false,
      {
        complianceType: 'NOT_APPLICABLE',
        annotation:
          'Copy of organization trail org-trail owned by account 999988887777; it is evaluated in that account in eu-central-1.',
      },
    ],
  ])('reports %s', async (_case, raw, eventLeftScope, expected) => {
    await handler({ ...(raw as RawRuleEvent), eventLeftScope });
    expect(putInputs()).toHaveLength(1);
    expect(putInputs()[0]?.Evaluations).toMatchObject([
      { ComplianceType: expected.complianceType, Annotation: expected.annotation },
    ]);
    expect(cloudTrail.calls()).toHaveLength(0);
  });
});

describe('handler: oversized configuration change', () => {
  it('fetches the item the summary names (a two-second span around its capture time) and judges it', async () => {
    new ConfigHistory().record(historyItem()).install(config);
    await handler(loadFixture('oversized-trail.json'));
    expect(config.commandCalls(GetResourceConfigHistoryCommand).map((call) => call.args[0].input)).toEqual([
      {
        resourceType: TRAIL,
        resourceId: 'management-events',
        earlierTime: new Date(CAPTURED.getTime() - 1_000),
        laterTime: new Date(CAPTURED.getTime() + 1_000),
        limit: 100,
      },
    ]);
    expect(putInputs()[0]?.Evaluations).toEqual([
      evaluation('management-events', 'COMPLIANT', ANNOTATIONS.integrated(), CAPTURED),
    ]);
  });

  const oversized = (change: (summary: Record<string, unknown>) => void, eventLeftScope = false) => ({
    ...withInvokingEvent('oversized-trail.json', (i) => change(i.configurationItemSummary)),
    eventLeftScope,
  });

  it.each<[string, RawRuleEvent & { eventLeftScope: boolean }, string, string]>([
    ...(['ResourceDeleted', 'ResourceDeletedNotRecorded'] as const).map(
      (status): [string, RawRuleEvent & { eventLeftScope: boolean }, string, string] => [
        status,
        oversized((summary) => (summary.configurationItemStatus = status)),
        TRAIL,
        `The trail was deleted (${status}).`,
      ],
    ),
    [
      'ResourceNotRecorded',
      oversized((summary) => (summary.configurationItemStatus = 'ResourceNotRecorded')),
      TRAIL,
      'AWS Config does not record this trail (ResourceNotRecorded).',
    ],
    [
      'another resource type',
      oversized((summary) => (summary.resourceType = 'AWS::S3::Bucket')),
      'AWS::S3::Bucket',
      'This rule evaluates only AWS::CloudTrail::Trail; AWS::S3::Bucket is not applicable.',
    ],
    [
      'an event that left scope',
      oversized(() => {}, true),
      TRAIL,
      'The trail is no longer in the scope of this rule.',
    ],
  ])(
    'answers NOT_APPLICABLE from the summary for %s, without fetching the item',
    async (_case, event, type, annotation) => {
      await handler(event);
      expect(config.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(0);
      expect(putInputs()).toEqual([
        {
          Evaluations: [
            {
              ...evaluation('management-events', 'NOT_APPLICABLE', annotation, CAPTURED),
              ComplianceResourceType: type,
            },
          ],
          ResultToken: 'myResultToken',
        },
      ]);
    },
  );

  it.each<[string, (item: ApiConfigurationItem) => ApiConfigurationItem, string]>([
    [
      'a configuration that is not JSON',
      (item) => ({ ...item, configuration: '{' }),
      'its configuration is not valid JSON.',
    ],
    [
      'no capture time',
      (item) => ({ ...item, configurationItemCaptureTime: undefined }),
      'GetResourceConfigHistory configurationItems[0].configurationItemCaptureTime must be a non-empty string, got undefined.',
    ],
    [
      'a configuration without trailARN',
      (item) => ({ ...item, configuration: item.configuration?.replace('"trailARN"', '"trailArn"') }),
      'configuration.trailARN of trail management-events is missing.',
    ],
  ])(
    'fails with UnexpectedResponseError on a fetched item with %s, writing nothing',
    async (_case, change, detail) => {
      config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [change(historyItem())] });
      const run = handler(loadFixture('oversized-trail.json'));
      await expect(run).rejects.toThrow(UnexpectedResponseError);
      await expect(run).rejects.toThrow(
        `Unexpected config:GetResourceConfigHistory response: the configuration item of ${TRAIL} management-events is malformed: ${detail}`,
      );
      await expect(run).rejects.toMatchObject({ cause: expect.any(InvalidEventError) });
      expect(putInputs()).toEqual([]);
    },
  );

  it('fails with ConfigurationItemNotFoundError and writes nothing when Config has no item captured then', async () => {
    // The history holds the trail's earlier and later items, not the one the notification names.
    new ConfigHistory()
      .record(
        historyAt(new Date(CAPTURED.getTime() - 86_400_000)),
        historyAt(new Date(CAPTURED.getTime() + 60_000)),
      )
      .install(config);
    const run = handler(loadFixture('oversized-trail.json'));
    await expect(run).rejects.toThrow(ConfigurationItemNotFoundError);
    await expect(run).rejects.toThrow(
      "GetResourceConfigHistory has no configuration item of AWS::CloudTrail::Trail management-events captured at 2026-11-29T08:59:12.114Z (configurationStateId 1764406752114): it is not readable yet or is past the retention period. Re-run the rule evaluation to judge the trail's current configuration.",
    );
    expect(putInputs()).toEqual([]);
  });
});

describe('handler: scheduled sweep', () => {
  it('judges every trail, corrects stored copies, marks vanished ones NOT_APPLICABLE and orders by the notification time', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('integrated'),
        sdkTrail('bare', { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined }),
        sdkTrail('from-ireland', {
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/from-ireland`,
        }),
        sdkTrail('org', {
          IsOrganizationTrail: true,
          TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org',
        }),
        sdkTrail('quiet-copy', {
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/quiet-copy`,
        }),
      ],
    });
    const stored = (id: string) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: id } },
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        stored('bare'),
        stored('from-ireland'),
        stored('arn:aws:cloudtrail:us-east-1:999988887777:trail/org'),
        stored('deleted'),
      ],
    });
    await handler(loadFixture('scheduled.json'));
    expect(cloudTrail.commandCalls(DescribeTrailsCommand).map((call) => call.args[0].input)).toEqual([
      { includeShadowTrails: true },
    ]);
    expect(
      config.commandCalls(GetComplianceDetailsByConfigRuleCommand).map((call) => call.args[0].input),
    ).toEqual([
      {
        ConfigRuleName: RULE,
        ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
        Limit: 100,
        NextToken: undefined,
      },
    ]);
    expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation('integrated', 'COMPLIANT', ANNOTATIONS.integrated('integrated'), NOTIFIED),
          evaluation('bare', 'NON_COMPLIANT', ANNOTATIONS.notConfigured, NOTIFIED),
          evaluation(
            'from-ireland',
            'NOT_APPLICABLE',
            'Copy of multi-region trail from-ireland; it is evaluated in its home region eu-west-1.',
            NOTIFIED,
          ),
          evaluation(
            'arn:aws:cloudtrail:us-east-1:999988887777:trail/org',
            'NOT_APPLICABLE',
            'Copy of organization trail org owned by account 999988887777; it is evaluated in that account in us-east-1.',
            NOTIFIED,
          ),
          evaluation(
            'deleted',
            'NOT_APPLICABLE',
            'The trail no longer exists in this account and region.',
            NOTIFIED,
          ),
        ],
      },
      accountCall(
        accountEvaluation(
          'NON_COMPLIANT',
          'NON_COMPLIANT trails of this account with their home region here: 1 of 2 (bare).',
        ),
      ),
    ]);
  });

  it('matches stored results by trail name or ARN and reports under the stored id only', async () => {
    const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('by-arn'),
        sdkTrail('by-name', { CloudWatchLogsRoleArn: undefined }),
        sdkTrail('by-both'),
        sdkTrail('new'),
      ],
    });
    const stored = (id: string) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: id } },
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        stored(arn('by-arn')),
        stored('by-name'),
        stored('by-both'),
        stored(arn('by-both')),
        stored(arn('deleted')),
      ],
    });
    await handler(loadFixture('scheduled.json'));
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation(arn('by-arn'), 'COMPLIANT', ANNOTATIONS.integrated('by-arn'), NOTIFIED),
          evaluation(
            'by-name',
            'NON_COMPLIANT',
            'Configured without a role: the trail names log group by-name but no role for CloudTrail to write to it.',
            NOTIFIED,
          ),
          evaluation('by-both', 'COMPLIANT', ANNOTATIONS.integrated('by-both'), NOTIFIED),
          evaluation(arn('by-both'), 'COMPLIANT', ANNOTATIONS.integrated('by-both'), NOTIFIED),
          evaluation('new', 'COMPLIANT', ANNOTATIONS.integrated('new'), NOTIFIED),
          evaluation(
            arn('deleted'),
            'NOT_APPLICABLE',
            'The trail no longer exists in this account and region.',
            NOTIFIED,
          ),
        ],
      },
      accountCall(
        accountEvaluation(
          'NON_COMPLIANT',
          'NON_COMPLIANT trails of this account with their home region here: 1 of 4 (by-name).',
        ),
      ),
    ]);
  });

  it('follows NextToken through earlier evaluations and ignores other resource types', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const result = (type: string, id: string) => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: type, ResourceId: id } },
    });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolvesOnce({
        EvaluationResults: [result(TRAIL, 'old-1'), result('AWS::EC2::Instance', 'i-1')],
        NextToken: 'p2',
      })
      .resolvesOnce({ EvaluationResults: [result(TRAIL, 'old-2'), {}] });
    await handler(loadFixture('scheduled.json'));
    expect(
      config
        .commandCalls(GetComplianceDetailsByConfigRuleCommand)
        .map((call) => call.args[0].input.NextToken),
    ).toEqual([undefined, 'p2']);
    expect(putInputs()[0]?.Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      ['old-1', 'NOT_APPLICABLE'],
      ['old-2', 'NOT_APPLICABLE'],
    ]);
  });

  it('reports one evaluation per resource id, the owned trail winning over a same-named copy', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('shared', {
          IsOrganizationTrail: true,
          TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/shared',
        }),
        sdkTrail('solo'),
        sdkTrail('shared', { CloudWatchLogsRoleArn: undefined }),
      ],
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: 'shared' },
          },
        },
      ],
    });
    await handler(loadFixture('scheduled.json'));
    expect(putInputs()[0]?.Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      ['shared', 'NON_COMPLIANT'],
      ['solo', 'COMPLIANT'],
    ]);
    expect(putInputs()[1]?.Evaluations?.map((e) => [e.ComplianceResourceId, e.ComplianceType])).toEqual([
      [ACCOUNT, 'NON_COMPLIANT'],
    ]);
  });

  it('reads no stored results for a TESTMODE sweep (it may belong to no deployed rule)', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('integrated')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: 'deleted' },
          },
        },
      ],
    });
    await handler({ ...loadFixture<RawRuleEvent>('scheduled.json'), resultToken: 'TESTMODE' });
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(putInputs()).toEqual([
      {
        Evaluations: [evaluation('integrated', 'COMPLIANT', ANNOTATIONS.integrated('integrated'), NOTIFIED)],
        ResultToken: 'TESTMODE',
        TestMode: true,
      },
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail')), 'TESTMODE'),
    ]);
  });

  it('reports no copy without a stored COMPLIANT/NON_COMPLIANT result, only the account-level result', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('from-ireland', {
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/from-ireland`,
        }),
        sdkTrail('org', {
          IsOrganizationTrail: true,
          TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org',
        }),
      ],
    });
    await handler(loadFixture('scheduled.json'));
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(1);
    expect(putInputs()).toEqual([
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail)),
    ]);
  });

  it('makes no PutEvaluations call when there is nothing to report', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({});
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: 'AWS::::Account', ResourceId: ACCOUNT },
          },
          ComplianceType: 'COMPLIANT',
          Annotation: ACCOUNT_ANNOTATION.noOwnedTrail,
          ResultRecordedTime: new Date(NOTIFIED.getTime() - 3_600_000),
        },
      ],
    });
    vi.useFakeTimers({ now: NOTIFIED, toFake: ['Date'] });
    expect(await handler(loadFixture('scheduled.json'))).toEqual([]);
    expect(putInputs()).toEqual([]);
  });

  it('batches 250 trails into 3 PutEvaluations calls of 100, 100 and 50, and the account-level result into its own', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `trail-${String(i).padStart(3, '0')}`);
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: names.map((name) => sdkTrail(name)) });
    await handler(loadFixture('scheduled.json'));
    const batches = putInputs().map((input) => input.Evaluations?.map((e) => e.ComplianceResourceId));
    expect(batches.map((batch) => batch?.length)).toEqual([100, 100, 50, 1]);
    expect(batches.flat()).toEqual([...names, ACCOUNT]);
    expect(cloudTrail.calls()).toHaveLength(1);
  });
});

describe('handler: sweep isolation', () => {
  const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  const delivering = (name: string) =>
    `Integrated and delivering: last delivery to log group ${name} was 60 minutes ago (window 24 hours).`;
  const NOW = new Date(NOTIFIED.getTime() + 60_000);
  const arrange = () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: ['healthy', 'vanished', 'throttled', 'unreadable'].map((name) => sdkTrail(name)),
    });
    cloudTrail
      .on(GetTrailStatusCommand)
      .resolves({ LatestCloudWatchLogsDeliveryTime: new Date(NOW.getTime() - 3_600_000) });
    cloudTrail
      .on(GetTrailStatusCommand, { Name: arn('vanished') })
      .rejects(new TrailNotFoundException({ message: `Unknown trail: ${arn('vanished')}`, $metadata: {} }));
    cloudTrail.on(GetTrailStatusCommand, { Name: arn('throttled') }).rejects(throttled());
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [historyItem()] });
    config.on(GetResourceConfigHistoryCommand, { resourceId: 'unreadable' }).rejects(throttled());
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: TRAIL, ResourceId: 'deleted' },
          },
        },
      ],
    });
  };
  const notJudged =
    'Could not judge 2 trail(s), which keep their earlier results; every other trail was reported: ' +
    'throttled (ThrottlingException: Rate exceeded); unreadable (ThrottlingException: Rate exceeded). ' +
    'Fix the cause named for each trail, then re-run the rule evaluation.';

  it('reports every other verdict and the clean-up, a vanished trail NOT_APPLICABLE, then fails naming the trails it could not judge', async () => {
    arrange();
    const run = handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
    await expect(run).rejects.toThrow(TrailsNotJudgedError);
    await expect(run).rejects.toThrow(notJudged);
    await expect(run).rejects.toMatchObject({
      trails: ['throttled', 'unreadable'],
      errors: [{ name: 'ThrottlingException' }, { name: 'ThrottlingException' }],
    });
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation('healthy', 'COMPLIANT', delivering('healthy'), NOTIFIED),
          evaluation(
            'vanished',
            'NOT_APPLICABLE',
            'The trail no longer exists in this account and region.',
            NOTIFIED,
          ),
          evaluation(
            'deleted',
            'NOT_APPLICABLE',
            'The trail no longer exists in this account and region.',
            NOTIFIED,
          ),
        ],
      },
      accountCall(accountEvaluation('NON_COMPLIANT', ACCOUNT_ANNOTATION.notJudged('2 trails'))),
    ]);
  });

  it('fails with every failure when, besides, PutEvaluations fails', async () => {
    arrange();
    const failure = Object.assign(new Error('We encountered an internal error.'), {
      name: 'InternalFailure',
    });
    config.on(PutEvaluationsCommand).rejects(failure);
    const run = handler(withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: '24' }));
    await expect(run).rejects.toThrow(RuleRunError);
    // Both calls fail: the trails' batch and the account-level result's own.
    await expect(run).rejects.toThrow(
      `The rule evaluation failed in 2 ways: PutEvaluationsError: AWS Config did not record 4 evaluation(s) of rule ${RULE}: it could not take a batch of 3 (healthy, vanished, deleted): InternalFailure: We encountered an internal error.; it could not take a batch of 1 (${ACCOUNT}): InternalFailure: We encountered an internal error.. Every other evaluation was recorded. Re-run the rule evaluation; if it persists, check the rule still exists. | TrailsNotJudgedError: ${notJudged}`,
    );
    await expect(run).rejects.toMatchObject({
      errors: [{ name: 'PutEvaluationsError', errors: [failure, failure] }, expect.any(TrailsNotJudgedError)],
    });
  });
});

describe('handler: PutEvaluations failures', () => {
  it('retries failed evaluations once and succeeds', async () => {
    const failed = evaluation('management-events', 'COMPLIANT', ANNOTATIONS.integrated(), CAPTURED);
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [failed] })
      .resolvesOnce({ FailedEvaluations: [] });
    await handler(trailChangeEvent());
    expect(putInputs()).toEqual([
      { Evaluations: [failed], ResultToken: 'myResultToken' },
      { Evaluations: [failed], ResultToken: 'myResultToken' },
    ]);
  });

  it('fails with PutEvaluationsError when evaluations fail twice', async () => {
    const failed = evaluation('management-events', 'COMPLIANT', ANNOTATIONS.integrated(), CAPTURED);
    config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [failed] });
    const run = handler(trailChangeEvent());
    await expect(run).rejects.toThrow(PutEvaluationsError);
    await expect(run).rejects.toThrow(
      `AWS Config did not record 1 evaluation(s) of rule ${RULE}: it rejected 1 evaluation(s) twice: management-events. Every other evaluation was recorded. Re-run the rule evaluation; if it persists, check the rule still exists.`,
    );
    await expect(run).rejects.toMatchObject({ failedResourceIds: ['management-events'] });
  });

  const names = Array.from({ length: 250 }, (_, i) => `trail-${String(i).padStart(3, '0')}`);
  const batchOf = (from: number, to: number) =>
    names
      .slice(from, to)
      .map((name) => evaluation(name, 'COMPLIANT', ANNOTATIONS.integrated(name), NOTIFIED));

  it('attempts every batch when Config rejects two evaluations of the first twice, then names them', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: names.map((name) => sdkTrail(name)) });
    const [first, second] = batchOf(0, 2);
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [first as Evaluation, second as Evaluation] })
      .resolvesOnce({ FailedEvaluations: [first as Evaluation, second as Evaluation] })
      .resolves({ FailedEvaluations: [] });
    const run = handler(loadFixture('scheduled.json'));
    await expect(run).rejects.toThrow(PutEvaluationsError);
    await expect(run).rejects.toThrow(
      `AWS Config did not record 2 evaluation(s) of rule ${RULE}: it rejected 2 evaluation(s) twice: trail-000, trail-001. Every other evaluation was recorded. Re-run the rule evaluation; if it persists, check the rule still exists.`,
    );
    expect(putInputs()).toEqual([
      { Evaluations: batchOf(0, 100), ResultToken: 'myResultToken' },
      { Evaluations: [first, second], ResultToken: 'myResultToken' },
      { Evaluations: batchOf(100, 200), ResultToken: 'myResultToken' },
      { Evaluations: batchOf(200, 250), ResultToken: 'myResultToken' },
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('250 trails'))),
    ]);
  });

  it('attempts every batch when the call of the first fails, then names its evaluations', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: names.map((name) => sdkTrail(name)) });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    config.on(PutEvaluationsCommand).rejectsOnce(throttled).resolves({ FailedEvaluations: [] });
    const run = handler(loadFixture('scheduled.json'));
    await expect(run).rejects.toThrow(PutEvaluationsError);
    await expect(run).rejects.toThrow(
      `AWS Config did not record 100 evaluation(s) of rule ${RULE}: it could not take a batch of 100 (${names.slice(0, 100).join(', ')}): ThrottlingException: Rate exceeded. Every other evaluation was recorded.`,
    );
    await expect(run).rejects.toMatchObject({ errors: [throttled], failedResourceIds: names.slice(0, 100) });
    expect(putInputs().map((input) => input.Evaluations?.length)).toEqual([100, 100, 50, 1]);
  });
});

describe('handler: AccessDenied', () => {
  const scheduled = () => loadFixture<RawRuleEvent>('scheduled.json');
  // What the invocation still reports: only what it could judge, never a NON_COMPLIANT verdict of the failure.
  it.each<[string, () => void, () => unknown, string, string, Evaluation[]]>([
    [
      'PutEvaluations',
      () => config.on(PutEvaluationsCommand).rejects(denied()),
      () => trailChangeEvent(),
      'config:PutEvaluations',
      `rule ${RULE}`,
      [evaluation('management-events', 'COMPLIANT', ANNOTATIONS.integrated(), CAPTURED)],
    ],
    [
      'GetResourceConfigHistory',
      () => config.on(GetResourceConfigHistoryCommand).rejects(denied()),
      () => loadFixture('oversized-trail.json'),
      'config:GetResourceConfigHistory',
      `${TRAIL} management-events`,
      [],
    ],
    [
      'DescribeTrails (AccessDenied)',
      () => cloudTrail.on(DescribeTrailsCommand).rejects(denied('AccessDenied')),
      scheduled,
      'cloudtrail:DescribeTrails',
      'the trails of this account and region',
      [],
    ],
    [
      'GetComplianceDetailsByConfigRule',
      () => {
        cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
        config.on(GetComplianceDetailsByConfigRuleCommand).rejects(denied());
      },
      scheduled,
      'config:GetComplianceDetailsByConfigRule',
      `rule ${RULE}`,
      [accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail)],
    ],
    [
      'GetTrailStatus',
      () => cloudTrail.on(GetTrailStatusCommand).rejects(denied()),
      () => withParameters(trailChangeEvent(), { expectedDeliveryWindowAge: '24' }),
      'cloudtrail:GetTrailStatus',
      `trail ${TRAIL_ARN}`,
      [],
    ],
  ])(
    'on %s fails naming the missing permission, never NON_COMPLIANT',
    async (_case, arrange, makeEvent, action, resource, reported) => {
      arrange();
      const run = handler(makeEvent());
      await expect(run).rejects.toThrow(AccessDeniedError);
      await expect(run).rejects.toThrow(
        `Access denied calling ${action} on ${resource}: grant ${action} to the rule Lambda's execution role.`,
      );
      await expect(run).rejects.toMatchObject({
        action,
        cause: { name: expect.stringMatching(/^AccessDenied/) },
      });
      // The PutEvaluations case shows what it tried to send.
      expect(putInputs().flatMap((input) => input.Evaluations ?? [])).toEqual(reported);
    },
  );

  it('on GetComplianceDetailsByConfigRule reports the current verdicts first, then fails naming the permission', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('integrated'),
        sdkTrail('bare', { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined }),
      ],
    });
    config.on(GetComplianceDetailsByConfigRuleCommand).rejects(denied());
    const run = handler(loadFixture('scheduled.json'));
    await expect(run).rejects.toThrow(AccessDeniedError);
    await expect(run).rejects.toThrow(
      `Access denied calling config:GetComplianceDetailsByConfigRule on rule ${RULE}: grant config:GetComplianceDetailsByConfigRule to the rule Lambda's execution role.`,
    );
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation('integrated', 'COMPLIANT', ANNOTATIONS.integrated('integrated'), NOTIFIED),
          evaluation('bare', 'NON_COMPLIANT', ANNOTATIONS.notConfigured, NOTIFIED),
        ],
      },
      accountCall(
        accountEvaluation(
          'NON_COMPLIANT',
          'NON_COMPLIANT trails of this account with their home region here: 1 of 2 (bare).',
        ),
      ),
    ]);
  });

  it('fails with both errors when PutEvaluations and the read of stored results both fail', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('integrated')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).rejects(denied());
    const failure = Object.assign(new Error('We encountered an internal error.'), {
      name: 'InternalFailure',
    });
    config.on(PutEvaluationsCommand).rejects(failure);
    const run = handler(loadFixture('scheduled.json'));
    await expect(run).rejects.toThrow(RuleRunError);
    await expect(run).rejects.toThrow(
      `The rule evaluation failed in 2 ways: PutEvaluationsError: AWS Config did not record 2 evaluation(s) of rule ${RULE}: it could not take a batch of 1 (integrated): InternalFailure: We encountered an internal error.; it could not take a batch of 1 (${ACCOUNT}): InternalFailure: We encountered an internal error.. Every other evaluation was recorded. Re-run the rule evaluation; if it persists, check the rule still exists. | AccessDeniedError: Access denied calling config:GetComplianceDetailsByConfigRule on rule ${RULE}: grant config:GetComplianceDetailsByConfigRule to the rule Lambda's execution role.`,
    );
    await expect(run).rejects.toMatchObject({
      errors: [{ name: 'PutEvaluationsError', errors: [failure, failure] }, expect.any(AccessDeniedError)],
    });
  });

  it('lets other AWS errors through unchanged', async () => {
    const failure = Object.assign(new Error('We encountered an internal error.'), {
      name: 'InternalFailure',
    });
    config.on(PutEvaluationsCommand).rejects(failure);
    await expect(handler(trailChangeEvent())).rejects.toBe(failure);
  });
});

describe('handler: bad input', () => {
  it.each<[string, () => unknown, new (...args: never[]) => Error, string]>([
    [
      'malformed invokingEvent',
      () => ({ ...trailChangeEvent(), invokingEvent: '{' }),
      InvalidEventError,
      'Invalid Config rule event: invokingEvent is not valid JSON',
    ],
    [
      'an unknown messageType',
      () => ({
        ...trailChangeEvent(),
        invokingEvent: '{"messageType":"ConfigurationSnapshotDeliveryCompleted"}',
      }),
      InvalidEventError,
      'invokingEvent.messageType "ConfigurationSnapshotDeliveryCompleted" is not handled',
    ],
    [
      'an unknown rule parameter',
      () => withParameters(trailChangeEvent(), { deliveryWindow: '24' }),
      InvalidRuleParameterError,
      'Invalid rule parameters: unknown parameter(s) deliveryWindow',
    ],
    ...['0', '-1', 'abc'].map((value): [string, () => unknown, new (...args: never[]) => Error, string] => [
      `expectedDeliveryWindowAge "${value}"`,
      () => withParameters(loadFixture('scheduled.json'), { expectedDeliveryWindowAge: value }),
      InvalidRuleParameterError,
      `expectedDeliveryWindowAge must be a whole number of hours greater than zero, got "${value}".`,
    ]),
    [
      'an invalid ExecutionRoleName',
      () => withParameters(trailChangeEvent(), { ExecutionRoleName: 'role/with/slashes' }),
      InvalidRuleParameterError,
      'ExecutionRoleName must be an IAM role name',
    ],
  ])('fails on %s with a typed error and makes no AWS call', async (_case, makeEvent, type, message) => {
    const run = handler(makeEvent());
    await expect(run).rejects.toThrow(type);
    await expect(run).rejects.toThrow(message);
    expect(config.calls()).toHaveLength(0);
    expect(cloudTrail.calls()).toHaveLength(0);
  });
});

describe('ruleClientsFor', () => {
  it('creates the clients once per credentials, in the region of the default chain', async () => {
    const provider = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    const own = ruleClientsFor();
    const member = ruleClientsFor(provider);
    expect(ruleClientsFor()).toEqual(own);
    expect(ruleClientsFor(provider)).toEqual(member);
    expect(member.config).not.toBe(own.config);
    expect(member.cloudTrail).not.toBe(own.cloudTrail);
    expect(ruleClientsFor().config).toBe(own.config);
    expect(ruleClientsFor(provider).cloudTrail).toBe(member.cloudTrail);
    expect(await clientRegion(own)).toBe('us-east-1');
    expect(await own.config.config.credentials()).toMatchObject({ accessKeyId: 'test' });
    expect(await member.config.config.credentials()).toMatchObject({ accessKeyId: 'AKIDEXAMPLE' });
  });

  it('creates the CloudTrail client on first use, once per credentials', async () => {
    const provider = async () => ({ accessKeyId: 'AKIDLAZY', secretAccessKey: 'secret' });
    const member = ruleClientsFor(provider);
    const client = await member.cloudTrail();
    expect(client).toBeInstanceOf(CloudTrailClient);
    expect(await member.cloudTrail()).toBe(client);
    expect(await ruleClientsFor().cloudTrail()).not.toBe(client);
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIDLAZY' });
    expect(await client.config.region()).toBe('us-east-1');
  });
});
