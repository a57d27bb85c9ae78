import {
  ConfigServiceClient,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateConfigRuleComplianceSummaryCommand,
  NoSuchConfigurationAggregatorException,
} from '@aws-sdk/client-config-service';
import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  ListAccountsCommand,
  OrganizationsClient,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { UNCOVERED } from '../../cli/coverage.js';
import { type RecordedCoverage, recordedCoverage, serveAccounts, serveConfig } from './coverage-fixtures.js';
import { runInMemory } from './in-memory.js';

/**
 * `report --coverage` end to end, through the real SDK clients with aws-sdk-client-mock serving the recorded
 * aggregator and Organizations answers of test/fixtures/cli/coverage/organization.json page by page.
 */

const config = mockClient(ConfigServiceClient);
const organizations = mockClient(OrganizationsClient);

const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const COVERAGE = ['report', '--coverage', '--aggregator', 'organization'];
const TWO_REGIONS = ['--region', 'us-east-1', '--region', 'eu-west-1'];
const NO_RESULT = UNCOVERED.noResult();

let record: RecordedCoverage;

beforeEach(() => {
  config.reset();
  organizations.reset();
  record = recordedCoverage();
});

function serve(): void {
  serveConfig(config, record);
  serveAccounts(organizations, record);
}

/** The recording once account 444444444444 has been reached by the rollout in both governed regions. */
function withNewAccountReporting(): void {
  const last = record.DescribeAggregateComplianceByConfigRules.at(-1);
  last?.AggregateComplianceByConfigRules?.push(
    {
      ConfigRuleName: RULE,
      Compliance: { ComplianceType: 'COMPLIANT' },
      AccountId: '444444444444',
      AwsRegion: 'eu-west-1',
    },
    {
      ConfigRuleName: RULE,
      Compliance: { ComplianceType: 'NON_COMPLIANT' },
      AccountId: '444444444444',
      AwsRegion: 'us-east-1',
    },
  );
}

describe('report --coverage', () => {
  it('exits 4 naming an uncovered account and an uncovered region', async () => {
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--region', 'ap-southeast-2']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      [
        `cloudtrail-logs-guard report: uncovered: 111111111111 ap-southeast-2: ${NO_RESULT}`,
        `cloudtrail-logs-guard report: uncovered: 222222222222 ap-southeast-2: ${NO_RESULT}`,
        `cloudtrail-logs-guard report: uncovered: 333333333333 ap-southeast-2: ${NO_RESULT}`,
        `cloudtrail-logs-guard report: uncovered: 444444444444 ap-southeast-2: ${NO_RESULT}`,
        `cloudtrail-logs-guard report: uncovered: 444444444444 eu-west-1: ${NO_RESULT}`,
        `cloudtrail-logs-guard report: uncovered: 444444444444 us-east-1: ${NO_RESULT}`,
        '',
      ].join('\n'),
    );
    expect(run.stdout).toBe(
      [
        'Coverage of rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 6 of 12 account-regions covered, 6 uncovered (4 accounts from AWS Organizations, 3 regions from --region: ap-southeast-2, eu-west-1, us-east-1).',
        '',
        'ACCOUNT       NAME            REGION          COVERED  RULE           SOURCE     REASON',
        `111111111111  management      ap-southeast-2  NO       -              OUTDATED   ${NO_RESULT}`,
        '111111111111  management      eu-west-1       yes      NON_COMPLIANT  SUCCEEDED',
        '111111111111  management      us-east-1       yes      COMPLIANT      SUCCEEDED',
        `222222222222  audit           ap-southeast-2  NO       -              OUTDATED   ${NO_RESULT}`,
        '222222222222  audit           eu-west-1       yes      COMPLIANT      SUCCEEDED',
        '222222222222  audit           us-east-1       yes      COMPLIANT      SUCCEEDED',
        `333333333333  workloads-prod  ap-southeast-2  NO       -              OUTDATED   ${NO_RESULT}`,
        '333333333333  workloads-prod  eu-west-1       yes      COMPLIANT      SUCCEEDED',
        '333333333333  workloads-prod  us-east-1       yes      NON_COMPLIANT  SUCCEEDED',
        `444444444444  workloads-dev   ap-southeast-2  NO       -              OUTDATED   ${NO_RESULT}`,
        `444444444444  workloads-dev   eu-west-1       NO       -              SUCCEEDED  ${NO_RESULT}`,
        `444444444444  workloads-dev   us-east-1       NO       -              SUCCEEDED  ${NO_RESULT}`,
        '',
        'Not governed (not ACTIVE): 555555555555 (SUSPENDED), 666666666666 (PENDING_CLOSURE).',
        '',
        'Uncovered: 111111111111 ap-southeast-2, 222222222222 ap-southeast-2, 333333333333 ap-southeast-2, 444444444444 ap-southeast-2, 444444444444 eu-west-1, 444444444444 us-east-1.',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 with nothing on stderr when every account-region is covered', async () => {
    withNewAccountReporting();
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe(
      'Coverage of rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 8 of 8 account-regions covered, 0 uncovered (4 accounts from AWS Organizations, 2 regions from --region: eu-west-1, us-east-1).',
    );
    expect(run.stdout).not.toContain('Uncovered:');
  });

  it("takes the governed regions from the aggregator's sources when --region is not given", async () => {
    withNewAccountReporting();
    serve();
    const run = await runInMemory([...COVERAGE, '--output', 'json']);
    expect(run.code).toBe(4);
    const report = JSON.parse(run.stdout);
    expect(report.regions).toEqual({
      source: 'aggregator',
      regions: ['ap-southeast-2', 'eu-west-1', 'us-east-1'],
    });
    expect(report.uncovered.map((cell: { region: string }) => cell.region)).toEqual([
      'ap-southeast-2',
      'ap-southeast-2',
      'ap-southeast-2',
      'ap-southeast-2',
    ]);
  });

  it('is not covered where the aggregator source failed, even with a result of the rule', async () => {
    withNewAccountReporting();
    record.DescribeConfigurationAggregatorSourcesStatus[1]?.AggregatedSourceStatusList?.push({
      SourceId: '333333333333',
      SourceType: 'ACCOUNT',
      AwsRegion: 'eu-west-1',
      LastUpdateStatus: 'FAILED',
      LastUpdateTime: new Date('2026-11-28T09:12:40.000Z'),
      LastErrorCode: 'RecordedErrorCode',
      LastErrorMessage: 'Recorded error message.',
    });
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--output', 'csv']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      'cloudtrail-logs-guard report: uncovered: 333333333333 eu-west-1: aggregator source FAILED: RecordedErrorCode: Recorded error message.\n',
    );
    expect(run.stdout).toContain(
      '333333333333,workloads-prod,eu-west-1,false,COMPLIANT,FAILED,sourceFailed,aggregator source FAILED: RecordedErrorCode: Recorded error message.\r\n',
    );
  });

  describe('when the organization cannot be listed', () => {
    it.each([
      [
        'AccessDenied',
        new AccessDeniedException({
          message: "You don't have permissions to access this resource.",
          $metadata: { httpStatusCode: 400 },
        }),
        "HTTP 400 AccessDeniedException: You don't have permissions to access this resource.",
      ],
      [
        'no organization',
        new AWSOrganizationsNotInUseException({
          message: 'Your account is not a member of an organization.',
          $metadata: { httpStatusCode: 400 },
        }),
        'HTTP 400 AWSOrganizationsNotInUseException: Your account is not a member of an organization.',
      ],
    ])(
      'falls back to the accounts the aggregator knows on %s, and says so',
      async (_name, error, refusal) => {
        serveConfig(config, record);
        organizations.on(ListAccountsCommand).rejects(error);
        const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--output', 'json']);
        const note = `organizations:ListAccounts was refused (${refusal}): the accounts are those the aggregator knows, so an active account it has never collected is missing here`;
        expect(run.code).toBe(4);
        expect(run.stderr).toBe(
          [
            `cloudtrail-logs-guard report: note: ${note}.`,
            `cloudtrail-logs-guard report: uncovered: 444444444444 eu-west-1: ${NO_RESULT}`,
            `cloudtrail-logs-guard report: uncovered: 444444444444 us-east-1: ${NO_RESULT}`,
            '',
          ].join('\n'),
        );
        const report = JSON.parse(run.stdout);
        expect(report.accounts).toEqual({ source: 'aggregator', note, excluded: [] });
        // 111 and 222 from the rule summary and the rule's results, 333 from the rule's results, 444 from the summary.
        expect([...new Set(report.coverage.map((cell: { accountId: string }) => cell.accountId))]).toEqual([
          '111111111111',
          '222222222222',
          '333333333333',
          '444444444444',
        ]);
        expect(report.coverage[0].accountName).toBeNull();
      },
    );

    it('says it in the table too', async () => {
      serveConfig(config, record);
      organizations
        .on(ListAccountsCommand)
        .rejects(new AccessDeniedException({ message: 'Denied.', $metadata: { httpStatusCode: 400 } }));
      const run = await runInMemory([...COVERAGE, ...TWO_REGIONS]);
      expect(run.stdout.split('\n').slice(0, 3)).toEqual([
        'Coverage of rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 6 of 8 account-regions covered, 2 uncovered (4 accounts known to the aggregator, 2 regions from --region: eu-west-1, us-east-1).',
        'Note: organizations:ListAccounts was refused (HTTP 400 AccessDeniedException: Denied.): the accounts are those the aggregator knows, so an active account it has never collected is missing here.',
        '',
      ]);
    });

    it('fails (exit 1) on any other failure rather than report on fewer accounts', async () => {
      serveConfig(config, record);
      organizations
        .on(ListAccountsCommand)
        .rejects(new TooManyRequestsException({ message: 'Rate exceeded.', $metadata: {} }));
      const run = await runInMemory([...COVERAGE, ...TWO_REGIONS]);
      // One error line; the real clients also name the call (cli/clients.ts), which the mock bypasses.
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^cloudtrail-logs-guard report: .*Rate exceeded\.\n$/);
      expect(config.commandCalls(GetAggregateConfigRuleComplianceSummaryCommand)).toHaveLength(0);
    });
  });

  it('exits 1 with a clear error, reading nothing else, when the aggregator does not exist', async () => {
    serve();
    config.on(DescribeConfigurationAggregatorSourcesStatusCommand).rejects(
      new NoSuchConfigurationAggregatorException({
        message: 'The configuration aggregator does not exist.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS]);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "cloudtrail-logs-guard report: aggregator organization not found: run report with the credentials and region of the aggregator's account (The configuration aggregator does not exist.)\n",
    });
    expect(config.calls()).toHaveLength(1);
    expect(organizations.calls()).toHaveLength(0);
  });

  it('exits 1 rather than report nothing when no region is given and the aggregator has no source', async () => {
    record.DescribeConfigurationAggregatorSourcesStatus = [{ AggregatedSourceStatusList: [], $metadata: {} }];
    serve();
    const run = await runInMemory(COVERAGE);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'cloudtrail-logs-guard report: aggregator organization has no source status to take the governed regions from: give them with --region\n',
    });
  });

  it('prints one CSV row per account and region', async () => {
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--output', 'csv']);
    expect(run.code).toBe(4);
    expect(run.stdout).toBe(
      [
        'account_id,account_name,region,covered,rule_compliance,source_status,reason_code,reason',
        '111111111111,management,eu-west-1,true,NON_COMPLIANT,SUCCEEDED,,',
        '111111111111,management,us-east-1,true,COMPLIANT,SUCCEEDED,,',
        '222222222222,audit,eu-west-1,true,COMPLIANT,SUCCEEDED,,',
        '222222222222,audit,us-east-1,true,COMPLIANT,SUCCEEDED,,',
        '333333333333,workloads-prod,eu-west-1,true,COMPLIANT,SUCCEEDED,,',
        '333333333333,workloads-prod,us-east-1,true,NON_COMPLIANT,SUCCEEDED,,',
        `444444444444,workloads-dev,eu-west-1,false,,SUCCEEDED,noResult,"${NO_RESULT}"`,
        `444444444444,workloads-dev,us-east-1,false,,SUCCEEDED,noResult,"${NO_RESULT}"`,
        '',
      ].join('\r\n'),
    );
  });

  it('prints the report as JSON', async () => {
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--output', 'json']);
    const covered = (accountId: string, accountName: string, region: string, ruleCompliance: string) => ({
      accountId,
      accountName,
      region,
      covered: true,
      ruleCompliance,
      sourceStatus: 'SUCCEEDED',
      reasonCode: null,
      reason: null,
    });
    const uncovered = (region: string) => ({
      accountId: '444444444444',
      accountName: 'workloads-dev',
      region,
      covered: false,
      ruleCompliance: null,
      sourceStatus: 'SUCCEEDED',
      reasonCode: 'noResult',
      reason: NO_RESULT,
    });
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toEqual({
      aggregator: 'organization',
      rule: RULE,
      covered: false,
      accounts: {
        source: 'organizations',
        note: null,
        excluded: [
          { accountId: '555555555555', accountName: 'sandbox', state: 'SUSPENDED' },
          { accountId: '666666666666', accountName: 'legacy', state: 'PENDING_CLOSURE' },
        ],
      },
      regions: { source: 'option', regions: ['eu-west-1', 'us-east-1'] },
      summary: { accountRegions: 8, covered: 6, uncovered: 2 },
      coverage: [
        covered('111111111111', 'management', 'eu-west-1', 'NON_COMPLIANT'),
        covered('111111111111', 'management', 'us-east-1', 'COMPLIANT'),
        covered('222222222222', 'audit', 'eu-west-1', 'COMPLIANT'),
        covered('222222222222', 'audit', 'us-east-1', 'COMPLIANT'),
        covered('333333333333', 'workloads-prod', 'eu-west-1', 'COMPLIANT'),
        covered('333333333333', 'workloads-prod', 'us-east-1', 'NON_COMPLIANT'),
        uncovered('eu-west-1'),
        uncovered('us-east-1'),
      ],
      uncovered: [uncovered('eu-west-1'), uncovered('us-east-1')],
    });
  });

  it('shows progress on stderr only when stderr is a terminal', async () => {
    withNewAccountReporting();
    serve();
    const run = await runInMemory([...COVERAGE, ...TWO_REGIONS, '--output', 'csv'], { stderrIsTTY: true });
    expect(run.stderr).toBe(`Reading where rule ${RULE} has reported from aggregator organization...\n`);
  });
});
