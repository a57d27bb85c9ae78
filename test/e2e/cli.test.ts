/**
 * End-to-end: the command line (the package's bin, in a process of its own, as an operator runs it) against
 * moto_server. What it changed is read back from the emulator with the AWS APIs; what it sent, from moto's
 * request recorder.
 *
 * Not covered by this tier (moto 5 does not implement it; the SDK-mocked tests in test/cli cover it, and
 * nothing here fakes it): `scan --all-regions` (account:ListRegions), `scan --window` (the delivery fields
 * of GetTrailStatus), `report` (stored Config compliance behind an aggregator), and the confirmation prompt
 * (there is no terminal in a test run).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, inject, it } from 'vitest';
import type { ScannedTrail } from '../../cli/scan.js';
import { isReadOnly, recordedRequests, resetRecording } from './emulator.js';
import { createTrail } from './trails.js';

const ACCOUNT = '123456789012';
const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin.js');
const TWO_REGIONS = ['--region', 'us-east-1', '--region', 'eu-west-1'];

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bin with the tier's environment (emulator endpoint, dummy credentials) and no terminal. */
async function cli(...args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...args], {
    // The SDK's Node.js 22 notice would otherwise be every run's stderr.
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

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
        verdict: 'COMPLIANT',
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
});
