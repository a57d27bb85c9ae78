import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coldStartOutputs, packageOf } from '../../bench/bundle.js';
import { codeDifferences } from '../../bench/deployed-lambdas.js';
import { LAMBDA_ENTRY, REPOSITORY_ROOT } from '../../infra/bundling.js';
import { bundleLambda, LambdaBundleWarningError, LocalLambdaBundling } from '../../infra/local-bundling.js';

const BUILD_TIMEOUT_MS = 60_000;
const EXEMPTIONS = '{"version":1,"exemptions":[]}\n';

const scratch = () => mkdtempSync(join(tmpdir(), 'guard-bundle-'));

/** A one-file entry outside the repository (lambdaBuildOptions takes an absolute entry as it is). */
function entryWith(source: string): string {
  const path = join(scratch(), 'entry.mjs');
  writeFileSync(path, source);
  return path;
}

const files = (directory: string) =>
  readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();

describe('bundleLambda', () => {
  it.each(Object.entries(LAMBDA_ENTRY))(
    'splits the %s handler: index.mjs and chunks/ with a map beside each, the lazily imported SDK clients outside what a cold start loads',
    { timeout: BUILD_TIMEOUT_MS },
    (name, entry) => {
      const outdir = scratch();
      const metafile = bundleLambda(entry, outdir);

      const written = files(outdir);
      const code = written.filter((file) => file.endsWith('.mjs'));
      expect(code).toContain('index.mjs');
      expect(code.filter((file) => file !== 'index.mjs').every((file) => file.startsWith('chunks/'))).toBe(
        true,
      );
      expect(code.length).toBeGreaterThan(1);
      expect(written.filter((file) => file.endsWith('.map')).sort()).toEqual(
        code.map((file) => `${file}.map`),
      );
      const map = JSON.parse(readFileSync(join(outdir, 'index.mjs.map'), 'utf8')) as Record<string, unknown>;
      expect(map).not.toHaveProperty('sourcesContent');
      expect(written).not.toContain('exemptions.json');

      const packagesIn = (outputs: readonly string[]) =>
        new Set(
          outputs.flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}).map(packageOf)),
        );
      const cold = coldStartOutputs(metafile, relative(REPOSITORY_ROOT, join(outdir, 'index.mjs')));
      const lazy =
        name === 'rule'
          ? [
              '@aws-sdk/client-cloudtrail',
              '@aws-sdk/client-iam',
              '@aws-sdk/client-cloudwatch-logs',
              '@aws-sdk/client-organizations',
            ]
          : ['@aws-sdk/client-cloudwatch'];
      const atColdStart = packagesIn(cold);
      const inAsset = packagesIn(Object.keys(metafile.outputs));
      for (const client of lazy) {
        expect(atColdStart, client).not.toContain(client);
        expect(inAsset, client).toContain(client);
      }
    },
  );

  it('writes the same code wherever it goes: chunk names and bytes, source maps resolving to the same sources', {
    timeout: BUILD_TIMEOUT_MS,
  }, () => {
    const [shallow, deep] = [scratch(), join(scratch(), 'cdk.out', 'bundling-temp')];
    bundleLambda(LAMBDA_ENTRY.rule, shallow);
    bundleLambda(LAMBDA_ENTRY.rule, deep);
    expect(files(deep)).toEqual(files(shallow));
    expect(codeDifferences(shallow, deep)).toEqual([]);
    const sources = (directory: string) =>
      (
        JSON.parse(readFileSync(join(directory, 'index.mjs.map'), 'utf8')) as { sources: string[] }
      ).sources.map((source) => resolve(directory, source));
    expect(sources(deep)).toEqual(sources(shallow));
    expect(sources(deep)).toContain(join(REPOSITORY_ROOT, LAMBDA_ENTRY.rule));
  });

  it('writes the exemptions text byte for byte beside index.mjs', () => {
    const outdir = scratch();
    bundleLambda(entryWith('export const handler = async () => 1;\n'), outdir, EXEMPTIONS);
    expect(readFileSync(join(outdir, 'exemptions.json'), 'utf8')).toBe(EXEMPTIONS);
    expect(existsSync(join(outdir, 'index.mjs'))).toBe(true);
  });

  it('refuses a bundle esbuild warns about, naming the entry and the warning', () => {
    const entry = entryWith('export const handler = async (value) => value === -0;\n');
    const outdir = scratch();
    const bundle = () => bundleLambda(entry, outdir, EXEMPTIONS);
    expect(bundle).toThrow(LambdaBundleWarningError);
    expect(bundle).toThrow(`esbuild warned while bundling ${entry}`);
    expect(bundle).toThrow('Comparison with -0 using the "===" operator will also match 0');
    expect(existsSync(join(outdir, 'exemptions.json'))).toBe(false);
  });

  it("throws esbuild's own error for an import that does not resolve", () => {
    const entry = entryWith("export { handler } from './missing.mjs';\n");
    expect(() => bundleLambda(entry, scratch())).toThrow('Could not resolve "./missing.mjs"');
  });
});

describe('LocalLambdaBundling', () => {
  it("bundles into CDK's output directory and reports success, so Docker is never tried", () => {
    const outdir = scratch();
    const bundling = new LocalLambdaBundling(
      entryWith('export const handler = async () => 1;\n'),
      EXEMPTIONS,
    );
    expect(bundling.tryBundle(outdir)).toBe(true);
    expect(files(outdir)).toEqual(['exemptions.json', 'index.mjs', 'index.mjs.map']);
  });

  // CDK reuses an existing bundle whose bundling options serialize the same (its asset cache key): another
  // exemptions file or entry must serialize differently, or a synth could ship the previous file.
  it.each([
    ['another exemptions file', new LocalLambdaBundling('rule/handler.ts', '{"version":1,"exemptions":[ ]}')],
    ['no exemptions file', new LocalLambdaBundling('rule/handler.ts', undefined)],
    ['another entry', new LocalLambdaBundling('remediation/handler.ts', EXEMPTIONS)],
  ])('serializes differently for %s', (_, other) => {
    const bundling = new LocalLambdaBundling('rule/handler.ts', EXEMPTIONS);
    expect(JSON.stringify(bundling)).toBe(
      JSON.stringify(new LocalLambdaBundling('rule/handler.ts', EXEMPTIONS)),
    );
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(bundling));
  });
});
