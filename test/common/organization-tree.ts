import {
  ListParentsCommand,
  type ListParentsCommandInput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * An organization for the tests of exemptions by OU: each account and OU with its one parent ("In the current
 * release, a child can have only a single parent"), served by ListParents as AWS serves it, with an empty first
 * page for the children listed in `emptyFirstPage` ("These operations can occasionally return an empty set of
 * results even when more results are available": ListParents, API reference). An unknown child is the
 * ChildNotFoundException AWS documents.
 */

export const ROOT = 'r-ab12';
export const PRODUCTION = 'ou-ab12-prod0001';
export const PAYMENTS = 'ou-ab12-paym0001';
export const SANDBOX = 'ou-ab12-sand0001';

/** payments-account (in payments, in production), sandbox-account (in sandbox), both under the root. */
export const TREE: Readonly<Record<string, string>> = {
  '111122223333': PAYMENTS,
  [PAYMENTS]: PRODUCTION,
  [PRODUCTION]: ROOT,
  '444455556666': SANDBOX,
  [SANDBOX]: ROOT,
};

export const organizations = mockClient(OrganizationsClient);

export function organizationTree(
  tree: Readonly<Record<string, string>> = TREE,
  emptyFirstPage: readonly string[] = [],
) {
  organizations.reset();
  organizations.on(ListParentsCommand).callsFake((input: ListParentsCommandInput) => {
    const child = input.ChildId ?? '';
    const parent = tree[child];
    if (parent === undefined) {
      throw Object.assign(
        new Error(
          "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
        ),
        {
          name: 'ChildNotFoundException',
        },
      );
    }
    if (emptyFirstPage.includes(child) && input.NextToken === undefined)
      return { Parents: [], NextToken: 'page-2' };
    return { Parents: [{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
  });
  return organizations;
}

export function listParentsCalls(): string[] {
  return organizations.commandCalls(ListParentsCommand).map((call) => call.args[0].input.ChildId ?? '');
}
