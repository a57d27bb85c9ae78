/**
 * End-to-end: every command-line example of README.md and docs/cli.md (test/docs/documented-examples.ts reads
 * them) run in the order the page gives them, against the account `npm run demo` creates in moto
 * (scripts/demo-world.ts), with the aggregator of `report` answered by recorded responses
 * (config-aggregator.ts). Each must exit as the page says; a transcript must print exactly what it shows.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDemoWorld, demoEnvironment } from '../../scripts/demo-world.js';
import { documentedExamples } from '../docs/documented-examples.js';
import { principalCredentials } from './call-recorder.js';
import { startConfigAggregator } from './config-aggregator.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'cli', 'bin.js');

let shims: string;

beforeAll(async () => {
  // `cloudtrail-logs-guard` on PATH, as an installed package puts it: the built bin.
  shims = await mkdtemp(join(tmpdir(), 'clg-docs-'));
  const shim = join(shims, 'cloudtrail-logs-guard');
  await writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(shim, 0o755);
});

afterAll(async () => {
  await rm(shims, { recursive: true, force: true });
});

/** The CLI command an example runs (`scan`, `report`...), after its program prefix. */
function subcommandOf(command: string): string {
  return (
    command
      .replace(/^(npx cloudtrail-logs-guard|cloudtrail-logs-guard|npm run -s cli --)\s*/, '')
      .split(/\s/)[0] ?? ''
  );
}

/**
 * Runs one documented command line in bash, from the repository's root, as a reader would type it: against the
 * demo's account, as the recorded operator of that command (call-recorder.ts), so the least-privilege check
 * holds the documented operator policy to these calls too.
 */
async function run(command: string, endpoint: string) {
  const typed = command.replace(/^npx cloudtrail-logs-guard\b/, 'cloudtrail-logs-guard');
  const env: NodeJS.ProcessEnv = {
    ...demoEnvironment(endpoint),
    ...principalCredentials({ type: 'operator', command: subcommandOf(command) }),
  };
  // One pipe for both streams, in the order they were written, as a terminal shows them.
  const child = spawn('bash', ['-o', 'pipefail', '-c', `exec 2>&1\n${typed}`], {
    cwd: ROOT,
    env: { ...env, PATH: `${shims}${delimiter}${env.PATH ?? ''}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, printed: printed.trimEnd() };
}

describe.each(['README.md', 'docs/cli.md'])('the examples of %s', (document) => {
  it('exit as the page says, and print what its transcripts show', { timeout: 300_000 }, async () => {
    await createDemoWorld(inject('motoEndpoint'), () => {});
    const aggregator = await startConfigAggregator(inject('motoEndpoint'));
    try {
      const examples = documentedExamples(await readFile(join(ROOT, document), 'utf8'));
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const { code, printed } = await run(example.command, aggregator.endpoint);
        const where = `${document}:${example.line} ${example.command}`;
        expect.soft({ where, code }).toEqual({ where, code: example.exitCode });
        if (example.output !== undefined)
          expect.soft({ where, printed }).toEqual({ where, printed: example.output });
      }
    } finally {
      await aggregator.close();
    }
  });
});
