import { createInterface } from 'node:readline';

/** The terminal a question is asked on; injected so tests drive it with streams. */
export interface PromptIo {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

const YES = new Set(['y', 'yes']);

/**
 * Asks `question` with a `[y/N]` suffix and resolves true only for y or yes (any case). An empty answer,
 * anything else, or the input ending (Ctrl-D) is a no: a change is never made by default.
 */
export function confirm(question: string, io: PromptIo): Promise<boolean> {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    rl.once('close', () => {
      if (!answered) {
        io.output.write('\n');
        resolve(false);
      }
    });
    rl.question(`${question} [y/N] `, (answer) => {
      answered = true;
      rl.close();
      resolve(YES.has(answer.trim().toLowerCase()));
    });
  });
}
