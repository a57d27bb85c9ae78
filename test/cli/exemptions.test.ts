import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailCommand,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DescribeAutomationExecutionsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runInMemory } from './in-memory.js';
import { serviceError } from './sdk-errors.js';

/**
 * The command line with the deployment's exemptions file (`--exemptions FILE`), at an instant the test sets: scan
 * shows an exempt trail as EXEMPT and exits 0, plan and fix refuse it, report lists every exemption's state, and
 * a malformed file stops every command before any AWS call.
 */

const cloudTrail = mockClient(CloudTrailClient);
const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const logs = mockClient(CloudWatchLogsClient);
const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);
const mocks = [cloudTrail, config, sts, organizations, logs, iam, ssm];

const ME = '111122223333';
const OTHER = '444455556666';
const NOW = new Date('2026-03-01T12:00:00.000Z');
const PAYMENTS = 'ou-ab12-paym0001';
const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';

function trail(name: string, account = ME): SdkTrail {
  return {
    Name: name,
    TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/${name}`,
    HomeRegion: 'us-east-1',
    IsMultiRegionTrail: false,
    IsOrganizationTrail: false,
  };
}

const exemption = (name: string, expires: string, reference: string) => ({
  trailArn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/${name}`,
  reason: `The ${name} trail is not sent to CloudWatch Logs.`,
  reference,
  approver: 'ciso@example.com',
  expires,
});

function fileWith(...entries: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'guard-cli-exemptions-')), 'exemptions.json');
  writeFileSync(path, JSON.stringify({ version: 1, exemptions: entries }));
  return path;
}

const awsCalls = () => mocks.reduce((total, mock) => total + mock.calls().length, 0);

beforeEach(() => {
  for (const mock of mocks) mock.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('scan --exemptions', () => {
  beforeEach(() => {
    cloudTrail
      .on(DescribeTrailsCommand)
      .resolves({ trailList: [trail('data-events'), trail('to-be-deleted'), trail('old-exemption')] });
  });
  const FILE = () =>
    fileWith(
      exemption('data-events', '2026-04-15', 'SEC-1'),
      exemption('to-be-deleted', '2026-03-05', 'SEC-2'),
      exemption('old-exemption', '2026-02-01', 'SEC-3'),
    );

  it('shows exempt trails as EXEMPT with date and reason, the days left of one ending soon, and the expired one judged again', async () => {
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--exemptions', FILE()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(
      [
        'TRAIL          ACCOUNT       HOME REGION  VERDICT        REASON',
        `data-events    ${ME}  us-east-1    EXEMPT         Exempt until 2026-04-15: The data-events trail is not sent to CloudWatch Logs. (SEC-1)`,
        `old-exemption  ${ME}  us-east-1    NON_COMPLIANT  Exemption expired on 2026-02-01 (SEC-3). ${NOT_CONFIGURED}`,
        `to-be-deleted  ${ME}  us-east-1    EXEMPT         Exempt until 2026-03-05: The to-be-deleted trail is not sent to CloudWatch Logs. (SEC-2) Expires in 4 days.`,
        '',
        `3 trails in account ${ME} (1 region scanned): 0 COMPLIANT, 1 NON_COMPLIANT, 0 NOT_APPLICABLE, 2 EXEMPT (1 expiring within 14 days).`,
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when every trail is exempt, and gives the exemption in JSON beside the rule verdict', async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [trail('data-events')] });
    const run = await runInMemory([
      'scan',
      '--region',
      'us-east-1',
      '--exemptions',
      FILE(),
      '--output',
      'json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).trails).toEqual([
      {
        name: 'data-events',
        arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/data-events`,
        account: ME,
        homeRegion: 'us-east-1',
        logGroupArn: null,
        roleArn: null,
        verdict: 'NOT_APPLICABLE',
        reasonCode: 'exempt',
        reason: 'Exempt until 2026-04-15: The data-events trail is not sent to CloudWatch Logs. (SEC-1)',
        exemption: {
          state: 'active',
          expires: '2026-04-15',
          daysLeft: 45,
          reason: 'The data-events trail is not sent to CloudWatch Logs.',
          reference: 'SEC-1',
          approver: 'ciso@example.com',
        },
      },
    ]);
  });

  it('judges without the file as without exemptions', async () => {
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--output', 'csv']);
    expect(run.code).toBe(3);
    expect(
      run.stdout
        .split('\r\n')
        .slice(1, 4)
        .map((line) => line.split(',')[5]),
    ).toEqual(['notConfigured', 'notConfigured', 'notConfigured']);
  });

  it.each([
    [
      'a malformed file',
      () => fileWith({ ...exemption('data-events', '2026-04-15', 'SEC-1'), expires: 'next spring' }),
      /^cloudtrail-logs-guard scan: Invalid exemptions in .+: exemptions\[0\] \(SEC-1\): expires "next spring" is not a date: give the day it ends as YYYY-MM-DD \(it ends at 00:00 UTC that day\)\. None of its exemptions is honoured until it is corrected\.\n$/,
    ],
    [
      'a file past the maximum term',
      () => fileWith(exemption('data-events', '2026-12-31', 'SEC-1')),
      /exemptions\[0\] \(SEC-1\): expires 2026-12-31, beyond the maximum term of 90 days \(maxTermDays\) from 2026-03-01/,
    ],
    [
      'a file that does not exist',
      () => '/nonexistent/exemptions.json',
      /^cloudtrail-logs-guard scan: cannot read the exemptions file \/nonexistent\/exemptions\.json \(ENOENT\)\n$/,
    ],
  ])('stops with %s before any AWS call, exit 1', async (_, path, message) => {
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--exemptions', path()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expect(awsCalls()).toBe(0);
  });

  it('reports a trail an OU entry may cover as not judged when its OUs cannot be read, exit 4', async () => {
    organizations
      .on(ListParentsCommand)
      .rejects(
        serviceError('AccessDeniedException', "You don't have permissions to access this resource.", 400),
      );
    const path = fileWith({
      ...exemption('data-events', '2026-04-15', 'SEC-1'),
      trailArn: undefined,
      trailName: 'data-events',
      organizationalUnit: PAYMENTS,
    });
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--exemptions', path]);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      "cloudtrail-logs-guard scan: trail data-events: organizations:ListParents in us-east-1 failed: HTTP 400 AccessDeniedException: You don't have permissions to access this resource. Grant organizations:ListParents to the credentials you run with, or check that no SCP denies it in this region.\n",
    );
  });
});

describe('plan and fix --exemptions', () => {
  beforeEach(() => {
    cloudTrail.on(GetTrailCommand).resolves({ Trail: trail('data-events') });
  });

  it.each([['fix', '--yes'], ['plan']])(
    '%s refuses an exempt trail, exit 1, reading nothing past it',
    async (command, ...flags) => {
      const path = fileWith(exemption('data-events', '2026-04-15', 'SEC-1'));
      const run = await runInMemory([
        command as string,
        'data-events',
        '--exemptions',
        path,
        ...(flags as string[]),
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `cloudtrail-logs-guard ${command}: Trail arn:aws:cloudtrail:us-east-1:${ME}:trail/data-events is exempt until 2026-04-15: The data-events trail is not sent to CloudWatch Logs. (SEC-1, approved by ciso@example.com). Nothing was changed: the remediation refuses an exempt trail. To remediate it now, remove its exemption from the file given with --exemptions (and from the deployment).\n`,
      );
      expect(logs.calls()).toHaveLength(0);
      expect(iam.calls()).toHaveLength(0);
      expect(cloudTrail.commandCalls(GetTrailCommand)).toHaveLength(1);
    },
  );

  it('plans the fix of a trail whose exemption has expired', async () => {
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    iam.on(GetRoleCommand).rejects(serviceError('NoSuchEntityException', 'no such role'));
    const path = fileWith(exemption('data-events', '2026-02-15', 'SEC-1'));
    const run = await runInMemory(['plan', 'data-events', '--exemptions', path]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `Trail arn:aws:cloudtrail:us-east-1:${ME}:trail/data-events: 5 changes planned (dry run: nothing was changed).`,
    );
  });

  it('stops fix before any AWS call with a malformed file', async () => {
    const path = fileWith({ ...exemption('data-events', '2026-04-15', 'SEC-1'), approver: '' });
    const run = await runInMemory(['fix', 'data-events', '--yes', '--exemptions', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('exemptions[0] (SEC-1): approver is required, a non-empty string (got "")');
    expect(awsCalls()).toBe(0);
  });
});

describe('report --exemptions', () => {
  const AGGREGATOR = 'organization';
  const RULE = 'cloudtrail-cloudwatch-logs-integrated';
  const result = (account: string, trailName: string, compliance: string, annotation: string) => ({
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: RULE,
        ResourceType: 'AWS::CloudTrail::Trail',
        ResourceId: trailName,
      },
    },
    ComplianceType: compliance as 'COMPLIANT',
    Annotation: annotation,
    AccountId: account,
    AwsRegion: 'us-east-1',
  });

  beforeEach(() => {
    config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
      AggregateComplianceByConfigRules: [
        { ConfigRuleName: RULE, AccountId: ME, AwsRegion: 'us-east-1' },
        { ConfigRuleName: RULE, AccountId: OTHER, AwsRegion: 'us-east-1' },
      ],
    });
    config.on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: ME }).resolves({
      AggregateEvaluationResults: [
        result(ME, 'data-events', 'NOT_APPLICABLE', 'Exempt until 2026-04-15: x (SEC-1)'),
        result(ME, 'to-be-deleted', 'NOT_APPLICABLE', 'Exempt until 2026-03-05: x (SEC-2)'),
        result(
          ME,
          'old-exemption',
          'NON_COMPLIANT',
          `Exemption expired on 2026-02-01 (SEC-3). ${NOT_CONFIGURED}`,
        ),
        result(
          ME,
          'deleted-trail',
          'NOT_APPLICABLE',
          'The trail no longer exists in this account and region.',
        ),
      ],
    });
    config.on(GetAggregateComplianceDetailsByConfigRuleCommand, { AccountId: OTHER }).resolves({
      AggregateEvaluationResults: [result(OTHER, 'landing-zone', 'NON_COMPLIANT', NOT_CONFIGURED)],
    });
    organizations
      .on(ListParentsCommand, { ChildId: OTHER })
      .resolves({ Parents: [{ Id: PAYMENTS, Type: 'ORGANIZATIONAL_UNIT' }] });
    organizations
      .on(ListParentsCommand, { ChildId: PAYMENTS })
      .resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
  });

  const FILE = () =>
    fileWith(
      exemption('data-events', '2026-04-15', 'SEC-1'),
      exemption('to-be-deleted', '2026-03-05', 'SEC-2'),
      exemption('old-exemption', '2026-02-01', 'SEC-3'),
      exemption('deleted-trail', '2026-04-15', 'SEC-4'),
      {
        ...exemption('landing-zone', '2026-05-01', 'SEC-5'),
        trailArn: undefined,
        trailName: 'landing-zone',
        organizationalUnit: PAYMENTS,
      },
    );

  /** Runs `report --exemptions` of the file at `path` against the aggregator, then the other flags. */
  const reportExemptions = (path: string, ...flags: string[]) =>
    runInMemory(['report', '--aggregator', AGGREGATOR, '--exemptions', path, ...flags]);

  it('lists every exemption with its state and the trails it names, and exits 3 for an expired or unmatched one', async () => {
    const path = FILE();
    const run = await reportExemptions(path, '--output', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ active: 2, expiring: 1, expired: 1, unmatched: 1 });
    expect(
      report.exemptions.map((row: { entry: number; state: string; daysLeft: number; trails: unknown[] }) => [
        row.entry,
        row.state,
        row.daysLeft,
        row.trails,
      ]),
    ).toEqual([
      [0, 'active', 45, [{ accountId: ME, region: 'us-east-1', name: 'data-events' }]],
      [1, 'expiring', 4, [{ accountId: ME, region: 'us-east-1', name: 'to-be-deleted' }]],
      [2, 'expired', -28, [{ accountId: ME, region: 'us-east-1', name: 'old-exemption' }]],
      [3, 'unmatched', 45, []],
      [4, 'active', 61, [{ accountId: OTHER, region: 'us-east-1', name: 'landing-zone' }]],
    ]);
    expect(organizations.commandCalls(ListParentsCommand).map((call) => call.args[0].input.ChildId)).toEqual([
      OTHER,
      PAYMENTS,
    ]);
  });

  it('prints the table with a count line, and exits 0 when every exemption is active or expiring', async () => {
    const path = fileWith(
      exemption('data-events', '2026-04-15', 'SEC-1'),
      exemption('to-be-deleted', '2026-03-05', 'SEC-2'),
    );
    const run = await reportExemptions(path);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        `2 exemptions in ${path}, against rule ${RULE} in aggregator ${AGGREGATOR} at 2026-03-01T12:00:00.000Z: 1 active, 1 expiring, 0 expired, 0 unmatched.`,
        '',
        'ENTRY  STATE     EXPIRES     DAYS LEFT  TRAILS  SCOPE                                                                REFERENCE  APPROVER          REASON',
        `0      active    2026-04-15  45         1       trail arn:aws:cloudtrail:us-east-1:${ME}:trail/data-events    SEC-1      ciso@example.com  The data-events trail is not sent to CloudWatch Logs.`,
        `1      expiring  2026-03-05  4          1       trail arn:aws:cloudtrail:us-east-1:${ME}:trail/to-be-deleted  SEC-2      ciso@example.com  The to-be-deleted trail is not sent to CloudWatch Logs.`,
        '',
      ].join('\n'),
    );
  });

  it('writes the exemptions in force into the evidence, beside the listing', async () => {
    ssm.on(DescribeAutomationExecutionsCommand).resolves({ AutomationExecutionMetadataList: [] });
    const path = FILE();
    const evidence = join(mkdtempSync(join(tmpdir(), 'guard-cli-evidence-')), 'evidence');
    const run = await reportExemptions(path, '--evidence', evidence);
    expect(run.code).toBe(3);
    expect(run.stdout.split('\n')[0]).toMatch(
      /^5 exemptions in .+: 2 active, 1 expiring, 1 expired, 1 unmatched\.$/,
    );
    expect(readFileSync(join(evidence, 'exemptions.csv'), 'utf8')).toBe(
      'account_id,trail,expires_at,reason,reference\r\n' +
        `${ME},arn:aws:cloudtrail:us-east-1:${ME}:trail/data-events,2026-04-15T00:00:00.000Z,The data-events trail is not sent to CloudWatch Logs.,SEC-1\r\n` +
        `${ME},arn:aws:cloudtrail:us-east-1:${ME}:trail/to-be-deleted,2026-03-05T00:00:00.000Z,The to-be-deleted trail is not sent to CloudWatch Logs.,SEC-2\r\n` +
        `${ME},arn:aws:cloudtrail:us-east-1:${ME}:trail/deleted-trail,2026-04-15T00:00:00.000Z,The deleted-trail trail is not sent to CloudWatch Logs.,SEC-4\r\n` +
        `${PAYMENTS},landing-zone,2026-05-01T00:00:00.000Z,The landing-zone trail is not sent to CloudWatch Logs.,SEC-5\r\n`,
    );
  });

  it('gives one CSV row per exemption', async () => {
    const path = fileWith(exemption('deleted-trail', '2026-04-15', 'SEC-4'));
    const run = await reportExemptions(path, '--output', 'csv');
    expect(run.stdout).toBe(
      'entry,state,expires,days_left,scope,reference,approver,reason,trails,checked_at\r\n' +
        `0,unmatched,2026-04-15,45,trail arn:aws:cloudtrail:us-east-1:${ME}:trail/deleted-trail,SEC-4,ciso@example.com,The deleted-trail trail is not sent to CloudWatch Logs.,,2026-03-01T12:00:00.000Z\r\n`,
    );
  });
});
