import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganizationalUnitLookupError } from '../../common/exemption-lookup.js';
import { ExemptTrailError, InvalidConfigurationError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { ACCOUNT, type FakeWorld, fakeAws, newWorld, TRAIL_ARN, TRAIL_NAME } from './fake-aws.js';

/**
 * The remediation with the exemptions its deployment put beside its code (LAMBDA_TASK_ROOT/exemptions.json), at
 * an instant the test sets: an exempt trail is refused whatever path asks (the SSM document's payload is the same
 * from the console, automatic remediation and the hub), before anything is written.
 */

const BEFORE_EXPIRY = new Date('2026-11-29T19:00:00.000Z');
const AFTER_EXPIRY = new Date('2026-12-16T00:00:00.000Z');
const PAYMENTS = 'ou-ab12-paym0001';

const ENTRY = {
  trailArn: TRAIL_ARN,
  reason: 'Data events trail; ingest would cost about $4,000 a month.',
  reference: 'SEC-1234',
  approver: 'ciso@example.com',
  expires: '2026-12-16',
};
const REFUSAL =
  `Trail ${TRAIL_ARN} is exempt until 2026-12-16: Data events trail; ingest would cost about $4,000 a month. ` +
  '(SEC-1234, approved by ciso@example.com). Nothing was changed: the remediation refuses an exempt trail. To ' +
  "remediate it now, remove its exemption from the deployment's exemptions file and deploy the guard again.";

function deployWith(...entries: unknown[]): void {
  const root = mkdtempSync(join(tmpdir(), 'guard-remediation-task-'));
  writeFileSync(join(root, 'exemptions.json'), JSON.stringify({ version: 1, exemptions: entries }));
  vi.stubEnv('LAMBDA_TASK_ROOT', root);
}

let world: FakeWorld;

// The caller's identity is read once per container (remediation/clients.ts), so only the first test sees it.
const callsPastIdentity = () => world.calls.filter((call) => call !== 'GetCallerIdentity');

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
  vi.useFakeTimers({ now: BEFORE_EXPIRY, toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('handler with exemptions', () => {
  it.each([
    ['a fix', false],
    ['a dry run', true],
  ])(
    'refuses %s of an exempt trail, reading nothing past the trail and writing nothing',
    async (_, dryRun) => {
      deployWith(ENTRY);
      const failure = handler({ TrailName: TRAIL_NAME, DryRun: dryRun });
      await expect(failure).rejects.toBeInstanceOf(ExemptTrailError);
      await expect(failure).rejects.toThrow(REFUSAL);
      expect(callsPastIdentity()).toEqual(['GetTrail']);
      expect(world.writes).toEqual([]);
    },
  );

  it('refuses every trail of an exempt account', async () => {
    deployWith({ ...ENTRY, trailArn: undefined, account: ACCOUNT });
    await expect(handler({ TrailName: TRAIL_ARN })).rejects.toBeInstanceOf(ExemptTrailError);
    expect(world.writes).toEqual([]);
  });

  it('remediates the trail once its exemption has expired', async () => {
    deployWith(ENTRY);
    vi.setSystemTime(AFTER_EXPIRY);
    expect((await handler({ TrailName: TRAIL_NAME })).outcome).toBe('REMEDIATED');
  });

  it("remediates a trail another entry's exemption does not cover", async () => {
    deployWith({ ...ENTRY, trailArn: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${TRAIL_NAME}` });
    expect((await handler({ TrailName: TRAIL_NAME })).outcome).toBe('REMEDIATED');
  });

  it("refuses a trail of a name exempt in an OU above its owner, reading the OUs with the Lambda's own client", async () => {
    world.parents = { [ACCOUNT]: PAYMENTS, [PAYMENTS]: 'r-ab12' };
    deployWith({ ...ENTRY, trailArn: undefined, trailName: TRAIL_NAME, organizationalUnit: PAYMENTS });
    await expect(handler({ TrailName: TRAIL_NAME })).rejects.toBeInstanceOf(ExemptTrailError);
    expect(callsPastIdentity()).toEqual(['GetTrail', 'ListParents', 'ListParents']);
    expect(world.writes).toEqual([]);
  });

  it('refuses, never remediating on a guess, when the OUs cannot be read', async () => {
    deployWith({ ...ENTRY, trailArn: undefined, trailName: TRAIL_NAME, organizationalUnit: PAYMENTS });
    await expect(handler({ TrailName: TRAIL_NAME })).rejects.toBeInstanceOf(OrganizationalUnitLookupError);
    expect(world.writes).toEqual([]);
  });

  it('refuses every request before any AWS call when the deployed exemptions are malformed', async () => {
    deployWith({ ...ENTRY, trailArn: 'management-events' });
    const failure = handler({ TrailName: TRAIL_NAME });
    await expect(failure).rejects.toBeInstanceOf(InvalidConfigurationError);
    await expect(failure).rejects.toThrow(
      /^Invalid exemptions in the deployed exemptions \(.+\): exemptions\[0\] \(SEC-1234\): trailArn "management-events" is not a trail ARN \(arn:<partition>:cloudtrail:<region>:<account>:trail\/<name>\)\. None of its exemptions is honoured until it is corrected\. The remediation refuses every trail while its exemptions are invalid, as it cannot tell which trails are excused; nothing was read or written\. Deploy the guard again with a valid exemptions file\.$/,
    );
    expect(world.calls).toEqual([]);
  });
});
