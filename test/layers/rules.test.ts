import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of .dependency-cruiser.cjs fail on a forbidden import: dependency-cruiser's own command line,
 * with that very config, cruises test/fixtures/layers (a tree shaped like the repository, one forbidden import
 * per rule, plus one allowed import of infra/) and must report exactly those violations. `npm run layers` runs the
 * same config over the source, where it must report none.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/layers', import.meta.url));
const DEPCRUISE = fileURLToPath(
  new URL('../../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url),
);

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** Runs depcruise in the fixture tree with the project's config: what it printed and its exit code. */
function cruiseFixture(
  outputType: 'json' | 'err',
): Promise<{ readonly stdout: string; readonly exitCode: number }> {
  const args = [DEPCRUISE, 'common', 'rule', 'infra', 'remediation'];
  args.push('--config', `${ROOT}.dependency-cruiser.cjs`, '--output-type', outputType);
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: FIXTURE, maxBuffer: 10_000_000 }, (error, stdout) => {
      resolve({ stdout, exitCode: error === null ? 0 : Number(error.code) });
    });
  });
}

// Each test starts a Node.js process (about 3 s here, far more on a busy machine).
describe.concurrent('.dependency-cruiser.cjs', { timeout: 60_000 }, () => {
  it('reports every forbidden import of the fixture tree, and nothing else', async () => {
    const { stdout } = await cruiseFixture('json');
    const { violations } = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary;
    const found = violations.map(({ rule, from, to }) => [rule.name, from, to]);
    expect(found.sort()).toEqual(
      [
        ['common-is-the-bottom', 'common/identity.ts', 'remediation/definition.ts'],
        ['rule-not-remediation', 'rule/handler.ts', 'remediation/definition.ts'],
        ['infra-only-definitions', 'infra/stack.ts', 'remediation/handler.ts'],
        ['infra-reaches-no-aws-code', 'infra/stack.ts', 'remediation/handler.ts'],
        [
          'remediation-rooms-not-sideways',
          'remediation/monitoring/plan.ts',
          'remediation/integration/log-group.ts',
        ],
        [
          'remediation-pure-no-io',
          'remediation/integration/log-group.ts',
          'remediation/integration/log-group-api.ts',
        ],
        [
          'remediation-readers-not-planners',
          'remediation/integration/log-group-api.ts',
          'remediation/integration/log-group.ts',
        ],
        ['no-circular', 'remediation/integration/log-group-api.ts', 'remediation/integration/log-group.ts'],
      ].sort(),
    );
  });

  it('fails the command `npm run layers` runs, with the number of violations as exit code', async () => {
    const { stdout, exitCode } = await cruiseFixture('err');
    expect(exitCode).toBe(8);
    expect(stdout).toContain('error common-is-the-bottom: common/identity.ts → remediation/definition.ts');
    expect(stdout).toContain('x 8 dependency violations (8 errors, 0 warnings)');
  });
});
