import { PassThrough } from 'node:stream';
import { runCli } from '../../cli/run.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return () => text;
}

/** Runs the command line with in-memory streams; `stdin` is what the operator types. */
export async function runInMemory(
  argv: readonly string[],
  options: { readonly stdin?: string; readonly stdinIsTTY?: boolean; readonly stderrIsTTY?: boolean } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  if (options.stdin !== undefined) stdin.end(options.stdin);
  const code = await runCli(argv, {
    stdout,
    stderr,
    stdin,
    stdinIsTTY: options.stdinIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
  });
  return { code, stdout: out(), stderr: err() };
}
