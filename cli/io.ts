/**
 * Exit codes, the convention of well-known cloud scanners: failing findings are not errors. `changesPending`
 * is `plan --detailed-exitcode`'s "there is something to fix", the same 3 as a finding; `incomplete` means a
 * scan could not look everywhere it was asked to, so its result proves nothing clean; `uncovered` is the same
 * 4 for `report --coverage`: an account-region the rule has not reported for is a place nobody looked.
 */
export const EXIT_CODE = {
  ok: 0,
  error: 1,
  usage: 2,
  nonCompliant: 3,
  changesPending: 3,
  incomplete: 4,
  uncovered: 4,
} as const;

/** The process's streams, injected so tests run the whole command line in memory. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Columns of the terminal stdout is; undefined when stdout is not a terminal (a pipe, a file). */
  readonly stdoutColumns?: number;
}

/** Writes a progress line to stderr, only when a person watches it there. */
export function progress(io: CliIo): (line: string) => void {
  return (line) => {
    if (io.stderrIsTTY) io.stderr.write(`${line}\n`);
  };
}

/**
 * Lets output end quietly when its reader goes away (`scan | head -1`): a write to a closed pipe fails with
 * EPIPE, which is then ignored, as is every later write, so the command finishes with the exit code its
 * result has. Any other stream error is rethrown.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}
