import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { operatorEnvironment } from './call-recorder.js';

/** The package's bin, as an operator runs it (it loads dist/cli.js, which `npm run test:e2e` builds first). */
export const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What a child process wrote and how it ended. */
export async function outcome(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/**
 * Runs the bin with the tier's environment and no terminal, as the operator (its requests go through the
 * recording proxy with the operator's credentials: call-recorder.ts); `env` changes it (a variable set to
 * undefined is removed). The CLI itself keeps the SDK's Node.js notice out of a non-terminal stderr.
 */
export async function cliWith(env: Record<string, string | undefined>, ...args: string[]): Promise<CliRun> {
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...operatorEnvironment(args[0] ?? ''), ...env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return outcome(spawn(process.execPath, [BIN, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** {@link cliWith} the tier's environment unchanged. */
export async function cli(...args: string[]): Promise<CliRun> {
  return cliWith({}, ...args);
}
