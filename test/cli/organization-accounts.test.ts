import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  ListAccountsCommand,
  OrganizationsClient,
  OrganizationsServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { isAccountListRefused, listOrganizationAccounts } from '../../cli/organization-accounts.js';
import { recordedCoverage, serveAccounts } from './coverage-fixtures.js';

const organizations = mockClient(OrganizationsClient);

beforeEach(() => {
  organizations.reset();
});

describe('listOrganizationAccounts', () => {
  it('reads 20 accounts a page (the maximum) and follows NextToken past an empty page', async () => {
    serveAccounts(organizations, recordedCoverage());
    const accounts = await listOrganizationAccounts(new OrganizationsClient({}));
    expect(organizations.commandCalls(ListAccountsCommand).map((call) => call.args[0].input)).toEqual([
      { MaxResults: 20 },
      { MaxResults: 20, NextToken: 'accounts-page-2' },
      { MaxResults: 20, NextToken: 'accounts-page-3' },
    ]);
    expect(accounts).toEqual([
      { id: '111111111111', name: 'management', state: 'ACTIVE' },
      { id: '222222222222', name: 'audit', state: 'ACTIVE' },
      // An answer without State (an older API version): Status stands in.
      { id: '333333333333', name: 'workloads-prod', state: 'ACTIVE' },
      { id: '444444444444', name: 'workloads-dev', state: 'ACTIVE' },
      { id: '555555555555', name: 'sandbox', state: 'SUSPENDED' },
      { id: '666666666666', name: 'legacy', state: 'PENDING_CLOSURE' },
    ]);
  });

  it('takes State over the retiring Status, and keeps an account that has neither', async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: '111111111111', Status: 'ACTIVE', State: 'CLOSED' },
        { Id: '222222222222', Name: 'new' },
        { Name: 'no id' },
      ],
    });
    await expect(listOrganizationAccounts(new OrganizationsClient({}))).resolves.toEqual([
      { id: '111111111111', state: 'CLOSED' },
      { id: '222222222222', name: 'new' },
    ]);
  });
});

describe('isAccountListRefused', () => {
  it.each([
    ['AccessDeniedException', new AccessDeniedException({ message: 'no', $metadata: {} }), true],
    [
      'AccessDenied (the query-protocol name)',
      new OrganizationsServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'no',
        $metadata: {},
      }),
      true,
    ],
    [
      'AWSOrganizationsNotInUseException',
      new AWSOrganizationsNotInUseException({ message: 'no organization', $metadata: {} }),
      true,
    ],
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'slow down', $metadata: {} }),
      false,
    ],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), false],
    ['something not an Error', 'AccessDeniedException', false],
  ])('%s: %s', (_name, error, refused) => {
    expect(isAccountListRefused(error)).toBe(refused);
  });
});
