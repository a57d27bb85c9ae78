import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDING_MARKER, type RecordedExchange, type RecordingLine } from '../e2e/call-recorder.js';
import type { DeclaredPrincipal } from '../e2e/principals.js';

/** The e2e tier's recording as the check reads it: every exchange, in a fixed order, and the declared principals. */
export interface Recording {
  /** By test file, then in the order the proxy answered them. */
  readonly exchanges: readonly RecordedExchange[];
  readonly principals: ReadonlyMap<string, DeclaredPrincipal>;
  /** Whether the tier's run ended (its global teardown wrote the marker). */
  readonly complete: boolean;
}

export class RecordingMissingError extends Error {
  constructor(directory: string) {
    super(
      `No e2e recording in ${directory}: run the whole tier first (npm run test:e2e runs it, then this check).`,
    );
    this.name = 'RecordingMissingError';
  }
}

/** Reads the recording the tier wrote to `directory`. */
export function readRecording(directory: string): Recording {
  if (!existsSync(directory)) throw new RecordingMissingError(directory);
  const files = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  if (files.length === 0) throw new RecordingMissingError(directory);
  const exchanges: RecordedExchange[] = [];
  const principals = new Map<string, DeclaredPrincipal>();
  for (const file of files) {
    const lines = readFileSync(join(directory, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as RecordingLine);
    for (const line of lines) {
      if (line.kind === 'principal') principals.set(line.accessKey, line.principal);
      else exchanges.push(line);
    }
  }
  return { exchanges, principals, complete: existsSync(join(directory, RECORDING_MARKER)) };
}
