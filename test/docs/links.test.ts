import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** GitHub's heading anchor: lower case, punctuation but `-` and `_` dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Lines outside fenced code blocks: a link or heading inside a fence is text, not markup. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.trimStart().startsWith('```')) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** Every anchor a page offers, with GitHub's `-1`, `-2` suffixes for repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Relative link targets of a page (`[text](target)`), without external URLs. */
function relativeLinksOf(markdown: string): string[] {
  const links: string[] = [];
  for (const line of proseLines(markdown)) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push(target);
    }
  }
  return links;
}

function markdownPages(): string[] {
  const docs = join(root, 'docs');
  const pages = readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(docs, name));
  return [join(root, 'README.md'), ...pages];
}

describe('headingAnchor', () => {
  it.each([
    ['Deploy into one account and region', 'deploy-into-one-account-and-region'],
    [
      'Failures (the invocation fails, nothing is reported as NON_COMPLIANT)',
      'failures-the-invocation-fails-nothing-is-reported-as-non_compliant',
    ],
    ['`scan [--region REGION]...`', 'scan---region-region'],
    ['IAM permissions of the remediation Lambda', 'iam-permissions-of-the-remediation-lambda'],
  ])('turns %j into %j', (heading, anchor) => {
    expect(headingAnchor(heading)).toBe(anchor);
  });
});

describe('relativeLinksOf and anchorsOf', () => {
  it('skips external URLs and fenced code, and numbers repeated headings', () => {
    const page = [
      '# A',
      '## Tests',
      '## Tests',
      '[x](b.md#a) [y](https://example.com/c)',
      '```',
      '[z](gone.md)',
      '```',
    ].join('\n');
    expect(relativeLinksOf(page)).toEqual(['b.md#a']);
    expect([...anchorsOf(page)]).toEqual(['a', 'tests', 'tests-1']);
  });
});

describe('documentation links', () => {
  const cases = markdownPages().flatMap((page) =>
    relativeLinksOf(readFileSync(page, 'utf8')).map((link) => [relative(root, page), link] as const),
  );

  it('finds the relative links of README.md and docs/', () => {
    expect(cases.filter(([page]) => page === 'README.md').length).toBeGreaterThan(5);
  });

  it.each(cases)('%s links to %s, which exists', (page, link) => {
    const [path = '', anchor] = link.split('#');
    const target = path === '' ? join(root, page) : resolve(dirname(join(root, page)), path);
    expect(existsSync(target), `${link} (from ${page}) names no file`).toBe(true);
    if (anchor === undefined) return;
    expect(statSync(target).isFile(), `${link} (from ${page}) has an anchor but names a folder`).toBe(true);
    expect([...anchorsOf(readFileSync(target, 'utf8'))], `${link} (from ${page}) names no heading`).toContain(
      anchor,
    );
  });
});
