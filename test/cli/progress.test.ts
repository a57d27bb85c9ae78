import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../cli/progress.js';

const ERASE = '\r\u001b[2K';

function terminal(columns?: number) {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { progress: terminalProgress(stream, columns), written: () => text };
}

describe('terminalProgress', () => {
  it('rewrites one status line in place and erases it at the end', () => {
    const { progress, written } = terminal();
    progress.status('Listing...');
    progress.status('Judging...');
    progress.clear();
    progress.clear();
    expect(written()).toBe(`${ERASE}Listing...${ERASE}Judging...${ERASE}`);
  });

  it('writes a note that stays above the status line, then puts the status back', () => {
    const { progress, written } = terminal();
    progress.status('Applying 5 changes...');
    progress.note('Waiting for IAM (at most 120 s)...');
    progress.clear();
    expect(written()).toBe(
      `${ERASE}Applying 5 changes...${ERASE}Waiting for IAM (at most 120 s)...\nApplying 5 changes...${ERASE}`,
    );
  });

  it('writes a note alone when no status is shown', () => {
    const { progress, written } = terminal();
    progress.note('Waiting...');
    expect(written()).toBe('Waiting...\n');
  });

  it('cuts a status line to the terminal so it never wraps onto a line it cannot erase', () => {
    const { progress, written } = terminal(12);
    progress.status('Scanning: 3 of 17 regions listed');
    expect(written()).toBe(`${ERASE}Scanning: …`);
    expect('Scanning: …'.length).toBeLessThan(12);
  });
});
