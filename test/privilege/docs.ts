import type { GrantCoverage } from './check.js';
import { OPERATOR_LABEL, ROLE_CATALOGUE } from './roles.js';
import type { PolicyDocument } from './templates.js';

/**
 * The documentation the check keeps true: docs/security.md's table per role (action, resource, why, which
 * recorded scenario exercises it) and docs/cli.md's operator policy with its table. Each lives between
 * `<!-- least-privilege:NAME -->` and `<!-- /least-privilege:NAME -->`; the tables are generated from the check's
 * coverage, the operator policy is written by hand and checked both ways like a role's.
 */

export class DocumentationBlockError extends Error {
  constructor(name: string) {
    super(
      `The documentation has no block <!-- least-privilege:${name} --> ... <!-- /least-privilege:${name} -->.`,
    );
    this.name = 'DocumentationBlockError';
  }
}

function markers(name: string): [string, string] {
  return [`<!-- least-privilege:${name} -->`, `<!-- /least-privilege:${name} -->`];
}

/** The text between the block's markers (without them). */
export function blockOf(markdown: string, name: string): string {
  const [start, end] = markers(name);
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new DocumentationBlockError(name);
  return markdown.slice(from + start.length, to);
}

/** `markdown` with the block's content replaced by `content`. */
export function withBlock(markdown: string, name: string, content: string): string {
  const [start, end] = markers(name);
  const current = blockOf(markdown, name);
  return markdown.replace(`${start}${current}${end}`, `${start}${content}${end}`);
}

/** The operator policy of docs/cli.md: the JSON code block inside `operator-policy`. */
export function operatorPolicyOf(markdown: string): PolicyDocument {
  const json = /```json\n([\s\S]*?)\n```/.exec(blockOf(markdown, 'operator-policy'))?.[1];
  if (json === undefined) throw new DocumentationBlockError('operator-policy (with a ```json block)');
  return JSON.parse(json) as PolicyDocument;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function exercisedBy(row: GrantCoverage): string {
  if (row.reviewed !== undefined) return `not on the emulator: ${row.reviewed}`;
  const [first, ...rest] = row.scenarios;
  if (first === undefined) return '';
  return rest.length === 0 ? first : `${first} (and ${rest.length} more)`;
}

function why(row: GrantCoverage): string {
  const needs = row.neededBy.length === 0 ? '' : `: ${row.neededBy.join('; ')}`;
  return `${row.sid}${needs}`;
}

function table(rows: readonly GrantCoverage[]): string {
  const allows = rows.filter((row) => row.effect === 'Allow');
  const denies = rows.filter((row) => row.effect === 'Deny');
  const lines = [
    '| action | resource | why | exercised by |',
    '| --- | --- | --- | --- |',
    ...allows.map(
      (row) =>
        `| \`${row.action}\` | ${row.resources.map((resource) => `\`${cell(resource)}\``).join(', ')} | ${cell(why(row))} | ${cell(exercisedBy(row))} |`,
    ),
  ];
  if (denies.length > 0) {
    lines.push(
      '',
      `Denied explicitly (each proved by a request only it denies): ${denies.map((row) => `\`${row.sid}\``).join(', ')}.`,
    );
  }
  return lines.join('\n');
}

/** docs/security.md's block `roles`: one table per role of the catalogue, in its order. */
export function securityTables(coverage: readonly GrantCoverage[]): string {
  const sections = ROLE_CATALOGUE.map((entry) => entry.label)
    .filter((label) => coverage.some((row) => row.label === label))
    .map((label) => `\n\n#### ${label}\n\n${table(coverage.filter((row) => row.label === label))}`);
  return `${sections.join('')}\n\n`;
}

/** docs/cli.md's block `operator-table`: the operator policy's actions with the commands that use them. */
export function operatorTable(coverage: readonly GrantCoverage[]): string {
  return `\n\n${table(coverage.filter((row) => row.label === OPERATOR_LABEL))}\n\n`;
}
