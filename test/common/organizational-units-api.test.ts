import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { beforeEach, describe, expect, it } from 'vitest';
import { OrganizationalUnitLookupError } from '../../common/exemption-lookup.js';
import { readOrganizationalUnits } from '../../common/organizational-units-api.js';
import {
  listParentsCalls,
  organizations,
  organizationTree,
  PAYMENTS,
  PRODUCTION,
  SANDBOX,
} from './organization-tree.js';

const client = new OrganizationsClient({ region: 'us-east-1' });

beforeEach(() => organizationTree());

describe('readOrganizationalUnits', () => {
  it('gives every OU above the account, up to the root', async () => {
    expect(await readOrganizationalUnits(client, '111122223333')).toEqual(new Set([PAYMENTS, PRODUCTION]));
    expect(listParentsCalls()).toEqual(['111122223333', PAYMENTS, PRODUCTION]);
    expect(await readOrganizationalUnits(client, '444455556666')).toEqual(new Set([SANDBOX]));
  });

  it('gives no OU for an account directly under the root', async () => {
    organizationTree({ '777788889999': 'r-ab12' });
    expect(await readOrganizationalUnits(client, '777788889999')).toEqual(new Set());
  });

  it('reads on past an empty page that has a NextToken', async () => {
    organizationTree(undefined, ['111122223333', PAYMENTS]);
    expect(await readOrganizationalUnits(client, '111122223333')).toEqual(new Set([PAYMENTS, PRODUCTION]));
    expect(organizations.commandCalls(ListParentsCommand).map((call) => call.args[0].input)).toEqual([
      { ChildId: '111122223333' },
      { ChildId: '111122223333', NextToken: 'page-2' },
      { ChildId: PAYMENTS },
      { ChildId: PAYMENTS, NextToken: 'page-2' },
      { ChildId: PRODUCTION },
    ]);
  });

  it('fails naming the account and the call when ListParents is denied (a member account, not the hub)', async () => {
    organizations.on(ListParentsCommand).rejects(
      Object.assign(new Error("You don't have permissions to access this resource."), {
        name: 'AccessDeniedException',
      }),
    );
    const failure = readOrganizationalUnits(client, '111122223333');
    await expect(failure).rejects.toBeInstanceOf(OrganizationalUnitLookupError);
    await expect(failure).rejects.toThrow(
      "Could not read the organizational units of account 111122223333: organizations:ListParents of 111122223333 failed (AccessDeniedException: You don't have permissions to access this resource.). An exemption naming trails in an OU cannot be applied to its trails until they can be read, so they are neither judged nor remediated on a guess.",
    );
  });

  it('refuses an answer with more than one parent', async () => {
    organizations.on(ListParentsCommand).resolves({
      Parents: [
        { Id: PAYMENTS, Type: 'ORGANIZATIONAL_UNIT' },
        { Id: SANDBOX, Type: 'ORGANIZATIONAL_UNIT' },
      ],
    });
    await expect(readOrganizationalUnits(client, '111122223333')).rejects.toThrow(
      'organizations:ListParents of 111122223333 returned 2 parents, not one',
    );
  });

  it('refuses a chain of parents deeper than the five levels OUs may nest', async () => {
    const tree: Record<string, string> = { '111122223333': 'ou-ab12-level001' };
    for (let level = 1; level <= 6; level += 1)
      tree[`ou-ab12-level00${level}`] = `ou-ab12-level00${level + 1}`;
    organizationTree(tree);
    await expect(readOrganizationalUnits(client, '111122223333')).rejects.toThrow(
      'Could not read the organizational units of account 111122223333: no root within 6 levels of parents.',
    );
    expect(listParentsCalls()).toHaveLength(6);
  });
});
