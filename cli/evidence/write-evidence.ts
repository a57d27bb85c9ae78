import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceFile } from './evidence.js';

/** The evidence directory cannot be written as asked: it names the directory and what to do. */
export class EvidenceWriteError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvidenceWriteError';
  }
}

/**
 * Writes the files into `directory` (created when missing). A file of the same name already there is never
 * overwritten: evidence from another run stays as it was, and the write stops with nothing of this run left
 * half-mixed into it (files already written by this call are named in the error).
 */
export async function writeEvidence(directory: string, files: readonly EvidenceFile[]): Promise<void> {
  await mkdir(directory, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    try {
      await writeFile(join(directory, file.name), file.content, { encoding: 'utf8', flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const done = written.length === 0 ? '' : ` (${written.join(', ')} were written before it)`;
      throw new EvidenceWriteError(
        code === 'EEXIST'
          ? `${join(directory, file.name)} already exists${done}: give --evidence a new or empty directory, so no earlier evidence is overwritten`
          : `cannot write ${join(directory, file.name)}${done}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    written.push(file.name);
  }
}
