import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { operatorMessage } from '../../cli/error-report.js';
import { AggregatorReadError } from '../../cli/errors.js';
import {
  type AggregateEvaluation,
  notJudged,
  notJudgedLine,
  readAggregateEvaluations,
  renderReport,
  summarise,
} from '../../cli/report.js';
import { accountJudgement } from '../../rule/account-result.js';
import { serviceError } from './sdk-errors.js';

const config = mockClient(ConfigServiceClient);
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const AGGREGATOR = 'organization';
const RECORDED = new Date('2026-11-28T10:00:00.000Z');

function result(account: string, region: string, trail: string, compliance: string, annotation?: string) {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: RULE,
        ResourceType: 'AWS::CloudTrail::Trail',
        ResourceId: trail,
      },
    },
    ComplianceType: compliance as 'COMPLIANT',
    ResultRecordedTime: RECORDED,
    ...(annotation === undefined ? {} : { Annotation: annotation }),
    AccountId: account,
    AwsRegion: region,
  };
}

/** Where the aggregator says the rule runs: one entry of AggregateComplianceByConfigRules. */
function ruleIn(account: string, region: string, rule = RULE) {
  return { ConfigRuleName: rule, AccountId: account, AwsRegion: region };
}

/** The input report sends to read the details of one account and region, page by page. */
function detailsInput(account: string, region: string, nextToken?: string) {
  return {
    ConfigurationAggregatorName: AGGREGATOR,
    ConfigRuleName: RULE,
    AccountId: account,
    AwsRegion: region,
    Limit: 100,
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';
const NO_ROLE =
  'Configured without a role: the trail names log group /x but no role for CloudTrail to write to it.';
/** The NON_COMPLIANT trail audit as report reads it from the aggregator's details. */
const AUDIT: AggregateEvaluation = {
  accountId: '111111111111',
  region: 'us-east-1',
  resourceId: 'audit',
  compliance: 'NON_COMPLIANT',
  annotation: NOT_CONFIGURED,
  recordedAt: '2026-11-28T10:00:00.000Z',
};

beforeEach(() => {
  config.reset();
});

describe('readAggregateEvaluations', () => {
  it('finds every account and region of the rule, then reads each to the last page', async () => {
    config
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .resolvesOnce({
        AggregateComplianceByConfigRules: [
          ruleIn('111111111111', 'us-east-1'),
          ruleIn('333333333333', 'us-east-1', 'another-rule'),
        ],
        NextToken: 'rules-2',
      })
      .resolvesOnce({
        AggregateComplianceByConfigRules: [
          ruleIn('222222222222', 'eu-west-1'),
          ruleIn('111111111111', 'us-east-1'),
        ],
      });
    config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '111111111111' })
      .resolvesOnce({
        AggregateEvaluationResults: [result('111111111111', 'us-east-1', 'main', 'COMPLIANT')],
        NextToken: 'details-2',
      })
      .resolvesOnce({
        AggregateEvaluationResults: [
          result('111111111111', 'us-east-1', 'audit', 'NON_COMPLIANT', NOT_CONFIGURED),
        ],
      });
    config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: '222222222222' })
      .resolves({ AggregateEvaluationResults: [result('222222222222', 'eu-west-1', 'eu', 'COMPLIANT')] });

    const { evaluations, accountResults } = await readAggregateEvaluations(
      new ConfigServiceClient({}),
      AGGREGATOR,
      RULE,
    );

    expect(accountResults).toEqual([]);
    expect(
      config.commandCalls(DescribeAggregateComplianceByConfigRulesCommand).map((c) => c.args[0].input),
    ).toEqual([
      { ConfigurationAggregatorName: AGGREGATOR, Filters: { ConfigRuleName: RULE }, Limit: 1000 },
      {
        ConfigurationAggregatorName: AGGREGATOR,
        Filters: { ConfigRuleName: RULE },
        Limit: 1000,
        NextToken: 'rules-2',
      },
    ]);
    expect(
      config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand).map((c) => c.args[0].input),
    ).toEqual([
      detailsInput('111111111111', 'us-east-1'),
      detailsInput('222222222222', 'eu-west-1'),
      detailsInput('111111111111', 'us-east-1', 'details-2'),
    ]);
    expect(evaluations).toEqual([
      {
        accountId: '111111111111',
        region: 'us-east-1',
        resourceId: 'main',
        compliance: 'COMPLIANT',
        recordedAt: '2026-11-28T10:00:00.000Z',
      },
      AUDIT,
      {
        accountId: '222222222222',
        region: 'eu-west-1',
        resourceId: 'eu',
        compliance: 'COMPLIANT',
        recordedAt: '2026-11-28T10:00:00.000Z',
      },
    ]);
  });

  it('reads nothing more when the rule has no results in the aggregator', async () => {
    config
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .resolves({ AggregateComplianceByConfigRules: [] });
    await expect(readAggregateEvaluations(new ConfigServiceClient({}), AGGREGATOR, RULE)).resolves.toEqual({
      evaluations: [],
      accountResults: [],
    });
    expect(config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
  });

  it("keeps the sweeps' account-level results (AWS::::Account) apart from the trails'", async () => {
    config
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .resolves({ AggregateComplianceByConfigRules: [ruleIn('111111111111', 'us-east-1')] });
    const accountLevel = {
      ...result('111111111111', 'us-east-1', '111111111111', 'NON_COMPLIANT', 'NON_COMPLIANT trails ...'),
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: RULE,
          ResourceType: 'AWS::::Account',
          ResourceId: '111111111111',
        },
      },
    };
    config.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({
      AggregateEvaluationResults: [
        accountLevel,
        result('111111111111', 'us-east-1', 'audit', 'NON_COMPLIANT', NOT_CONFIGURED),
      ],
    });

    const { evaluations, accountResults } = await readAggregateEvaluations(
      new ConfigServiceClient({}),
      AGGREGATOR,
      RULE,
    );

    expect(evaluations.map((evaluation) => evaluation.resourceId)).toEqual(['audit']);
    expect(accountResults).toEqual([
      {
        accountId: '111111111111',
        region: 'us-east-1',
        resourceId: '111111111111',
        compliance: 'NON_COMPLIANT',
        annotation: 'NON_COMPLIANT trails ...',
        recordedAt: '2026-11-28T10:00:00.000Z',
      },
    ]);
  });

  it.each([
    [
      'an unknown aggregator',
      serviceError('NoSuchConfigurationAggregatorException', 'The configuration aggregator does not exist.'),
      "config:DescribeAggregateComplianceByConfigRules on aggregator organization in us-east-1 failed: NoSuchConfigurationAggregatorException: The configuration aggregator does not exist. Aggregators are listed by aws configservice describe-configuration-aggregators; run report with the credentials and --region of the aggregator's account.",
    ],
    [
      'a missing permission',
      serviceError('AccessDeniedException', 'User is not authorized.'),
      'config:DescribeAggregateComplianceByConfigRules on aggregator organization in us-east-1 failed: AccessDeniedException: User is not authorized. Grant config:DescribeAggregateComplianceByConfigRules on aggregator organization to the credentials you run with, or check that no SCP denies it in this region.',
    ],
    [
      'any other failure',
      serviceError('ThrottlingException', 'Rate exceeded'),
      'config:DescribeAggregateComplianceByConfigRules on aggregator organization in us-east-1 failed: ThrottlingException: Rate exceeded. AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.',
    ],
  ])(
    'fails on %s while listing where the rule runs, in the one line every command uses',
    async (_name, error, line) => {
      config.on(DescribeAggregateComplianceByConfigRulesCommand).rejects(error);
      const read = readAggregateEvaluations(new ConfigServiceClient({}), AGGREGATOR, RULE);
      await expect(read).rejects.toThrow(AggregatorReadError);
      await expect(read).rejects.toHaveProperty('cause', error);
      expect(operatorMessage(await read.catch((failure: unknown) => failure), 'us-east-1')).toBe(line);
    },
  );

  it('fails naming the permission when the details of one account and region are refused', async () => {
    config
      .on(DescribeAggregateComplianceByConfigRulesCommand)
      .resolves({ AggregateComplianceByConfigRules: [ruleIn('111111111111', 'us-east-1')] });
    config
      .on(GetAggregateComplianceDetailsByConfigRuleCommand)
      .rejects(serviceError('AccessDeniedException', 'User is not authorized.'));
    const failure = await readAggregateEvaluations(new ConfigServiceClient({}), AGGREGATOR, RULE).catch(
      (error: unknown) => error,
    );
    expect(operatorMessage(failure, 'us-east-1')).toBe(
      'config:GetAggregateComplianceDetailsByConfigRule on aggregator organization in us-east-1 failed: AccessDeniedException: User is not authorized. Grant config:GetAggregateComplianceDetailsByConfigRule on aggregator organization to the credentials you run with, or check that no SCP denies it in this region.',
    );
  });
});

function evaluation(accountId: string, region: string, resourceId: string, compliance: string) {
  return { accountId, region, resourceId, compliance };
}

const EU: AggregateEvaluation = evaluation('222222222222', 'eu-west-1', 'eu', 'COMPLIANT');
const MAIN: AggregateEvaluation = evaluation('111111111111', 'us-east-1', 'main', 'COMPLIANT');
const OLD: AggregateEvaluation = evaluation('111111111111', 'us-east-1', 'old', 'NOT_APPLICABLE');
/** A trail name with a comma and quotes, which CSV must quote. */
const LOGS_EU: AggregateEvaluation = {
  ...evaluation('111111111111', 'eu-west-1', 'logs, "eu"', 'NON_COMPLIANT'),
  annotation: NO_ROLE,
};
const EVALUATIONS: AggregateEvaluation[] = [EU, AUDIT, MAIN, OLD, LOGS_EU];

/** What the aggregator holds when it holds these trails' results and no account-level result. */
const trailsOnly = (evaluations: AggregateEvaluation[]) => ({ evaluations, accountResults: [] });

/** The account-level result a sweep of 111111111111 in `region` reports, as the aggregator holds it. */
function accountResult(region: string, tally: Parameters<typeof accountJudgement>[0]): AggregateEvaluation {
  const { complianceType, annotation } = accountJudgement(tally);
  return {
    accountId: '111111111111',
    region,
    resourceId: '111111111111',
    compliance: complianceType,
    annotation,
  };
}

const auditIs = (complianceType: 'COMPLIANT' | 'NON_COMPLIANT') => ({ name: 'audit', complianceType });

describe('notJudged', () => {
  it.each<[string, AggregateEvaluation, boolean]>([
    [
      'every trail judged, none NON_COMPLIANT',
      accountResult('us-east-1', { owned: [auditIs('COMPLIANT')], notJudged: 0 }),
      false,
    ],
    [
      'a NON_COMPLIANT trail, shown among the trails there',
      accountResult('us-east-1', { owned: [auditIs('NON_COMPLIANT')], notJudged: 0 }),
      false,
    ],
    ['a trail not judged, none NON_COMPLIANT', accountResult('us-east-1', { owned: [], notJudged: 1 }), true],
    [
      'a trail not judged beside a NON_COMPLIANT one',
      accountResult('us-east-1', { owned: [auditIs('NON_COMPLIANT')], notJudged: 2 }),
      true,
    ],
    [
      'NON_COMPLIANT trails, but none NON_COMPLIANT among the trails there',
      accountResult('eu-west-2', { owned: [auditIs('NON_COMPLIANT')], notJudged: 0 }),
      true,
    ],
    [
      'NON_COMPLIANT with a text the rule does not write',
      { ...accountResult('eu-west-2', { owned: [], notJudged: 1 }), annotation: 'something else' },
      true,
    ],
    [
      'NON_COMPLIANT without a text',
      {
        accountId: '111111111111',
        region: 'eu-west-2',
        resourceId: '111111111111',
        compliance: 'NON_COMPLIANT',
      },
      true,
    ],
  ])('%s: flagged %s', (_case, result, flagged) => {
    // AUDIT is the NON_COMPLIANT trail of 111111111111 in us-east-1.
    expect(notJudged([AUDIT], [result])).toEqual(flagged ? [result] : []);
  });

  it('lists the places in a stable order', () => {
    const unjudged = (region: string) => accountResult(region, { owned: [], notJudged: 1 });
    expect(
      notJudged([], [unjudged('us-east-1'), unjudged('eu-west-1')]).map((place) => place.region),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('names the place and its reason in one stderr line', () => {
    expect(notJudgedLine(accountResult('us-east-1', { owned: [], notJudged: 1 }))).toBe(
      "not judged in full: account 111111111111 in us-east-1: Not judged: 1 trail listed here could not be judged, so this account and region is not COMPLIANT; the rule's failed evaluation names each and why. (see that account's failed evaluations of the rule in Config)",
    );
  });
});

describe('summarise', () => {
  it('counts per account and region and lists the NON_COMPLIANT trails, sorted', () => {
    const report = summarise(AGGREGATOR, RULE, trailsOnly(EVALUATIONS));
    expect(report.counts).toEqual([
      { accountId: '111111111111', region: 'eu-west-1', compliant: 0, nonCompliant: 1, other: 0 },
      { accountId: '111111111111', region: 'us-east-1', compliant: 1, nonCompliant: 1, other: 1 },
      { accountId: '222222222222', region: 'eu-west-1', compliant: 1, nonCompliant: 0, other: 0 },
    ]);
    expect(report.nonCompliant.map((e) => e.resourceId)).toEqual(['logs, "eu"', 'audit']);
  });
});

describe('renderReport', () => {
  const report = summarise(AGGREGATOR, RULE, trailsOnly(EVALUATIONS));

  it('prints a headline, the counts and the NON_COMPLIANT trails as tables', () => {
    expect(renderReport(report, 'table')).toBe(
      [
        'Rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 5 trails in 2 accounts and 3 account-regions, 2 NON_COMPLIANT.',
        '',
        'ACCOUNT       REGION     COMPLIANT  NON_COMPLIANT  OTHER',
        '111111111111  eu-west-1  0          1              0',
        '111111111111  us-east-1  1          1              1',
        '222222222222  eu-west-1  1          0              0',
        '',
        'NON_COMPLIANT trails:',
        'ACCOUNT       REGION     TRAIL       ANNOTATION',
        `111111111111  eu-west-1  logs, "eu"  ${NO_ROLE}`,
        `111111111111  us-east-1  audit       ${NOT_CONFIGURED}`,
        '',
      ].join('\n'),
    );
  });

  it('leaves out the findings table when every trail is compliant', () => {
    const clean = summarise(AGGREGATOR, RULE, trailsOnly([EU]));
    expect(renderReport(clean, 'table')).toBe(
      [
        'Rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 1 trail in 1 account and 1 account-region, 0 NON_COMPLIANT.',
        '',
        'ACCOUNT       REGION     COMPLIANT  NON_COMPLIANT  OTHER',
        '222222222222  eu-west-1  1          0              0',
        '',
      ].join('\n'),
    );
  });

  it('ends the tables with the places the rule could not judge in full, and lists them in JSON', () => {
    const unjudged = accountResult('eu-west-2', { owned: [], notJudged: 1 });
    const incomplete = summarise(AGGREGATOR, RULE, { evaluations: [EU], accountResults: [unjudged] });
    expect(renderReport(incomplete, 'table')).toBe(
      [
        'Rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 1 trail in 1 account and 1 account-region, 0 NON_COMPLIANT.',
        '',
        'ACCOUNT       REGION     COMPLIANT  NON_COMPLIANT  OTHER',
        '222222222222  eu-west-1  1          0              0',
        '',
        'Incomplete: the rule could not judge every trail of account 111111111111 in eu-west-2 (the reasons are on stderr).',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(renderReport(incomplete, 'json')).notJudged).toEqual([unjudged]);
  });

  it('says where to look when the aggregator holds no evaluation of the rule', () => {
    expect(renderReport(summarise(AGGREGATOR, RULE, trailsOnly([])), 'table')).toBe(
      'No evaluations of rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: check the rule name (--rule) and that the aggregator collects the accounts and regions the rule runs in.\n',
    );
  });

  it('prints counts and findings as JSON', () => {
    expect(JSON.parse(renderReport(report, 'json'))).toEqual({
      aggregator: AGGREGATOR,
      rule: RULE,
      counts: report.counts,
      nonCompliant: [LOGS_EU, AUDIT],
      notJudged: [],
      evaluations: [
        { ...LOGS_EU, reasonCode: 'noRole' },
        { ...AUDIT, reasonCode: 'notConfigured' },
        MAIN,
        OLD,
        EU,
      ],
    });
  });

  it('prints one CSV row per evaluated trail', () => {
    expect(renderReport(report, 'csv')).toBe(
      [
        'account_id,region,trail,compliance,annotation,recorded_at,reason_code',
        `111111111111,eu-west-1,"logs, ""eu""",NON_COMPLIANT,${NO_ROLE},,noRole`,
        `111111111111,us-east-1,audit,NON_COMPLIANT,${NOT_CONFIGURED},2026-11-28T10:00:00.000Z,notConfigured`,
        '111111111111,us-east-1,main,COMPLIANT,,,',
        '111111111111,us-east-1,old,NOT_APPLICABLE,,,',
        '222222222222,eu-west-1,eu,COMPLIANT,,,',
        '',
      ].join('\r\n'),
    );
  });
});
