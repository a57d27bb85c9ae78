import { readFile } from 'node:fs/promises';
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
} from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { commandHelp, programHelp } from '../../cli/commands.js';
import { aggregatorHolds } from './aggregator-fixtures.js';
import { runInMemory } from './in-memory.js';
import { serviceError } from './sdk-errors.js';

const config = mockClient(ConfigServiceClient);
const mocks = [
  mockClient(AccountClient),
  mockClient(CloudTrailClient),
  mockClient(CloudWatchLogsClient),
  config,
  mockClient(IAMClient),
  mockClient(STSClient),
];

beforeEach(() => {
  for (const mock of mocks) mock.reset();
});

async function regionOf(client: unknown): Promise<string> {
  return (client as ConfigServiceClient).config.region();
}

function awsCalls(): number {
  return mocks.reduce((total, mock) => total + mock.calls().length, 0);
}

describe('runCli', () => {
  it.each([
    [['--help'], programHelp()],
    [['help'], programHelp()],
    [['help', 'scan'], commandHelp('scan')],
    [['scan', '--help'], commandHelp('scan')],
    [['plan', '-h'], commandHelp('plan')],
    [['fix', '--help'], commandHelp('fix')],
    [['report', '--help'], commandHelp('report')],
    [['help', '--help'], programHelp()],
  ])('prints help for %j on stdout and exits 0', async (argv, help) => {
    await expect(runInMemory(argv)).resolves.toEqual({ code: 0, stdout: help, stderr: '' });
    expect(awsCalls()).toBe(0);
  });

  it.each([
    [
      [],
      "cloudtrail-logs-guard: missing command: one of scan, plan, fix, report (run 'cloudtrail-logs-guard --help')",
    ],
    [
      ['deploy'],
      'cloudtrail-logs-guard: unknown command "deploy": expected one of scan, plan, fix, report (run \'cloudtrail-logs-guard --help\')',
    ],
    [
      ['scan', '--region', 'mars-1'],
      'cloudtrail-logs-guard scan: --region must be a region code such as us-east-1, got "mars-1" (run \'cloudtrail-logs-guard scan --help\')',
    ],
    [
      ['fix', 'trail-1', '--retention-days', 'forever', '--yes'],
      'cloudtrail-logs-guard fix: --retention-days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got "forever" (run \'cloudtrail-logs-guard fix --help\')',
    ],
    [
      ['plan'],
      "cloudtrail-logs-guard plan: missing required argument 'TRAIL' (run 'cloudtrail-logs-guard plan --help')",
    ],
    [
      ['report', '--aggregator'],
      "cloudtrail-logs-guard report: option '-a, --aggregator <NAME>' argument missing (run 'cloudtrail-logs-guard report --help')",
    ],
  ])('rejects %j with one line on stderr, exit 2 and no AWS call', async (argv, line) => {
    await expect(runInMemory(argv)).resolves.toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
    expect(awsCalls()).toBe(0);
  });

  it('prints the version of the package on stdout and exits 0', async () => {
    const { version } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    await expect(runInMemory(['--version'])).resolves.toEqual({
      code: 0,
      stdout: `cloudtrail-logs-guard ${version}\n`,
      stderr: '',
    });
  });

  it('rejects help for an unknown command with exit 2', async () => {
    await expect(runInMemory(['help', 'deploy'])).resolves.toEqual({
      code: 2,
      stdout: '',
      stderr:
        'cloudtrail-logs-guard: unknown command "deploy": expected one of scan, plan, fix, report (run \'cloudtrail-logs-guard --help\')\n',
    });
  });

  it('prints a usage error also as a JSON error object on stdout when --output json was asked for', async () => {
    const run = await runInMemory(['scan', '--output', 'json', '--window', 'soon']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        command: 'scan',
        message: '--window must be a whole number of hours greater than zero, got "soon"',
        exitCode: 2,
      },
    });
    expect(run.stderr).toBe(
      'cloudtrail-logs-guard scan: --window must be a whole number of hours greater than zero, got "soon" (run \'cloudtrail-logs-guard scan --help\')\n',
    );
  });

  describe('on a terminal', () => {
    const NOTICE = 'cloudtrail-logs-guard: note: running on Node.js v20.0.0; ...';

    it('shows the notice and the progress line, and with --quiet neither', async () => {
      config
        .on(DescribeAggregateComplianceByConfigRulesCommand)
        .resolves({ AggregateComplianceByConfigRules: [] });
      const shown = await runInMemory(['report', '--aggregator', 'org'], {
        stderrIsTTY: true,
        notice: NOTICE,
      });
      expect(shown.stderr.startsWith(`${NOTICE}\n\r\u001b[2KReading rule`)).toBe(true);
      const quiet = await runInMemory(['report', '--aggregator', 'org', '--quiet'], {
        stderrIsTTY: true,
        notice: NOTICE,
      });
      expect(quiet.stderr).toBe('');
    });

    it('shows neither when stderr is not a terminal', async () => {
      config
        .on(DescribeAggregateComplianceByConfigRulesCommand)
        .resolves({ AggregateComplianceByConfigRules: [] });
      const run = await runInMemory(['report', '--aggregator', 'org'], { notice: NOTICE });
      expect(run.stderr).toBe('');
    });
  });

  describe('report', () => {
    const RULE = 'cloudtrail-cloudwatch-logs-integrated';

    const HERE = { account: '111111111111', region: 'us-east-1' };

    /** The rule's result for trail main of 111111111111 in us-east-1. */
    const mainResult = (compliance: 'COMPLIANT' | 'NON_COMPLIANT') => ({
      EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceId: 'main' } },
      ComplianceType: compliance,
      AccountId: HERE.account,
      AwsRegion: HERE.region,
    });

    /** The aggregator holds one result of the rule: trail main of 111111111111 in us-east-1, `compliance`. */
    function mainIs(compliance: 'COMPLIANT' | 'NON_COMPLIANT') {
      aggregatorHolds(config, [HERE], [mainResult(compliance)]);
    }

    it('exits 0 when no trail is NON_COMPLIANT', async () => {
      mainIs('COMPLIANT');
      const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'csv']);
      expect(run).toEqual({
        code: 0,
        stdout:
          'account_id,region,trail,compliance,annotation,recorded_at,reason_code\r\n111111111111,us-east-1,main,COMPLIANT,,,\r\n',
        stderr: '',
      });
    });

    it('exits 3 when a trail is NON_COMPLIANT (a finding, not an error)', async () => {
      mainIs('NON_COMPLIANT');
      const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'json']);
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout).nonCompliant).toEqual([
        { accountId: '111111111111', region: 'us-east-1', resourceId: 'main', compliance: 'NON_COMPLIANT' },
      ]);
    });

    it.each([
      ['every trail COMPLIANT', 'COMPLIANT'],
      ['a NON_COMPLIANT trail', 'NON_COMPLIANT'],
    ] as const)(
      'exits 4 and names the place on stderr when the rule could not judge a trail there, with %s',
      async (_case, compliance) => {
        const notJudged =
          "Not judged: 1 trail listed here could not be judged, so this account and region is not COMPLIANT; the rule's failed evaluation names each and why.";
        aggregatorHolds(
          config,
          [HERE],
          [
            mainResult(compliance),
            {
              EvaluationResultIdentifier: {
                EvaluationResultQualifier: { ResourceType: 'AWS::::Account', ResourceId: '111111111111' },
              },
              ComplianceType: 'NON_COMPLIANT',
              Annotation: notJudged,
              AccountId: '111111111111',
              AwsRegion: 'us-east-1',
            },
          ],
        );
        const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'csv']);
        expect(run).toEqual({
          code: 4,
          stdout: `account_id,region,trail,compliance,annotation,recorded_at,reason_code\r\n111111111111,us-east-1,main,${compliance},,,\r\n`,
          stderr: `cloudtrail-logs-guard report: not judged in full: account 111111111111 in us-east-1: ${notJudged} (see that account's failed evaluations of the rule in Config)\n`,
        });
      },
    );

    it('shows progress on stderr only when stderr is a terminal', async () => {
      mainIs('COMPLIANT');
      const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'csv'], {
        stderrIsTTY: true,
      });
      expect(run.stderr).toBe(`\r\u001b[2KReading rule ${RULE} from aggregator org...\r\u001b[2K`);
    });

    it.each([
      [
        'table',
        'No evaluations of rule cloudtrail-cloudwatch-logs-integrated in aggregator org: check the rule name (--rule) and that the aggregator collects the accounts and regions the rule runs in.\n',
        '',
      ],
      [
        'csv',
        'account_id,region,trail,compliance,annotation,recorded_at,reason_code\r\n',
        'cloudtrail-logs-guard report: no evaluations of rule cloudtrail-cloudwatch-logs-integrated in aggregator org in eu-west-1: check the rule name (--rule), the region (--region), and that the aggregator collects the accounts and regions the rule runs in.\n',
      ],
    ])(
      'exits 4 as %s when the aggregator has no evaluation of the rule, which proves nothing',
      async (output, stdout, stderr) => {
        config
          .on(DescribeAggregateComplianceByConfigRulesCommand)
          .resolves({ AggregateComplianceByConfigRules: [] });
        const run = await runInMemory([
          'report',
          '--aggregator',
          'org',
          '--region',
          'eu-west-1',
          '--output',
          output,
        ]);
        expect(run).toEqual({ code: 4, stdout, stderr });
        expect(await regionOf(config.call(0).thisValue)).toBe('eu-west-1');
      },
    );

    it('exits 1 with the error on stderr when the aggregator cannot be read', async () => {
      config
        .on(DescribeAggregateComplianceByConfigRulesCommand)
        .rejects(
          serviceError(
            'NoSuchConfigurationAggregatorException',
            'The configuration aggregator does not exist.',
          ),
        );
      await expect(runInMemory(['report', '--aggregator', 'org'])).resolves.toEqual({
        code: 1,
        stdout: '',
        stderr:
          "cloudtrail-logs-guard report: config:DescribeAggregateComplianceByConfigRules on aggregator org in us-east-1 failed: NoSuchConfigurationAggregatorException: The configuration aggregator does not exist. Aggregators are listed by aws configservice describe-configuration-aggregators; run report with the credentials and --region of the aggregator's account.\n",
      });
    });

    it('prints the error as a JSON object on stdout with --output json', async () => {
      config
        .on(DescribeAggregateComplianceByConfigRulesCommand)
        .rejects(serviceError('AccessDeniedException', 'User is not authorized.', 400));
      const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'json']);
      expect(run.code).toBe(1);
      const line =
        'config:DescribeAggregateComplianceByConfigRules on aggregator org in us-east-1 failed: HTTP 400 AccessDeniedException: User is not authorized. Grant config:DescribeAggregateComplianceByConfigRules on aggregator org to the credentials you run with, or check that no SCP denies it in this region.';
      expect(run.stderr).toBe(`cloudtrail-logs-guard report: ${line}\n`);
      expect(JSON.parse(run.stdout)).toEqual({
        error: {
          command: 'report',
          message: line,
          exitCode: 1,
          operation: 'config:DescribeAggregateComplianceByConfigRules',
          resource: 'aggregator org',
          region: 'us-east-1',
          cause: 'permission',
          code: 'AccessDeniedException',
          httpStatus: 400,
        },
      });
    });
  });
});
