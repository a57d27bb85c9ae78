import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deployedExemptions } from '../../common/deployed-exemptions.js';
import { NO_EXEMPTIONS_LIST } from '../../common/exemptions.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ENTRY = {
  account: '111122223333',
  reason: 'Sandbox account.',
  reference: 'SEC-1',
  approver: 'ciso',
  expires: '2026-04-01',
};

function taskRoot(content?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'guard-task-root-'));
  if (content !== undefined) writeFileSync(join(root, 'exemptions.json'), content);
  return root;
}

describe('deployedExemptions', () => {
  it('reads exemptions.json in LAMBDA_TASK_ROOT, keeping an entry expired since the deployment', () => {
    const root = taskRoot(JSON.stringify({ version: 1, exemptions: [{ ...ENTRY, expires: '2026-02-01' }] }));
    const deployed = deployedExemptions(NOW, { LAMBDA_TASK_ROOT: root });
    expect(deployed.ok && deployed.list.exemptions.map((exemption) => exemption.expires)).toEqual([
      '2026-02-01',
    ]);
  });

  it.each([
    ['no code directory', {}],
    ['no exemptions file', { LAMBDA_TASK_ROOT: taskRoot() }],
  ])('gives no exemptions with %s', (_, env) => {
    expect(deployedExemptions(NOW, env)).toEqual({ ok: true, list: NO_EXEMPTIONS_LIST });
  });

  it('validates again what the deployment wrote, so a file changed since is not honoured', () => {
    const root = taskRoot(JSON.stringify({ version: 1, exemptions: [{ ...ENTRY, expires: '2036-01-01' }] }));
    const deployed = deployedExemptions(NOW, { LAMBDA_TASK_ROOT: root });
    expect(deployed.ok).toBe(false);
    expect(!deployed.ok && deployed.error.message).toBe(
      `Invalid exemptions in the deployed exemptions (${join(root, 'exemptions.json')}): exemptions[0] (SEC-1): expires 2036-01-01, beyond the maximum term of 90 days (maxTermDays) from 2026-03-01; the latest allowed date is 2026-05-30. None of its exemptions is honoured until it is corrected.`,
    );
  });

  it("reads the file once per container: a later invocation gets the first one's list, expiry judged at its own instant", () => {
    const root = taskRoot(JSON.stringify({ version: 1, exemptions: [ENTRY] }));
    const first = deployedExemptions(NOW, { LAMBDA_TASK_ROOT: root });
    writeFileSync(join(root, 'exemptions.json'), 'changed');
    expect(deployedExemptions(new Date('2026-03-20T00:00:00Z'), { LAMBDA_TASK_ROOT: root })).toBe(first);
  });

  it('honours nothing of a file it cannot read', () => {
    const root = taskRoot();
    mkdirSync(join(root, 'exemptions.json'));
    const deployed = deployedExemptions(NOW, { LAMBDA_TASK_ROOT: root });
    expect(!deployed.ok && deployed.error.problems).toEqual(['cannot be read (EISDIR)']);
  });
});
