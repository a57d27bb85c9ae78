/** Exit codes, the convention of well-known cloud scanners: failing findings are not errors. */
export const EXIT_CODE = { ok: 0, error: 1, usage: 2, nonCompliant: 3 } as const;

/** The process's streams, injected so tests run the whole command line in memory. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

/** Writes a progress line to stderr, only when a person watches it there. */
export function progress(io: CliIo): (line: string) => void {
  return (line) => {
    if (io.stderrIsTTY) io.stderr.write(`${line}\n`);
  };
}
