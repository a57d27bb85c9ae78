import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail as SdkTrail,
} from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, GetResourceConfigHistoryCommand } from '@aws-sdk/client-config-service';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderScan, type ScannedTrail, scanProgressLine } from '../../cli/scan.js';
import { ConfigHistory } from '../rule/config-history.js';
import { integrationResources } from '../rule/integration-resources.js';
import { runInMemory } from './in-memory.js';
import { serviceError } from './sdk-errors.js';

const cloudTrail = mockClient(CloudTrailClient);
const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const account = mockClient(AccountClient);
const ec2 = mockClient(EC2Client);

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
const INTEGRATED =
  'Integrated: the trail sends events to CloudWatch Logs log group /cloudtrail-logs-guard/multi.';
/** MULTI as scan prints it in JSON. */
const SCANNED_MULTI: ScannedTrail = {
  name: 'multi',
  arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/multi`,
  account: ME,
  homeRegion: 'us-east-1',
  logGroupArn: LOG_GROUP,
  roleArn: ROLE,
  verdict: 'COMPLIANT',
  reasonCode: 'integrated',
  reason: INTEGRATED,
};
const LOCAL = trail('local', 'us-east-1');
const EU = trail('eu-audit', 'eu-west-1');
const ORG = trail('org', 'us-east-1', { IsMultiRegionTrail: true, IsOrganizationTrail: true }, MANAGEMENT);

async function regionOf(client: unknown): Promise<string> {
  return (client as CloudTrailClient).config.region();
}

/** Answers DescribeTrails with what `answer` gives for the region of the client that asks. */
function describeTrailsIn(answer: (region: string) => Promise<SdkTrail[]> | SdkTrail[]): void {
  cloudTrail.on(DescribeTrailsCommand).callsFake(async (_input, getClient) => ({
    trailList: await answer(await regionOf(getClient())),
  }));
}

/** Answers DescribeTrails per region, as CloudTrail does: the region's own trails plus copies of others. */
function trailsByRegion(byRegion: Record<string, SdkTrail[]>): void {
  describeTrailsIn((region) => byRegion[region] ?? []);
}

/** Runs `scan` with a --region flag for each region, in the order given, then the other flags. */
function scanRegions(regions: readonly string[], ...flags: string[]) {
  return runInMemory(['scan', ...regions.flatMap((region) => ['--region', region]), ...flags]);
}

/** Each trail of a scan's JSON output with its verdict. */
function verdictsOf(stdout: string): string[][] {
  return (JSON.parse(stdout) as { trails: ScannedTrail[] }).trails.map((t) => [t.name, t.verdict]);
}

/** Regions of the clients that sent the given calls, in call order. */
async function callRegions(calls: readonly { readonly thisValue: unknown }[]): Promise<string[]> {
  return Promise.all(calls.map((call) => regionOf(call.thisValue)));
}

beforeEach(() => {
  integrationResources();
  cloudTrail.reset();
  config.reset();
  sts.reset();
  account.reset();
  ec2.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
});

describe('scan', () => {
  it('reports a multi-region trail once, judged in its home region, over two regions', async () => {
    trailsByRegion({ 'us-east-1': [MULTI, LOCAL], 'eu-west-1': [MULTI, EU] });
    const run = await scanRegions(['eu-west-1', 'us-east-1'], '--output', 'json');
    expect(run.code).toBe(3);
    const { scannedAt, ...rest } = JSON.parse(run.stdout);
    expect(Date.parse(scannedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(rest).toEqual({
      account: ME,
      regions: ['eu-west-1', 'us-east-1'],
      complete: true,
      trails: [
        {
          name: 'eu-audit',
          arn: `arn:aws:cloudtrail:eu-west-1:${ME}:trail/eu-audit`,
          account: ME,
          homeRegion: 'eu-west-1',
          logGroupArn: null,
          roleArn: null,
          verdict: 'NON_COMPLIANT',
          reasonCode: 'notConfigured',
          reason: NOT_CONFIGURED,
        },
        {
          name: 'local',
          arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/local`,
          account: ME,
          homeRegion: 'us-east-1',
          logGroupArn: null,
          roleArn: null,
          verdict: 'NON_COMPLIANT',
          reasonCode: 'notConfigured',
          reason: NOT_CONFIGURED,
        },
        SCANNED_MULTI,
      ],
      summary: { COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 0 },
      failures: [],
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
        `multi  111122223333  us-east-1    COMPLIANT       ${INTEGRATED}`,
        'org    999988887777  us-east-1    NOT_APPLICABLE  Copy of organization trail org owned by account 999988887777; it is evaluated in that account in us-east-1.',
        '',
        '2 trails in account 111122223333 (1 region scanned): 1 COMPLIANT, 0 NON_COMPLIANT, 1 NOT_APPLICABLE.',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it("scans every enabled region when none is named, with progress on a terminal's stderr", async () => {
    account.on(ListRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1' }] });
    trailsByRegion({ 'us-east-1': [LOCAL] });
    const run = await runInMemory(['scan'], { stderrIsTTY: true });
    expect(run.code).toBe(3);
    // One status line, rewritten in place (carriage return, erase line), and erased before the command ends.
    const erase = '\r\u001b[2K';
    expect(run.stderr).toBe(
      [
        'Identifying your AWS credentials...',
        "Listing the account's enabled regions...",
        'Scanning: 1 of 1 region listed, 0 of 1 trail judged...',
        'Scanning: 1 of 1 region listed, 1 of 1 trail judged...',
        '',
      ]
        .map((line) => `${erase}${line}`)
        .join(''),
    );
    expect(run.stdout).toContain(
      '1 trail in account 111122223333 (1 region scanned): 0 COMPLIANT, 1 NON_COMPLIANT, 0 NOT_APPLICABLE.',
    );
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
    expect(run).toEqual({
      code: 0,
      stdout: 'No trails in account 111122223333 (2 regions scanned).\n',
      stderr: '',
    });
    expect(account.commandCalls(ListRegionsCommand).map((c) => c.args[0].input)).toEqual([
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50 },
      { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: 'p2' },
    ]);
  });

  describe('--window', () => {
    const NOW = Date.now();
    /** Config's history of the trail: discovered, integrated as it is now, 30 days ago. */
    const multiDiscovered30DaysAgo = () =>
      new ConfigHistory()
        .record({
          resourceType: 'AWS::CloudTrail::Trail',
          resourceId: 'multi',
          configurationItemCaptureTime: new Date(NOW - 30 * 24 * 3600_000),
          configurationItemStatus: 'ResourceDiscovered',
          configuration: JSON.stringify({
            cloudWatchLogsLogGroupArn: MULTI.CloudWatchLogsLogGroupArn,
            cloudWatchLogsRoleArn: MULTI.CloudWatchLogsRoleArn,
          }),
        })
        .install(config);

    it('checks delivery of owned, integrated trails in their home region, as the rule parameter does', async () => {
      trailsByRegion({ 'eu-west-1': [MULTI, EU] });
      cloudTrail
        .on(GetTrailStatusCommand)
        .resolves({ LatestCloudWatchLogsDeliveryTime: new Date(NOW - 5 * 3600_000) });
      multiDiscovered30DaysAgo();
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
        {
          resourceType: 'AWS::CloudTrail::Trail',
          resourceId: 'multi',
          earlierTime: new Date(NOW - 5 * 3600_000),
          limit: 100,
        },
      ]);
    });

    it("judges a region's trails while another region is still being listed", async () => {
      const events: string[] = [];
      let judging: () => void = () => {};
      const judged = new Promise<void>((resolve) => {
        judging = resolve;
      });
      describeTrailsIn(async (region) => {
        if (region === 'us-east-1') return [MULTI];
        // eu-west-1 answers only once us-east-1's trail is being judged (or, with a barrier, after 2 s).
        await Promise.race([judged, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        events.push('eu-west-1 listed');
        return [];
      });
      cloudTrail.on(GetTrailStatusCommand).callsFake(() => {
        events.push('multi judged');
        judging();
        return { LatestCloudWatchLogsDeliveryTime: new Date(NOW - 5 * 3600_000) };
      });
      multiDiscovered30DaysAgo();
      const run = await scanRegions(['eu-west-1', 'us-east-1'], '--window', '24');
      expect(run.code).toBe(0);
      expect(events).toEqual(['multi judged', 'eu-west-1 listed']);
    });

    it('fails a stale trail with its delivery error after looking for the latest integration change', async () => {
      trailsByRegion({ 'us-east-1': [MULTI] });
      cloudTrail.on(GetTrailStatusCommand).resolves({
        LatestCloudWatchLogsDeliveryTime: new Date(NOW - 3 * 24 * 3600_000),
        LatestCloudWatchLogsDeliveryError: 'AccessDenied',
      });
      multiDiscovered30DaysAgo();
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

  const denied = (message: string) => serviceError('AccessDeniedException', message, 400);

  it("judges a multi-region trail from its home region's copy, even when another region lists it first", async () => {
    const staleCopy = { ...MULTI, CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined };
    describeTrailsIn(async (region) => {
      if (region === 'eu-west-1') return [staleCopy];
      await new Promise((resolve) => setTimeout(resolve, 50));
      return [MULTI];
    });
    const run = await scanRegions(['eu-west-1', 'us-east-1'], '--output', 'json');
    expect(run.code).toBe(0);
    expect(verdictsOf(run.stdout)).toEqual([['multi', 'COMPLIANT']]);
  });

  it("judges a copy from another region when the trail's home region cannot be listed", async () => {
    describeTrailsIn((region) => {
      if (region === 'us-east-1') throw denied('denied');
      return [MULTI];
    });
    const run = await scanRegions(['eu-west-1', 'us-east-1'], '--output', 'json');
    expect(run.code).toBe(4);
    expect(verdictsOf(run.stdout)).toEqual([['multi', 'COMPLIANT']]);
  });

  it.each([
    [[], 4],
    [['--concurrency', '2'], 2],
    [['--concurrency', '1'], 1],
  ])('lists at most as many regions at once as %j allows', async (flags, most) => {
    const regions = ['ap-south-1', 'eu-west-1', 'eu-west-2', 'sa-east-1', 'us-east-1', 'us-west-2'];
    let listing = 0;
    let peak = 0;
    cloudTrail.on(DescribeTrailsCommand).callsFake(async () => {
      listing += 1;
      peak = Math.max(peak, listing);
      await new Promise((resolve) => setTimeout(resolve, 20));
      listing -= 1;
      return { trailList: [] };
    });
    const run = await scanRegions(regions, ...flags);
    expect(run.code).toBe(0);
    expect(cloudTrail.commandCalls(DescribeTrailsCommand)).toHaveLength(regions.length);
    expect(peak).toBe(most);
  });

  it('reports a region it cannot list on stderr, prints the others and exits 4 (incomplete)', async () => {
    describeTrailsIn((region) => {
      if (region === 'eu-west-1') throw denied('explicit deny in a service control policy');
      return [LOCAL];
    });
    const run = await scanRegions(['us-east-1', 'eu-west-1']);
    expect(run).toEqual({
      code: 4,
      stdout: [
        'TRAIL  ACCOUNT       HOME REGION  VERDICT        REASON',
        `local  111122223333  us-east-1    NON_COMPLIANT  ${NOT_CONFIGURED}`,
        '',
        '1 trail in account 111122223333 (1 of 2 regions scanned in full): 0 COMPLIANT, 1 NON_COMPLIANT, 0 NOT_APPLICABLE.',
        'Incomplete: eu-west-1 could not be scanned in full (the errors are on stderr).',
        '',
      ].join('\n'),
      stderr:
        'cloudtrail-logs-guard scan: cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 400 AccessDeniedException: explicit deny in a service control policy. Grant cloudtrail:DescribeTrails to the credentials you run with, or check that no SCP denies it in this region.\n',
    });
  });

  it('names a trail it cannot judge, keeps the other verdicts, and lists the failure in JSON', async () => {
    trailsByRegion({ 'us-east-1': [MULTI, LOCAL] });
    cloudTrail.on(GetTrailStatusCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded', 400));
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--window', '24', '--output', 'json']);
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      'cloudtrail-logs-guard scan: trail multi: cloudtrail:GetTrailStatus in us-east-1 failed: HTTP 400 ThrottlingException: Rate exceeded. AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.\n',
    );
    const output = JSON.parse(run.stdout);
    expect(output.complete).toBe(false);
    expect(output.trails.map((t: ScannedTrail) => t.name)).toEqual(['local']);
    expect(output.failures).toEqual([
      {
        region: 'us-east-1',
        operation: 'cloudtrail:GetTrailStatus',
        trail: 'multi',
        cause: 'throttling',
        code: 'ThrottlingException',
        httpStatus: 400,
        message: 'Rate exceeded',
      },
    ]);
  });

  it("names a malformed DescribeTrails entry as that trail's failure and still judges the others", async () => {
    trailsByRegion({ 'us-east-1': [LOCAL, { ...MULTI, HomeRegion: undefined }] });
    const run = await runInMemory(['scan', '--region', 'us-east-1', '--output', 'json']);
    expect(run.code).toBe(4);
    const output = JSON.parse(run.stdout);
    expect(output.trails.map((t: ScannedTrail) => t.name)).toEqual(['local']);
    expect(output.failures).toMatchObject([
      { region: 'us-east-1', operation: 'cloudtrail:DescribeTrails', trail: 'multi' },
    ]);
    expect(run.stderr).toContain('trail multi: cloudtrail:DescribeTrails in us-east-1 failed');
  });

  it('exits 4, not 3, when a finding and a failure come together', async () => {
    describeTrailsIn((region) => {
      if (region === 'eu-west-1') throw new Error('socket hang up');
      return [LOCAL];
    });
    const run = await scanRegions(['us-east-1', 'eu-west-1'], '--output', 'csv');
    expect(run.code).toBe(4);
    expect(run.stdout.split('\r\n')[1]).toMatch(/^111122223333,us-east-1,local,/);
  });

  it.each([
    [
      'there are no credentials',
      () =>
        sts
          .on(GetCallerIdentityCommand)
          .rejects(serviceError('CredentialsProviderError', 'Could not load credentials from any providers')),
      ['scan', '--region', 'us-east-1'],
      'cloudtrail-logs-guard scan: could not identify your AWS credentials: sts:GetCallerIdentity in us-east-1 failed: CredentialsProviderError: Could not load credentials from any providers. Check your credentials: log in again (aws sso login), or pick a profile with --profile or AWS_PROFILE; in an opt-in region, check that the region is enabled for the account.\n',
    ],
    [
      'STS refuses the connection (not a login problem)',
      () =>
        sts
          .on(GetCallerIdentityCommand)
          .rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })),
      ['scan', '--region', 'us-east-1'],
      'cloudtrail-logs-guard scan: could not identify your AWS credentials: sts:GetCallerIdentity in us-east-1 failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1. Check your network connection, proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL; the request did not get an answer.\n',
    ],
    [
      'both ListRegions and DescribeRegions fail',
      () => {
        account.on(ListRegionsCommand).rejects(denied('denied\nmore'));
        ec2
          .on(DescribeRegionsCommand)
          .rejects(
            serviceError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403),
          );
      },
      ['scan'],
      "cloudtrail-logs-guard scan: could not list the account's enabled regions: account:ListRegions failed (HTTP 400 AccessDeniedException: denied) and ec2:DescribeRegions failed (HTTP 403 UnauthorizedOperation: You are not authorized to perform this operation.). Grant either action, or name the regions with --region.\n",
    ],
  ])('exits 1 with one line on stderr when %s', async (_name, arrange, argv, stderr) => {
    arrange();
    await expect(runInMemory(argv)).resolves.toEqual({ code: 1, stdout: '', stderr });
  });

  it('falls back to ec2:DescribeRegions when account:ListRegions is denied', async () => {
    account.on(ListRegionsCommand).rejects(denied('denied'));
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'ap-south-1' }] });
    trailsByRegion({});
    await expect(runInMemory(['scan'])).resolves.toEqual({
      code: 0,
      stdout: 'No trails in account 111122223333 (2 regions scanned).\n',
      stderr: '',
    });
    expect(ec2.commandCalls(DescribeRegionsCommand).map((c) => c.args[0].input)).toEqual([{}]);
    expect((await callRegions(cloudTrail.commandCalls(DescribeTrailsCommand))).sort()).toEqual([
      'ap-south-1',
      'us-east-1',
    ]);
  });
});

describe('renderScan', () => {
  const trails: ScannedTrail[] = [
    { ...SCANNED_MULTI, name: 'a', arn: `arn:aws:cloudtrail:us-east-1:${ME}:trail/a` },
  ];
  const context = { account: ME, regions: ['us-east-1'], scannedAt: new Date('2026-01-02T03:04:05Z') };

  it('prints a table with a count line naming the account', () => {
    expect(renderScan({ trails, failures: [] }, context, 'table')).toBe(
      [
        'TRAIL  ACCOUNT       HOME REGION  VERDICT    REASON',
        `a      111122223333  us-east-1    COMPLIANT  ${INTEGRATED}`,
        '',
        '1 trail in account 111122223333 (1 region scanned): 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
        '',
      ].join('\n'),
    );
  });

  it('wraps the reason to fit a terminal of the given width', () => {
    expect(renderScan({ trails, failures: [] }, { ...context, width: 80 }, 'table')).toBe(
      [
        'TRAIL  ACCOUNT       HOME REGION  VERDICT    REASON',
        'a      111122223333  us-east-1    COMPLIANT  Integrated: the trail sends events',
        '                                             to CloudWatch Logs log group',
        '                                             /cloudtrail-logs-guard/multi.',
        '',
        '1 trail in account 111122223333 (1 region scanned): 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
        '',
      ].join('\n'),
    );
  });

  it('prints an empty scan with the account id', () => {
    expect(renderScan({ trails: [], failures: [] }, context, 'table')).toBe(
      'No trails in account 111122223333 (1 region scanned).\n',
    );
  });

  it('prints one CSV row per trail with the ARNs, the reason code and the scan time', () => {
    expect(renderScan({ trails, failures: [] }, context, 'csv')).toBe(
      [
        'account_id,region,trail,trail_arn,verdict,reason_code,reason,log_group_arn,role_arn,scanned_at',
        `111122223333,us-east-1,a,arn:aws:cloudtrail:us-east-1:${ME}:trail/a,COMPLIANT,integrated,${INTEGRATED},${LOG_GROUP},${ROLE},2026-01-02T03:04:05.000Z`,
        '',
      ].join('\r\n'),
    );
  });

  it('prints an empty scan as JSON with zero counts', () => {
    expect(renderScan({ trails: [], failures: [] }, context, 'json')).toBe(
      `${JSON.stringify(
        {
          account: ME,
          scannedAt: '2026-01-02T03:04:05.000Z',
          regions: ['us-east-1'],
          complete: true,
          trails: [],
          summary: { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
          failures: [],
        },
        null,
        2,
      )}\n`,
    );
  });
});

describe('scanProgressLine', () => {
  it.each([
    [
      { regions: 17, regionsListed: 3, trailsFound: 1, trailsJudged: 0, failures: 0 },
      'Scanning: 3 of 17 regions listed, 0 of 1 trail judged...',
    ],
    [
      { regions: 1, regionsListed: 1, trailsFound: 4, trailsJudged: 4, failures: 2 },
      'Scanning: 1 of 1 region listed, 4 of 4 trails judged, 2 failed...',
    ],
  ])('tells %j', (progress, line) => {
    expect(scanProgressLine(progress)).toBe(line);
  });
});
