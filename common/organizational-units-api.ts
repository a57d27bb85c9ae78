import {
  ListParentsCommand,
  type ListParentsCommandOutput,
  type OrganizationsClient,
  type Parent,
} from '@aws-sdk/client-organizations';
import { OrganizationalUnitLookupError } from './exemption-lookup.js';

/**
 * Which organizational units an account is in, read from AWS Organizations: what an exemption naming trails in an
 * OU needs. IAM: organizations:ListParents on the account and on the OUs above it. ListParents "can be called
 * only from the organization's management account or by a member account that is a delegated administrator"
 * (API reference), which is where the organization hub runs.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
 */

/**
 * OUs nest at most five levels under the root ("For service control policies, the limit is five":
 * CreateOrganizationalUnit, API reference), so the root is at most six ListParents calls above an account. A walk
 * that has not reached it by then is an answer this code does not understand, and is refused.
 */
const MAX_STEPS = 6;

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The one parent of `child`, every page read: "always check the NextToken response parameter value, even if you
 * receive an empty result set" (ListParents, API reference).
 */
async function parentOf(client: OrganizationsClient, child: string, account: string): Promise<Parent> {
  const parents: Parent[] = [];
  let nextToken: string | undefined;
  do {
    let page: ListParentsCommandOutput;
    try {
      page = await client.send(
        new ListParentsCommand({
          ChildId: child,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
    } catch (error) {
      throw new OrganizationalUnitLookupError(
        account,
        `organizations:ListParents of ${child} failed (${describeError(error)})`,
        { cause: error },
      );
    }
    parents.push(...(page.Parents ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  // "In the current release, a child can have only a single parent."
  const [parent] = parents;
  if (parents.length !== 1 || parent?.Id === undefined || parent.Type === undefined) {
    throw new OrganizationalUnitLookupError(
      account,
      `organizations:ListParents of ${child} returned ${parents.length} parents, not one`,
    );
  }
  return parent;
}

/** Every OU above `account`, up to the root (its parent OU, that OU's parent, and so on). */
export async function readOrganizationalUnits(
  client: OrganizationsClient,
  account: string,
): Promise<ReadonlySet<string>> {
  const units = new Set<string>();
  let child = account;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const parent = await parentOf(client, child, account);
    if (parent.Type === 'ROOT') return units;
    units.add(parent.Id as string);
    child = parent.Id as string;
  }
  throw new OrganizationalUnitLookupError(account, `no root within ${MAX_STEPS} levels of parents`);
}
