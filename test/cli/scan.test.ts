import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderScan, type ScannedTrail } from '../../cli/scan.js';
import { runInMemory } from './in-memory.js';

const cloudTrail = mockClient(CloudTrailClient);
const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const account = mockClient(AccountClient);

const ME = '111122223333';
const MANAGEMENT = '999988887777';
const LOG_GROUP = `arn:aws:logs:us-east-1:${ME}:log-group:/cloudtrail-logs-guard/multi:*`;
const ROLE = `arn:aws:iam::${ME}:role/cloudtrail-logs-guard/CloudTrailToLogs-us-east-1-multi`;
const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';

function trail(name: string, homeRegion: string, extra: Partial<SdkTrail> = {}, owner = ME): SdkTrail {
  return {
    Name: name,
    TrailARN: `arn:aws:cloudtrail:${homeRegion}:${owner}:trail/${name}`,
    HomeRegion: homeRegion,
    IsMultiRegionTrail: false,
    IsOrganizationTrail: false,
    ...extra,
  };
}

const MULTI = trail('multi', 'us-east-1', {
  IsMultiRegionTrail: true,
  CloudWatchLogsLogGroupArn: LOG_GROUP,
  CloudWatchLogsRoleArn: ROLE,
});
const LOCAL = trail('local', 'us-east-1');
const EU = trail('eu-audit', 'eu-west-1');
const ORG = trail('org', 'us-east-1', { IsMultiRegionTrail: true, IsOrganizationTrail: true }, MANAGEMENT);

async function regionOf(client: unknown): Promise<string> {
  return (client as CloudTrailClient).config.region();
}

/** Answers DescribeTrails per region, as CloudTrail does: the region's own trails plus copies of others. */
function trailsByRegion(byRegion: Record<string, SdkTrail[]>): void {
  cloudTrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => ({
    trailList: byRegion[await regionOf(getClient())] ?? [],
  }));
}

/** Regions of the clients that sent the given calls, in call order. */
async function callRegions(calls: readonly { readonly thisValue: unknown }[]): Promise<string[]> {
  return Promise.all(calls.map((call) => regionOf(call.thisValue)));
}

beforeEach(() => {
  cloudTrail.reset();
  config.reset();
  sts.reset();
  account.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
});

describe('scan', () => {
  it('reports a multi-region trail once, judged in its home region, over two regions', async () => {
    trailsByRegion({ 'us-east-1': [MULTI, LOCAL], 'eu-west-1': [MULTI, EU] });
    const run = await runInMemory([
      'scan',
      '--region',
      'eu-west-1',
      '--region',
      'us-east-1',
      '--output',
      'json',
    ]);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({
      regions: ['eu-west-1', 'us-east-1'],
      trails: [
        {
          name: 'eu-audit',
          arn: `arn:aws:cloudtrail:eu-west-1:${ME}:trail/eu-audit`,
          account: ME,
          homeRegion: 'eu-west-1',
          verdict: 'NON_COMPLIANT',
          reason: NOT_CONFIGURED,
        },
        {
          name: 'local',
          arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/local`,
          account: ME,
          homeRegion: 'us-east-1',
          verdict: 'NON_COMPLIANT',
          reason: NOT_CONFIGURED,
        },
        {
          name: 'multi',
          arn: MULTI.TrailARN,
          account: ME,
          homeRegion: 'us-east-1',
          verdict: 'COMPLIANT',
          reason:
            'Integrated: the trail sends events to CloudWatch Logs log group /cloudtrail-logs-guard/multi.',
        },
      ],
      summary: { COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 0 },
    });
    expect((await callRegions(cloudTrail.commandCalls(DescribeTrailsCommand))).sort()).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    expect(cloudTrail.commandCalls(DescribeTrailsCommand).map((c) => c.args[0].input)).toEqual([
      { includeShadowTrails: true },
      { includeShadowTrails: true },
    ]);
    expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
  });

  it("judges a trail seen only as a copy in its home region, and leaves another account's trail to its owner", async () => {
    trailsByRegion({ 'eu-west-1': [MULTI, ORG] });
    const run = await runInMemory(['scan', '--region', 'eu-west-1']);
    expect(run).toEqual({
      code: 0,
      stdout: [
        'TRAIL  ACCOUNT       HOME REGION  VERDICT         REASON',
        'multi  111122223333  us-east-1    COMPLIANT       Integrated: the trail sends events to CloudWatch Logs log group /cloudtrail-logs-guard/multi.',
        'org    999988887777  us-east-1    NOT_APPLICABLE  Copy of organization trail org owned by account 999988887777; it is evaluated in that account in us-east-1.',
        '',
        '2 trails in eu-west-1: 1 COMPLIANT, 0 NON_COMPLIANT, 1 NOT_APPLICABLE.',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it("scans the SDK's region when none is named, with progress on a terminal's stderr", async () => {
    trailsByRegion({ 'us-east-1': [LOCAL] });
    const run = await runInMemory(['scan'], { stderrIsTTY: true });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('Listing trails in us-east-1...\nJudging 1 trail...\n');
    expect(run.stdout).toContain('1 trail in us-east-1: 0 COMPLIANT, 1 NON_COMPLIANT, 0 NOT_APPLICABLE.');
  });

  it('scans every enabled region of the account with --all-regions, reading ListRegions to the last page', async () => {
    account
      .on(ListRegionsCommand)
      .resolvesOnce({
        Regions: [{ RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }],
        NextToken: 'p2',
      })
      .resolvesOnce({ Regions: [{ RegionName: 'ap-east-1', RegionOptStatus: 'ENABLED' }] });
    trailsByRegion({});
    const run = await runInMemory(['scan', '--all-regions']);
    expect(run).toEqual({ code: 0, stdout: 'No trails in ap-east-1, us-east-1.\n', stderr: '' });
    expect(account.commandCalls(ListRegionsCommand).map((c) => c.args[0].input)).toEqual([
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 },
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: 'p2' },
    ]);
  });

  describe('--window', () => {
    const NOW = Date.now();

    it('checks delivery of owned, integrated trails in their home region, as the rule parameter does', async () => {
      trailsByRegion({ 'eu-west-1': [MULTI, EU] });
      cloudTrail
        .on(GetTrailStatusCommand)
        .resolves({ LatestCloudWatchLogsDeliveryTime: new Date(NOW - 5 * 3600_000) });
      config.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [{ configurationItemCaptureTime: new Date(NOW - 30 * 24 * 3600_000) }],
      });
      const run = await runInMemory(['scan', '--region', 'eu-west-1', '--window', '24', '--output', 'json']);
      const { trails } = JSON.parse(run.stdout) as { trails: ScannedTrail[] };
      expect(trails.find((t) => t.name === 'multi')).toMatchObject({
        verdict: 'COMPLIANT',
        reason:
          'Integrated and delivering: last delivery to log group /cloudtrail-logs-guard/multi was 5 hours ago (window 24 hours).',
      });
      expect(cloudTrail.commandCalls(GetTrailStatusCommand).map((c) => c.args[0].input)).toEqual([
        { Name: MULTI.TrailARN },
      ]);
      expect(await callRegions(cloudTrail.commandCalls(GetTrailStatusCommand))).toEqual(['us-east-1']);
      // A fresh delivery counts only when no integration change follows it: the history is read for that.
      expect(config.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input)).toEqual([
        { resourceType: 'AWS::CloudTrail::Trail', resourceId: 'multi', limit: 10 },
      ]);
    });

    it('fails a stale trail with its delivery error after looking for the latest integration change', async () => {
      trailsByRegion({ 'us-east-1': [MULTI] });
      cloudTrail.on(GetTrailStatusCommand).resolves({
        LatestCloudWatchLogsDeliveryTime: new Date(NOW - 3 * 24 * 3600_000),
        LatestCloudWatchLogsDeliveryError: 'AccessDenied',
      });
      config.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [{ configurationItemCaptureTime: new Date(NOW - 30 * 24 * 3600_000) }],
      });
      const run = await runInMemory(['scan', '--region', 'us-east-1', '--window', '24', '--output', 'json']);
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout).trails[0]).toMatchObject({
        verdict: 'NON_COMPLIANT',
        reason:
          'Not delivering: last delivery to log group /cloudtrail-logs-guard/multi was 3 days ago, beyond the 24 hours window. Delivery error: AccessDenied',
      });
      expect(config.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(1);
    });
  });

  it.each([
    [
      'DescribeTrails is denied',
      () =>
        cloudTrail
          .on(DescribeTrailsCommand)
          .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' })),
      ['scan', '--region', 'us-east-1'],
      'cloudtrail-logs-guard scan: access denied: the credentials you run with need cloudtrail:DescribeTrails (AccessDeniedException: not authorized)\n',
    ],
    [
      'there are no credentials',
      () => {
        trailsByRegion({});
        sts.on(GetCallerIdentityCommand).rejects(
          Object.assign(new Error('Could not load credentials from any providers'), {
            name: 'CredentialsProviderError',
          }),
        );
      },
      ['scan', '--region', 'us-east-1'],
      'cloudtrail-logs-guard scan: could not identify your AWS credentials (sts:GetCallerIdentity): CredentialsProviderError: Could not load credentials from any providers. Log in (aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID) and try again.\n',
    ],
    [
      'ListRegions is denied',
      () =>
        account
          .on(ListRegionsCommand)
          .rejects(Object.assign(new Error('denied\nmore'), { name: 'AccessDeniedException' })),
      ['scan', '--all-regions'],
      "cloudtrail-logs-guard scan: --all-regions could not list the account's enabled regions (account:ListRegions): AccessDeniedException: denied. Grant account:ListRegions or name the regions with --region.\n",
    ],
  ])('exits 1 with one line on stderr when %s', async (_name, arrange, argv, stderr) => {
    arrange();
    await expect(runInMemory(argv)).resolves.toEqual({ code: 1, stdout: '', stderr });
  });
});

describe('renderScan', () => {
  const trails: ScannedTrail[] = [
    {
      name: 'a',
      arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/a`,
      account: ME,
      homeRegion: 'us-east-1',
      verdict: 'COMPLIANT',
      reason: 'ok',
    },
  ];

  it('prints a table with a count line', () => {
    expect(renderScan(['us-east-1'], trails, 'table')).toBe(
      [
        'TRAIL  ACCOUNT       HOME REGION  VERDICT    REASON',
        'a      111122223333  us-east-1    COMPLIANT  ok',
        '',
        '1 trail in us-east-1: 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
        '',
      ].join('\n'),
    );
  });

  it('prints an empty scan as JSON with zero counts', () => {
    expect(renderScan(['us-east-1'], [], 'json')).toBe(
      `${JSON.stringify({ regions: ['us-east-1'], trails: [], summary: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 } }, null, 2)}\n`,
    );
  });
});
