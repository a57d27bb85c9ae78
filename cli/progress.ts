/**
 * What a command is doing, on stderr, for a person watching a terminal: one status line rewritten in place
 * (carriage return, erase line) and, above it, the few notes that should stay (what `fix` waits for). Nothing at
 * all when stderr is not a terminal (a pipe, a file, CI) or with `--quiet`, so logs and error lines stay clean.
 */
export interface Progress {
  /** Replaces the status line. */
  status(text: string): void;
  /** A line that stays, written above the status line. */
  note(text: string): void;
  /** Erases the status line; call it before anything else goes to stderr, and when the command ends. */
  clear(): void;
}

/** Progress that shows nothing. */
export const NO_PROGRESS: Progress = {
  status: () => {},
  note: () => {},
  clear: () => {},
};

const ERASE_LINE = '\r\u001b[2K';

/**
 * Progress on a terminal `columns` wide (80 when unknown): the status line is cut to fit, so it never wraps
 * onto a second line that a carriage return could not erase.
 */
export function terminalProgress(stream: NodeJS.WritableStream, columns = 80): Progress {
  let shown: string | undefined;
  const fitted = (text: string) =>
    text.length < columns ? text : `${text.slice(0, Math.max(columns - 2, 1))}…`;
  const clear = () => {
    if (shown === undefined) return;
    stream.write(ERASE_LINE);
    shown = undefined;
  };
  return {
    status: (text) => {
      shown = fitted(text);
      stream.write(`${ERASE_LINE}${shown}`);
    },
    note: (text) => {
      const status = shown;
      clear();
      stream.write(`${text}\n`);
      if (status !== undefined) {
        shown = status;
        stream.write(status);
      }
    },
    clear,
  };
}
