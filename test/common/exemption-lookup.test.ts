import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  NO_EXEMPTIONS,
  OrganizationalUnitLookupError,
  trailExemptions,
} from '../../common/exemption-lookup.js';
import { parseExemptions } from '../../common/exemptions.js';
import { readOrganizationalUnits } from '../../common/organizational-units-api.js';
import { listParentsCalls, organizationTree, PAYMENTS, SANDBOX } from './organization-tree.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const client = new OrganizationsClient({ region: 'us-east-1' });
const readUnits = (account: string) => readOrganizationalUnits(client, account);

const LIST = parseExemptions(
  JSON.stringify({
    version: 1,
    exemptions: [
      {
        trailName: 'landing-zone',
        organizationalUnit: PAYMENTS,
        reason: 'Owned by the landing zone team.',
        reference: 'SEC-7',
        approver: 'ciso',
        expires: '2026-04-01',
      },
      {
        trailArn: 'arn:aws:cloudtrail:eu-west-1:444455556666:trail/data-events',
        reason: 'Data events cost.',
        reference: 'SEC-8',
        approver: 'ciso',
        expires: '2026-04-01',
      },
    ],
  }),
  { now: NOW, purpose: 'evaluate', organizationalUnits: true, source: 'test' },
);

const trail = (account: string, name: string) => ({
  arn: `arn:aws:cloudtrail:eu-west-1:${account}:trail/${name}`,
  name,
});

beforeEach(() => organizationTree());

describe('trailExemptions', () => {
  it("reads the owner's OUs once per account, and only for a trail an OU entry may cover", async () => {
    const exemptions = trailExemptions(LIST, NOW, readUnits);
    expect((await exemptions.match(trail('111122223333', 'landing-zone'))).kind).toBe('active');
    expect((await exemptions.match(trail('111122223333', 'landing-zone'))).kind).toBe('active');
    expect((await exemptions.match(trail('444455556666', 'landing-zone'))).kind).toBe('none');
    expect((await exemptions.match(trail('444455556666', 'data-events'))).kind).toBe('active');
    expect((await exemptions.match(trail('444455556666', 'other'))).kind).toBe('none');
    expect(listParentsCalls()).toEqual([
      '111122223333',
      PAYMENTS,
      'ou-ab12-prod0001',
      '444455556666',
      SANDBOX,
    ]);
  });

  it('rejects, never exempting, when the OUs cannot be read', async () => {
    organizationTree({});
    const exemptions = trailExemptions(LIST, NOW, readUnits);
    await expect(exemptions.match(trail('111122223333', 'landing-zone'))).rejects.toBeInstanceOf(
      OrganizationalUnitLookupError,
    );
    // A trail no OU entry may cover is judged without the read.
    expect((await exemptions.match(trail('444455556666', 'data-events'))).kind).toBe('active');
  });

  it('rejects a trail an OU entry may cover when nothing here reads the organization', async () => {
    await expect(trailExemptions(LIST, NOW).match(trail('111122223333', 'landing-zone'))).rejects.toThrow(
      'Could not read the organizational units of account 111122223333: this deployment does not read the organization.',
    );
  });

  it('exempts nothing without exemptions', async () => {
    expect(await NO_EXEMPTIONS.match(trail('111122223333', 'landing-zone'))).toEqual({ kind: 'none' });
  });
});
