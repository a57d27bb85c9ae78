import { describe, expect, it } from 'vitest';
import type { GrantCoverage } from './check.js';
import { blockOf, DocumentationBlockError, operatorPolicyOf, securityTables, withBlock } from './docs.js';

const MARKDOWN = [
  '# Title',
  '<!-- least-privilege:operator-policy -->',
  '```json',
  '{ "Version": "2012-10-17", "Statement": [] }',
  '```',
  '<!-- /least-privilege:operator-policy -->',
  'After.',
].join('\n');

const row = (fields: Partial<GrantCoverage>): GrantCoverage => ({
  label: 'single-account rule Lambda',
  key: 'RuleFunctionPermissions/ReportEvaluations',
  sid: 'ReportEvaluations',
  effect: 'Allow',
  action: 'config:PutEvaluations',
  resources: ['*'],
  neededBy: ['config:PutEvaluations'],
  scenarios: ['rule.test.ts › a', 'rule.test.ts › b'],
  ...fields,
});

describe('documentation blocks', () => {
  it('reads the operator policy from its JSON block', () => {
    expect(operatorPolicyOf(MARKDOWN)).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('replaces only the content between the markers', () => {
    const replaced = withBlock(MARKDOWN, 'operator-policy', '\nnew\n');
    expect(replaced).toBe(
      '# Title\n<!-- least-privilege:operator-policy -->\nnew\n<!-- /least-privilege:operator-policy -->\nAfter.',
    );
    expect(blockOf(replaced, 'operator-policy')).toBe('\nnew\n');
  });

  it('names a missing block', () => {
    expect(() => blockOf(MARKDOWN, 'roles')).toThrow(new DocumentationBlockError('roles'));
  });

  it('writes a table per role: action, resource, why, the first scenario and how many more, reasons, denies', () => {
    expect(
      securityTables([
        row({}),
        row({
          action: 'logs:CreateLogStream',
          sid: 'WriteOwnLogs',
          neededBy: [],
          scenarios: [],
          reviewed: 'the runtime',
        }),
        row({
          key: 'p/DenyAll',
          sid: 'DenyAll',
          effect: 'Deny',
          action: 'iam:*',
          neededBy: [],
          scenarios: [],
        }),
      ]),
    ).toBe(
      [
        '',
        '',
        '#### single-account rule Lambda',
        '',
        '| action | resource | why | exercised by |',
        '| --- | --- | --- | --- |',
        '| `config:PutEvaluations` | `*` | ReportEvaluations: config:PutEvaluations | rule.test.ts › a (and 1 more) |',
        '| `logs:CreateLogStream` | `*` | WriteOwnLogs | not on the emulator: the runtime |',
        '',
        'Denied explicitly (each proved by a request only it denies): `DenyAll`.',
        '',
        '',
      ].join('\n'),
    );
  });
});
