import { formatWithOptions } from 'node:util';
import type { Logger } from '@aws-sdk/types';

/**
 * The SDK logger behind `--debug`: every entry the SDK logs (each call's client, operation, input and output
 * or error, sensitive fields already filtered by the SDK) goes to `stream` as one line, prefixed so it is
 * told apart from the command's own messages.
 */
export function debugLogger(stream: NodeJS.WritableStream, prefix: string): Logger {
  const write =
    (level: string) =>
    (...content: unknown[]) => {
      // An error's stack spans lines: joined, so each entry stays one line that grep and sort keep whole.
      const text = formatWithOptions({ breakLength: Number.POSITIVE_INFINITY, depth: 6 }, ...content);
      stream.write(`${prefix} debug ${level}: ${text.replace(/\n\s*/g, ' | ')}\n`);
    };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}
