/**
 * The least-privilege check over the e2e tier's recording (issue 27), run right after the tier by
 * `npm run test:e2e` (vitest.privilege.config.ts). See test/privilege/check.ts for what is checked, and
 * docs/security.md ("Least privilege, proven both ways") for how to read and fix a failure.
 *
 * UPDATE_LEAST_PRIVILEGE_DOCS=1 rewrites the generated tables of docs/security.md and docs/cli.md instead of
 * comparing them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORDING_DIRECTORY } from '../../e2e/call-recorder.js';
import type { DeploymentName } from '../../e2e/principals.js';
import { type CheckInput, type CheckReport, runCheck } from '../check.js';
import { blockOf, operatorPolicyOf, operatorTable, securityTables, withBlock } from '../docs.js';
import { readRecording } from '../recording.js';
import { GUARDRAILS, REVIEWED_GRANTS } from '../reviewed.js';
import { type Grant, OPERATOR_LABEL, ROLE_CATALOGUE } from '../roles.js';
import { synthesizeDeployment } from '../synthesis.js';
import type { DeploymentTemplates } from '../templates.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SECURITY_MD = join(ROOT, 'docs', 'security.md');
const CLI_MD = join(ROOT, 'docs', 'cli.md');
const DEPLOYMENTS: readonly DeploymentName[] = [
  'single-account',
  'single-account-monitoring',
  'organization',
];

let input: CheckInput;
let report: CheckReport;

beforeAll(async () => {
  const deployments = new Map<DeploymentName, DeploymentTemplates>(
    DEPLOYMENTS.map((deployment) => [deployment, synthesizeDeployment(deployment)]),
  );
  input = {
    recording: readRecording(RECORDING_DIRECTORY),
    deployments,
    operatorPolicy: operatorPolicyOf(readFileSync(CLI_MD, 'utf8')),
    reviewed: REVIEWED_GRANTS,
    guardrails: GUARDRAILS,
  };
  report = await runCheck(input);
  console.info(
    `least privilege: ${report.calls} recorded calls, ${report.pairs} distinct (role, action) pairs, ` +
      `${report.coverage.filter((row) => row.reviewed !== undefined).length} reviewed grants, ` +
      `${report.failures.length} failures`,
  );
});

describe('least privilege over the recorded e2e calls', () => {
  it('allows every recorded call, and every granted action is used by one or reviewed', () => {
    expect(report.failures).toEqual([]);
  });

  it('keeps the tables of docs/security.md and docs/cli.md what the recording shows', () => {
    const expected = {
      security: securityTables(report.coverage),
      cli: operatorTable(report.coverage),
    };
    if (process.env.UPDATE_LEAST_PRIVILEGE_DOCS === '1') {
      writeFileSync(SECURITY_MD, withBlock(readFileSync(SECURITY_MD, 'utf8'), 'roles', expected.security));
      writeFileSync(CLI_MD, withBlock(readFileSync(CLI_MD, 'utf8'), 'operator-table', expected.cli));
    }
    expect({
      security: blockOf(readFileSync(SECURITY_MD, 'utf8'), 'roles'),
      cli: blockOf(readFileSync(CLI_MD, 'utf8'), 'operator-table'),
    }).toEqual(expected);
  });
});

/** Every statement of every role and of the operator policy, as the check's coverage lists them. */
function statements(): { label: string; key: string }[] {
  const seen = new Map<string, { label: string; key: string }>();
  for (const row of report.coverage) {
    if (!row.key.startsWith('managed/'))
      seen.set(`${row.label} ${row.key}`, { label: row.label, key: row.key });
  }
  return [...seen.values()];
}

/** An action no call of the project makes: added to a role's first Allow statement, it must fail the check. */
const UNUSED_ACTION = 'cloudtrail:StopLogging';

function withUnusedAction(grants: readonly Grant[]): Grant[] {
  const index = grants.findIndex((grant) => grant.statement.Effect === 'Allow');
  // A role with no statement of its own (an AWS managed policy only) gets one.
  if (index < 0) {
    const statement = { Sid: 'Added', Effect: 'Allow', Action: [UNUSED_ACTION], Resource: '*' };
    return [...grants, { key: 'added/Added', sid: 'Added', statement }];
  }
  return grants.map((grant, position) => {
    if (position !== index) return grant;
    const actions = grant.statement.Action;
    return {
      ...grant,
      statement: {
        ...grant.statement,
        Action: [...(Array.isArray(actions) ? actions : [actions]), UNUSED_ACTION],
      },
    };
  });
}

describe('the check notices any change of a grant', () => {
  it('fails when any one statement of any role is removed', async () => {
    // Meaningful only over a passing check: any change of a failing one fails too.
    expect(report.failures).toEqual([]);
    const unnoticed: string[] = [];
    for (const { label, key } of statements()) {
      const mutated = await runCheck(input, {
        failFast: true,
        focus: label,
        mutate: (role, grants) => (role === label ? grants.filter((grant) => grant.key !== key) : grants),
      });
      if (mutated.failures.length === 0) unnoticed.push(`${label}: ${key}`);
    }
    expect(statements().length).toBeGreaterThan(ROLE_CATALOGUE.length);
    expect(unnoticed).toEqual([]);
  });

  it.each([...ROLE_CATALOGUE.map((entry) => entry.label), OPERATOR_LABEL])(
    'fails when a statement of "%s" also grants an action no call uses',
    async (label) => {
      expect(report.failures).toEqual([]);
      const mutated = await runCheck(input, {
        focus: label,
        mutate: (role, grants) => (role === label ? withUnusedAction(grants) : grants),
      });
      expect(mutated.failures).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^Role "${label}", statement .* grants ${UNUSED_ACTION} on .*, but no recorded call uses it`,
          ),
        ),
      );
    },
  );
});
