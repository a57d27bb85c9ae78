import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  type EvaluationResult,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCOUNT_ANNOTATION } from '../../rule/account-result.js';
import { handler } from '../../rule/handler.js';
import { memberRoleCredentials } from '../common/assume-role.js';
import {
  ACCOUNT,
  ACCOUNT_TYPE,
  accountCall,
  accountEvaluation,
  CAPTURED,
  evaluation,
  historyAt,
  loadFixture,
  NOTIFIED,
  type RawRuleEvent,
  sdkTrail,
  TRAIL,
  trailChangeEvent,
  withInvokingEvent,
} from './fixtures.js';
import { cloudTrail, config, freshRuleAws, putInputs } from './rule-aws.js';

/**
 * The sweep's account-level evaluation (rule/account-result.ts) as PutEvaluations carries it: once per periodic
 * sweep, under the evaluated account's id (the member account's in organization mode, never the hub's), never for a
 * change-triggered invocation, never taken for a vanished trail by the clean-up, and not re-sent while Config holds
 * it unchanged.
 */

const sts = mockClient(STSClient);

const scheduled = () => loadFixture<RawRuleEvent>('scheduled.json');
const HOUR = 3_600_000;
const GONE = 'The trail no longer exists in this account and region.';
const INTEGRATED = (name: string) =>
  `Integrated: the trail sends events to CloudWatch Logs log group ${name}.`;

/** A result of GetComplianceDetailsByConfigRule, as Config returns it. */
function storedResult(
  type: string,
  id: string,
  complianceType: 'COMPLIANT' | 'NON_COMPLIANT',
  annotation: string,
  recordedHoursAgo: number,
): EvaluationResult {
  return {
    EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceType: type, ResourceId: id } },
    ComplianceType: complianceType,
    Annotation: annotation,
    ResultRecordedTime: new Date(NOTIFIED.getTime() - recordedHoursAgo * HOUR),
    ConfigRuleInvokedTime: new Date(NOTIFIED.getTime() - recordedHoursAgo * HOUR),
  };
}

beforeEach(() => {
  freshRuleAws();
  sts.reset();
  vi.useFakeTimers({ now: NOTIFIED, toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('handler: the account-level evaluation of a sweep', () => {
  it('is COMPLIANT in a member account-region whose only trail is the organization trail of another account', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('org', {
          IsOrganizationTrail: true,
          TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org',
        }),
      ],
    });
    await handler(scheduled());
    // In a call of its own: whether Config takes AWS::::Account from a rule scoped to trails is not documented.
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::::Account',
            ComplianceResourceId: ACCOUNT,
            ComplianceType: 'COMPLIANT',
            Annotation:
              'No trail this account owns has its home region here; trails logging here from elsewhere, such as ' +
              'an organization trail, are judged by their owner in their home region.',
            OrderingTimestamp: NOTIFIED,
          },
        ],
      },
    ]);
  });

  it('is COMPLIANT in a region that sees only the copy of a multi-region trail homed elsewhere', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('from-ireland', {
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/from-ireland`,
        }),
      ],
    });
    await handler(scheduled());
    expect(putInputs().flatMap((input) => input.Evaluations)).toEqual([
      accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail),
    ]);
  });

  it('is not sent again while Config holds it unchanged and recorded less than 719 hours ago', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('main')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        storedResult(TRAIL, 'main', 'COMPLIANT', INTEGRATED('main'), 1),
        storedResult(ACCOUNT_TYPE, ACCOUNT, 'COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail'), 718),
      ],
    });
    await handler(scheduled());
    expect(putInputs()).toEqual([]);
  });

  it('is re-stamped alone once Config recorded it 719 hours ago', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('main')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        storedResult(TRAIL, 'main', 'COMPLIANT', INTEGRATED('main'), 1),
        storedResult(ACCOUNT_TYPE, ACCOUNT, 'COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail'), 719),
      ],
    });
    await handler(scheduled());
    expect(putInputs().flatMap((input) => input.Evaluations)).toEqual([
      accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail')),
    ]);
  });

  it('is sent as soon as what it says changes (a trail created since), even recorded an hour ago', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('main'), sdkTrail('new')] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        storedResult(TRAIL, 'main', 'COMPLIANT', INTEGRATED('main'), 1),
        storedResult(ACCOUNT_TYPE, ACCOUNT, 'COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail'), 1),
      ],
    });
    await handler(scheduled());
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [evaluation('new', 'COMPLIANT', INTEGRATED('new'), NOTIFIED)],
      },
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('2 trails'))),
    ]);
  });

  it('is never cleaned up as a vanished trail, while a trail result under the same id is', async () => {
    // A trail once named like the account id, since deleted: the clean-up goes by resource type, not by id.
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        storedResult(ACCOUNT_TYPE, ACCOUNT, 'COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail, 1),
        storedResult(TRAIL, ACCOUNT, 'COMPLIANT', INTEGRATED(ACCOUNT), 1),
        storedResult(TRAIL, 'deleted', 'NON_COMPLIANT', INTEGRATED('deleted'), 1),
      ],
    });
    await handler(scheduled());
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation(ACCOUNT, 'NOT_APPLICABLE', GONE, NOTIFIED),
          evaluation('deleted', 'NOT_APPLICABLE', GONE, NOTIFIED),
        ],
      },
    ]);
  });

  it("ignores a stored account-level result under another account's id: it is neither this account's nor cleaned up", async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        storedResult(ACCOUNT_TYPE, '999988887777', 'COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail, 1),
      ],
    });
    await handler(scheduled());
    expect(putInputs().flatMap((input) => input.Evaluations)).toEqual([
      accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.noOwnedTrail),
    ]);
  });

  it('goes in a call of its own: a call Config refuses for it costs no trail verdict, and the failure names it', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [sdkTrail('main')] });
    // PutEvaluations refuses a resource type it does not take for the whole call (InvalidParameterValueException).
    const refused = Object.assign(new Error('The resource type AWS::::Account is invalid.'), {
      name: 'InvalidParameterValueException',
    });
    config
      .on(PutEvaluationsCommand)
      .callsFake((input: { Evaluations?: { ComplianceResourceType?: string }[] }) => {
        if (input.Evaluations?.some((e) => e.ComplianceResourceType === ACCOUNT_TYPE)) throw refused;
        return { FailedEvaluations: [] };
      });
    const run = handler(scheduled());
    await expect(run).rejects.toThrow(
      `AWS Config did not record 1 evaluation(s) of rule cloudtrail-cloudwatch-logs-integrated: it could not take a batch of 1 (${ACCOUNT}): InvalidParameterValueException: The resource type AWS::::Account is invalid.. Every other evaluation was recorded.`,
    );
    await expect(run).rejects.toMatchObject({ name: 'PutEvaluationsError', failedResourceIds: [ACCOUNT] });
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [evaluation('main', 'COMPLIANT', INTEGRATED('main'), NOTIFIED)],
      },
      accountCall(accountEvaluation('COMPLIANT', ACCOUNT_ANNOTATION.judged('1 trail'))),
    ]);
  });

  it.each<[string, () => RawRuleEvent]>([
    ['a configuration change', () => trailChangeEvent()],
    ['an oversized configuration change', () => loadFixture<RawRuleEvent>('oversized-trail.json')],
    [
      'a configuration change of an organization trail copy',
      () =>
        trailChangeEvent((c) => {
          c.trailARN = 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org';
          c.isOrganizationTrail = true;
        }),
    ],
  ])('is not sent for %s: one evaluation, of the trail', async (_case, event) => {
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [historyAt(CAPTURED)] });
    await handler(event());
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(putInputs()).toHaveLength(1);
    expect(putInputs()[0]?.Evaluations?.map((e) => e.ComplianceResourceType)).toEqual([TRAIL]);
  });
});

describe('handler: the account-level evaluation in organization mode', () => {
  const MEMBER = ACCOUNT;
  const HUB = '111111111111';
  const hubContext = {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${HUB}:function:cloudtrail-logs-guard-rule`,
  };
  /** The access key of each PutEvaluations call: whose credentials reported it. */
  let putKeys: string[];

  beforeEach(() => {
    putKeys = [];
    sts.on(AssumeRoleCommand).resolves(memberRoleCredentials());
    config
      .on(PutEvaluationsCommand)
      .callsFake(
        async (
          _input: unknown,
          getClient: () => { config: { credentials: () => Promise<AwsCredentialIdentity> } },
        ) => {
          putKeys.push((await getClient().config.credentials()).accessKeyId);
          return { FailedEvaluations: [] };
        },
      );
  });

  it("reports under the member account's id with the member's credentials, never under the hub's", async () => {
    // The hub's own organization trail, seen from the member, is a copy: the hub judges it in its own account.
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('org', {
          IsOrganizationTrail: true,
          TrailARN: `arn:aws:cloudtrail:us-east-1:${HUB}:trail/org`,
        }),
        sdkTrail('member-local', { CloudWatchLogsRoleArn: undefined }),
      ],
    });
    const event = {
      ...withInvokingEvent('scheduled.json', (invoking) => {
        invoking.awsAccountId = MEMBER;
      }),
      ruleParameters: JSON.stringify({ ExecutionRoleName: 'spoke-rule-account-result' }),
    };

    await handler(event, hubContext);

    expect(putKeys).toEqual(['AKIAMEMBER', 'AKIAMEMBER']);
    expect(putInputs()).toEqual([
      {
        ResultToken: 'myResultToken',
        Evaluations: [
          evaluation(
            'member-local',
            'NON_COMPLIANT',
            'Configured without a role: the trail names log group member-local but no role for CloudTrail to write to it.',
            NOTIFIED,
          ),
        ],
      },
      accountCall(
        accountEvaluation(
          'NON_COMPLIANT',
          'NON_COMPLIANT trails of this account with their home region here: 1 of 1 (member-local).',
          NOTIFIED,
          MEMBER,
        ),
      ),
    ]);
  });
});
