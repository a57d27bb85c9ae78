import { ListAccountsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { isAccessDenied } from '../rule/errors.js';

/** An account of the organization, as ListAccounts gives it. */
export interface OrganizationAccount {
  readonly id: string;
  readonly name?: string;
  /** ACTIVE, SUSPENDED, PENDING_CLOSURE, ...; undefined when ListAccounts gave neither State nor Status. */
  readonly state?: string;
}

/** ListAccounts MaxResults: "Valid Range: Minimum value of 1. Maximum value of 20." (Organizations API reference). */
const ACCOUNTS_PAGE_SIZE = 20;

/**
 * Every account of the organization (organizations:ListAccounts), to the last page. "These operations can
 * occasionally return an empty set of results even when there are more results available. The NextToken
 * response parameter value is null only when there are no more results to display" (Organizations API
 * reference, ListAccounts), so only the token ends the loop. Callable "only from the organization's
 * management account or by a member account that is a delegated administrator for an AWS service" (same
 * page): the Config delegated administrator that holds the hub's aggregator may call it.
 */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<OrganizationAccount[]> {
  const accounts: OrganizationAccount[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListAccountsCommand({
        MaxResults: ACCOUNTS_PAGE_SIZE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const account of page.Accounts ?? []) {
      if (account.Id === undefined) continue;
      // `Status` "will be retired on September 9, 2026" in favour of `State` (SDK model of Account); both are
      // returned until then, so State wins and Status stands in for an answer without it.
      const state = account.State ?? account.Status;
      accounts.push({
        id: account.Id,
        ...(account.Name === undefined ? {} : { name: account.Name }),
        ...(state === undefined ? {} : { state }),
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return accounts;
}

/**
 * True when ListAccounts failed because these credentials may not list the organization's accounts (IAM or
 * an SCP refused it, the account is neither management nor delegated administrator, or it is in no
 * organization): the coverage report then falls back to the accounts the aggregator knows. Any other failure
 * (throttling, network) is an error, not a reason to report on fewer accounts.
 */
export function isAccountListRefused(error: unknown): boolean {
  return (
    isAccessDenied(error) || (error instanceof Error && error.name === 'AWSOrganizationsNotInUseException')
  );
}
