/**
 * Exit codes, the convention of well-known cloud scanners: failing findings are not errors. `changesPending`
 * is `plan --detailed-exitcode`'s "there is something to fix", the same 3 as a finding; `incomplete` means a
 * scan could not look everywhere it was asked to, so its result proves nothing clean; `uncovered` is the same
 * 4 for `report --coverage`: an account-region the rule has not reported for is a place nobody looked; and
 * `noEvaluations`, the same 4 again, that `report` found no evaluation of the rule at all (a wrong rule name or
 * region), which proves nothing either.
 */
export const EXIT_CODE = {
  ok: 0,
  error: 1,
  usage: 2,
  nonCompliant: 3,
  changesPending: 3,
  incomplete: 4,
  uncovered: 4,
  noEvaluations: 4,
} as const;

/** The signals that interrupt a command: Ctrl-C (SIGINT) and a polite kill (SIGTERM). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number, as a shell reports a process the signal ended. */
export const SIGNAL_EXIT_CODE: Readonly<Record<InterruptSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** The process's signals, injected so tests interrupt a command without a real signal. */
export interface Interrupts {
  /**
   * Until the returned function is called, SIGINT and SIGTERM run `report` (which writes what the command had
   * done) instead of ending the process at once; the process then ends with SIGNAL_EXIT_CODE.
   */
  trap(report: (signal: InterruptSignal) => void): () => void;
}

/** The process's streams and surroundings, injected so tests run the whole command line in memory. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Columns of the terminal stdout is; undefined when stdout is not a terminal (a pipe, a file). */
  readonly stdoutColumns?: number;
  /** Columns of the terminal stderr is, when it is one. */
  readonly stderrColumns?: number;
  /** The environment (AWS_PROFILE, AWS_DEFAULT_REGION...). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default none: a signal ends the process as it would any program */
  readonly interrupts?: Interrupts;
  /** A one-line note for a person at a terminal (main.ts's Node.js support notice), shown unless --quiet. */
  readonly notice?: string;
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
