/**
 * End-to-end: the packed package, installed into an empty directory with production dependencies only, runs
 * every command from its `bin` (the build in dist/, no tsx, no TypeScript) against moto_server.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { COMMAND_NAMES } from '../../cli/commands.js';
import { operatorEnvironment } from './call-recorder.js';
import { outcome } from './cli-process.js';
import { type PackedInstall, packAndInstall } from './packed-install.js';
import { createTrail } from './trails.js';

const ACCOUNT = '123456789012';
/** npm pack (with its build) and an install from the cache: a minute or two on a busy machine. */
const INSTALL_TIMEOUT_MS = 300_000;

let workDir: string;
let installed: PackedInstall;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'cloudtrail-logs-guard-packed-'));
  installed = await packAndInstall(workDir);
}, INSTALL_TIMEOUT_MS);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs the installed bin from the installing directory, with the tier's environment and no terminal, as the operator. */
async function installedCli(...args: string[]) {
  const child = spawn(installed.bin, args, {
    cwd: installed.directory,
    env: {
      ...process.env,
      ...operatorEnvironment(args[0] ?? ''),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return outcome(child);
}

describe('the packed package installed with --omit=dev', () => {
  it('ships the CLI build, its bin and the CDK app, and no tests, benchmark or CLI sources', () => {
    expect(installed.files).toEqual(
      expect.arrayContaining(['package.json', 'cli/bin.js', 'dist/cli.js', 'infra/app.ts', 'cdk.json']),
    );
    const unwanted = installed.files.filter(
      (path) =>
        /^(test|bench|scripts|\.ci|docs)\//.test(path) || (path.startsWith('cli/') && path !== 'cli/bin.js'),
    );
    expect(unwanted).toEqual([]);
  });

  it('installs no development dependency (no tsx, TypeScript, esbuild or CDK)', () => {
    for (const name of ['tsx', 'typescript', 'esbuild', 'aws-cdk-lib', 'vitest']) {
      expect(existsSync(join(installed.directory, 'node_modules', name)), name).toBe(false);
    }
    expect(
      existsSync(
        join(installed.directory, 'node_modules', 'cloudtrail-cloudwatch-logs-guard', 'package.json'),
      ),
    ).toBe(true);
  });

  it.each<[readonly string[]]>([[[]], ...COMMAND_NAMES.map((name): [readonly string[]] => [[name]])])(
    'prints the help of %j and exits 0',
    async (command) => {
      const run = await installedCli(...command, '--help');
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage: cloudtrail-logs-guard /);
    },
  );

  it('scans a NON_COMPLIANT trail with exit code 3, fixes it, and scans it COMPLIANT with exit code 0', async () => {
    await createTrail(inject('motoEndpoint'), { name: 'packed', region: 'us-east-1' });
    const scan = await installedCli('scan', '--region', 'us-east-1', '--output', 'json');
    expect(scan.code).toBe(3);
    expect(JSON.parse(scan.stdout).trails).toMatchObject([{ name: 'packed', verdict: 'NON_COMPLIANT' }]);

    const fix = await installedCli('fix', 'packed', '--yes');
    expect(fix.stdout.split('\n')[0]).toBe(
      `Trail arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/packed: 5 changes applied; the trail now sends to CloudWatch Logs.`,
    );
    expect(fix.code).toBe(0);

    const after = await installedCli('scan', '--region', 'us-east-1', '--output', 'json');
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).trails).toMatchObject([{ name: 'packed', verdict: 'COMPLIANT' }]);
  });
});
