import { PassThrough } from 'node:stream';
import type { InterruptSignal, Interrupts } from '../../cli/io.js';
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

/**
 * Signals a test sends: `send` runs the report a command trapped (as main.ts does before it exits), and tells
 * whether one was trapped.
 */
export class FakeInterrupts implements Interrupts {
  private report: ((signal: InterruptSignal) => void) | undefined;
  trap(report: (signal: InterruptSignal) => void): () => void {
    this.report = report;
    return () => {
      this.report = undefined;
    };
  }
  send(signal: InterruptSignal): boolean {
    this.report?.(signal);
    return this.report !== undefined;
  }
}

export interface InMemoryOptions {
  readonly stdin?: string;
  readonly stdinIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  readonly stderrColumns?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly interrupts?: Interrupts;
  readonly notice?: string;
}

/** Runs the command line with in-memory streams; `stdin` is what the operator types. */
export async function runInMemory(argv: readonly string[], options: InMemoryOptions = {}): Promise<CliRun> {
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
    ...(options.stderrColumns === undefined ? {} : { stderrColumns: options.stderrColumns }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.interrupts === undefined ? {} : { interrupts: options.interrupts }),
    ...(options.notice === undefined ? {} : { notice: options.notice }),
  });
  return { code, stdout: out(), stderr: err() };
}
