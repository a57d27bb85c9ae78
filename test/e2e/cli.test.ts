/**
 * End-to-end: the command line (the package's bin, in a process of its own, as an operator runs it) against
 * moto_server. What it changed is read back from the emulator with the AWS APIs; what it sent, from moto's
 * request recorder.
 *
 * Not covered by this tier (moto 5 does not implement it; the SDK-mocked tests in test/cli cover it, and
 * nothing here fakes it): account:ListRegions (a scan of every region runs on its ec2:DescribeRegions
 * fallback here), `scan --window` (the delivery fields of GetTrailStatus), `report` (stored Config
 * compliance behind an aggregator), and the confirmation prompt (there is no terminal in a test run).
 * A failing region is shown with a loopback proxy in front of moto (failing-proxy.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, inject, it } from 'vitest';
import type { ScannedTrail } from '../../cli/scan.js';
import { BIN, cli, cliWith } from './cli-process.js';
import { isReadOnly, recordedRequests, resetRecording } from './emulator.js';
import { startFailingProxy } from './failing-proxy.js';
import { createTrail } from './trails.js';

const ACCOUNT = '123456789012';
const TWO_REGIONS = ['--region', 'us-east-1', '--region', 'eu-west-1'];

async function scanJson(): Promise<{ code: number | null; trails: ScannedTrail[] }> {
  const run = await cli('scan', ...TWO_REGIONS, '--output', 'json');
  expect(run.stderr).toBe('');
  return { code: run.code, trails: (JSON.parse(run.stdout) as { trails: ScannedTrail[] }).trails };
}

const verdicts = (trails: readonly ScannedTrail[]) => trails.map((t) => [t.name, t.homeRegion, t.verdict]);

describe('cloudtrail-logs-guard against the emulator', () => {
  it('scans two regions holding a multi-region trail and reports each trail once, in its home region', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'everywhere', region: 'eu-west-1', multiRegion: true });
    await createTrail(endpoint, { name: 'local', region: 'us-east-1', logGroup: true, role: true });
    const { code, trails } = await scanJson();
    expect(code).toBe(3);
    expect(verdicts(trails)).toEqual([
      ['everywhere', 'eu-west-1', 'NON_COMPLIANT'],
      ['local', 'us-east-1', 'COMPLIANT'],
    ]);
    expect(trails.map((trail) => trail.arn)).toEqual([
      `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/everywhere`,
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/local`,
    ]);
  });

  it('turns a NON_COMPLIANT trail COMPLIANT with fix, as the next scan shows', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'broken', region: 'us-east-1' });
    expect(verdicts((await scanJson()).trails)).toEqual([['broken', 'us-east-1', 'NON_COMPLIANT']]);

    const fix = await cli('fix', 'broken', '--yes');
    expect(fix.code).toBe(0);
    expect(fix.stdout.split('\n')[0]).toBe(
      `Trail arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/broken: 5 changes applied; the trail now sends to CloudWatch Logs.`,
    );

    const after = await scanJson();
    expect(after.code).toBe(0);
    expect(after.trails).toEqual([
      {
        name: 'broken',
        arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/broken`,
        account: ACCOUNT,
        homeRegion: 'us-east-1',
        logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cloudtrail-logs-guard/broken:*`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/CloudTrailToLogs-us-east-1-broken`,
        verdict: 'COMPLIANT',
        reasonCode: 'integrated',
        reason:
          'Integrated: the trail sends events to CloudWatch Logs log group /cloudtrail-logs-guard/broken.',
      },
    ]);
  });

  it('plans without writing anything', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'untouched', region: 'us-east-1' });
    await resetRecording(endpoint);

    const plan = await cli('plan', 'untouched', '--output', 'json');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ outcome: 'DRY_RUN', dryRun: true });

    const operations = (await recordedRequests(endpoint)).map((request) => request.operation);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((operation) => !isReadOnly(operation))).toEqual([]);
    const { logGroups } = await new CloudWatchLogsClient({}).send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cloudtrail-logs-guard/' }),
    );
    expect(logGroups).toEqual([]);
  });

  it('refuses to fix without --yes when there is no terminal, and sends nothing', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'refused', region: 'us-east-1' });
    await resetRecording(endpoint);
    await expect(cli('fix', 'refused')).resolves.toEqual({
      code: 2,
      stdout: '',
      stderr:
        "cloudtrail-logs-guard fix: refusing to change trail refused without --yes: stdin is not a terminal to confirm on (run 'cloudtrail-logs-guard fix --help')\n",
    });
    expect(await recordedRequests(endpoint)).toEqual([]);
  });

  it('scans every enabled region when none is named (ec2:DescribeRegions, as moto has no ListRegions)', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'far-away', region: 'ap-southeast-2' });
    const run = await cli('scan', '--output', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const output = JSON.parse(run.stdout) as { regions: string[]; trails: ScannedTrail[] };
    expect(output.regions).toEqual(expect.arrayContaining(['ap-southeast-2', 'eu-west-1', 'us-east-1']));
    expect(verdicts(output.trails)).toEqual([['far-away', 'ap-southeast-2', 'NON_COMPLIANT']]);
  });

  it('prints the regions that answered and exits 4 when one region fails, naming it on stderr', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'reachable', region: 'us-east-1', logGroup: true, role: true });
    await createTrail(endpoint, { name: 'unreachable', region: 'eu-west-1' });
    const proxy = await startFailingProxy(endpoint, 'eu-west-1');
    try {
      const run = await cliWith({ AWS_ENDPOINT_URL: proxy.endpoint }, 'scan', ...TWO_REGIONS);
      expect(run).toEqual({
        code: 4,
        stdout: [
          'TRAIL      ACCOUNT       HOME REGION  VERDICT    REASON',
          'reachable  123456789012  us-east-1    COMPLIANT  Integrated: the trail sends events to CloudWatch Logs log group /e2e/reachable.',
          '',
          '1 trail in account 123456789012 (1 of 2 regions scanned in full): 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
          'Incomplete: eu-west-1 could not be scanned in full (the errors are on stderr).',
          '',
        ].join('\n'),
        stderr:
          'cloudtrail-logs-guard scan: cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 502 UnreadableResponse: the answer is not an AWS API response (text/html). Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.\n',
      });
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['head -1', 'head -1', '{'],
    ['a reader that exits before reading', 'true', ''],
  ])("ends quietly with the result's exit code when stdout is piped to %s", async (_name, reader, shown) => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'piped', region: 'us-east-1' });
    const child = spawn(
      'bash',
      [
        '-c',
        `"$0" "$1" scan --region us-east-1 --output json | ${reader}; exit "\${PIPESTATUS[0]}"`,
        process.execPath,
        BIN,
      ],
      { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = (await once(child, 'close')) as [number | null];
    expect({ code, stdout: stdout.trim(), stderr }).toEqual({ code: 3, stdout: shown, stderr: '' });
  });

  describe('--profile, with the shared files in a temporary HOME', () => {
    let home: string;

    async function writeProfiles(): Promise<void> {
      home = await mkdtemp(join(tmpdir(), 'clg-home-'));
      await mkdir(join(home, '.aws'));
      await writeFile(join(home, '.aws', 'config'), '[profile audit]\nregion = eu-west-1\n');
      await writeFile(
        join(home, '.aws', 'credentials'),
        '[audit]\naws_access_key_id = AKIAAUDITEXAMPLE\naws_secret_access_key = audit-secret\n',
      );
    }

    // No credentials or region in the environment: only the profile can supply them.
    const profileOnly = () => ({
      HOME: home,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: undefined,
    });

    it("uses the profile's credentials and region", async () => {
      const endpoint = inject('motoEndpoint');
      await writeProfiles();
      try {
        await createTrail(endpoint, { name: 'audited', region: 'eu-west-1' });
        await resetRecording(endpoint);
        const run = await cliWith(profileOnly(), 'plan', 'audited', '--profile', 'audit', '--output', 'json');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({
          trail: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/audited`,
          outcome: 'DRY_RUN',
        });
        const regions = new Set((await recordedRequests(endpoint)).map((request) => request.region));
        expect(regions.has('eu-west-1')).toBe(true);
        expect(regions.has('us-east-1')).toBe(false);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });

    it('fails with the credentials advice, not a stack, for a profile the files do not hold', async () => {
      await writeProfiles();
      try {
        const run = await cliWith(
          { ...profileOnly(), AWS_REGION: 'eu-west-1' },
          'scan',
          '--region',
          'eu-west-1',
          '--profile',
          'nobody',
        );
        expect(run).toEqual({
          code: 1,
          stdout: '',
          stderr:
            'cloudtrail-logs-guard scan: could not identify your AWS credentials: sts:GetCallerIdentity in eu-west-1 failed: CredentialsProviderError: Could not load credentials from any providers. Check your credentials: log in again (aws sso login), or pick a profile with --profile or AWS_PROFILE; in an opt-in region, check that the region is enabled for the account.\n',
        });
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });
  });
});
