import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedExamples } from './documented-examples.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOCUMENTS = ['README.md', 'docs/cli.md'];

describe('documentedExamples', () => {
  it('reads transcripts with their output and exit code, and one-liners with the exit code of their comment', () => {
    const markdown = [
      'Text, not an example: cloudtrail-logs-guard scan',
      '```',
      '$ cloudtrail-logs-guard scan --region us-east-1',
      'TRAIL  VERDICT',
      'a      COMPLIANT',
      '',
      '(exit 0: every trail is compliant)',
      '',
      '$ cloudtrail-logs-guard scan --region mars-1',
      'cloudtrail-logs-guard scan: --region must be a region code',
      '```',
      '```sh',
      'npm run -s cli -- plan app-events      # writes nothing; exit 0',
      'npx cloudtrail-logs-guard --help       # exits 0; scan exits 3 on a finding',
      'npm ci',
      '```',
    ].join('\n');
    expect(documentedExamples(markdown)).toEqual([
      {
        line: 3,
        command: 'cloudtrail-logs-guard scan --region us-east-1',
        exitCode: 0,
        output: 'TRAIL  VERDICT\na      COMPLIANT',
      },
      {
        line: 9,
        command: 'cloudtrail-logs-guard scan --region mars-1',
        exitCode: undefined,
        output: 'cloudtrail-logs-guard scan: --region must be a region code',
      },
      { line: 13, command: 'npm run -s cli -- plan app-events', exitCode: 0 },
      { line: 14, command: 'npx cloudtrail-logs-guard --help', exitCode: 0 },
    ]);
  });
});

describe.each(DOCUMENTS)('the command-line examples of %s', (document) => {
  const examples = documentedExamples(readFileSync(join(ROOT, document), 'utf8'));

  it('exist', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((example) => [example.line, example.command] as const))(
    'line %i states the exit code of %s, and runs through npm run -s so no banner reaches stdout',
    (line) => {
      const example = examples.find((candidate) => candidate.line === line);
      expect(example?.exitCode).toBeTypeOf('number');
      expect(example?.command).not.toMatch(/^npm run cli --/);
    },
  );
});
