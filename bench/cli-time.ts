import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { demoEnvironment } from '../scripts/demo-world.js';
import { createBucket } from '../test/e2e/emulator.js';
import { startFaultProxy } from '../test/e2e/fault-proxy.js';
import { startMotoServer } from '../test/e2e/moto-server.js';
import { median } from './stats.js';

/**
 * Stage 6: the command line as an operator runs it, the built bin (`npm run build`) in a process of its own.
 * Start-up: `--help` and `--version`, whole process from spawn to exit, side by side with a bare `node -e 0`,
 * interleaved round by round so machine noise hits them alike. Scan: a 17-region scan (the regions a new
 * account has enabled) against moto_server on loopback behind the fault proxy, which adds a fixed latency to
 * every answer as a distant endpoint would, at several `--concurrency` values.
 */

/** The 17 regions enabled by default in an account (the opt-in regions aside). */
export const DEFAULT_ENABLED_REGIONS = [
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

export interface StartupFigures {
  readonly bareMs: number;
  readonly helpMs: number;
  readonly versionMs: number;
  readonly rounds: number;
}

export interface ScanFigures {
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly regions: number;
  readonly trails: number;
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly rounds: number;
}

/** Wall time of one process from spawn to exit, and its exit code. */
async function timed(
  args: readonly string[],
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv },
): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { ms: performance.now() - started, code };
}

/** Median whole-process time of `--help`, `--version` and a bare `node -e 0`, over `rounds` rounds. */
export async function measureCliStartup(bin: string, rounds: number, cwd: string): Promise<StartupFigures> {
  const bare: number[] = [];
  const help: number[] = [];
  const version: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    bare.push((await timed(['-e', '0'], { cwd })).ms);
    help.push((await timed([bin, '--help'], { cwd })).ms);
    version.push((await timed([bin, '--version'], { cwd })).ms);
  }
  return { bareMs: median(bare), helpMs: median(help), versionMs: median(version), rounds };
}

/** The scan's world: one trail in each of three regions, and a multi-region trail. */
const TRAILS = [
  { name: 'audit', region: 'us-east-1', multiRegion: true },
  { name: 'eu-app', region: 'eu-west-1', multiRegion: false },
  { name: 'apac-app', region: 'ap-southeast-2', multiRegion: false },
  { name: 'us-app', region: 'us-west-2', multiRegion: false },
] as const;

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

/**
 * Median wall time of `scan` over DEFAULT_ENABLED_REGIONS at each concurrency, with `latencyMs` added to every
 * answer, over `rounds` runs each.
 */
export async function measureScanTimes(
  bin: string,
  concurrencies: readonly number[],
  latencyMs: number,
  rounds: number,
  cwd: string,
): Promise<ScanFigures[]> {
  const workDir = await mkdtemp(join(tmpdir(), 'cloudtrail-logs-guard-bench-cli-'));
  const moto = await startMotoServer({
    recordingFile: join(workDir, 'moto-recording.jsonl'),
    logFile: join(workDir, 'moto-server.log'),
  });
  try {
    const bucket = 'bench-trail-bucket';
    await createBucket(moto.endpoint, bucket);
    for (const trail of TRAILS) {
      await new CloudTrailClient({
        region: trail.region,
        endpoint: moto.endpoint,
        credentials: CREDENTIALS,
      }).send(
        new CreateTrailCommand({
          Name: trail.name,
          S3BucketName: bucket,
          IsMultiRegionTrail: trail.multiRegion,
        }),
      );
    }
    const proxy = await startFaultProxy(moto.endpoint, (_call, forward) => forward(), { latencyMs });
    try {
      const env = demoEnvironment(proxy.endpoint, CREDENTIALS);
      const regions = DEFAULT_ENABLED_REGIONS.flatMap((region) => ['--region', region]);
      const figures: ScanFigures[] = [];
      for (const concurrency of concurrencies) {
        const runs: { ms: number; code: number | null }[] = [];
        for (let round = 0; round < rounds; round += 1) {
          runs.push(
            await timed([bin, 'scan', ...regions, '--concurrency', String(concurrency), '--output', 'json'], {
              cwd,
              env,
            }),
          );
        }
        figures.push({
          concurrency,
          latencyMs,
          regions: DEFAULT_ENABLED_REGIONS.length,
          trails: TRAILS.length,
          wallMs: median(runs.map((run) => run.ms)),
          exitCode: runs[0]?.code ?? null,
          rounds,
        });
      }
      return figures;
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
