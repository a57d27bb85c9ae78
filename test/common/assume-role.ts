import type { AssumeRoleCommandOutput } from '@aws-sdk/client-sts';

/**
 * AssumeRole of a member account's role, as the handler tests of both Lambdas see it: the answer STS gives (the
 * temporary credentials of AssumeRoleResponse: AccessKeyId, SecretAccessKey, SessionToken, Expiration) and the
 * message common/account-credentials.ts gives an operator when STS refuses.
 */

/** The member role's credentials, valid for 15 minutes from now (the clock as the test has set it). */
export function memberRoleCredentials(
  accessKeyId = 'AKIAMEMBER',
): Pick<AssumeRoleCommandOutput, 'Credentials'> {
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: 'member-secret',
      SessionToken: 'member-token',
      Expiration: new Date(Date.now() + 900_000),
    },
  };
}

/** What a handler answers when STS refuses AccessDenied on role `roleName` of `account`. */
export function assumeRoleDenied(account: string, roleName: string): string {
  return (
    `Could not assume arn:aws:iam::${account}:role/${roleName} to act in account ${account}: STS answered ` +
    "AccessDenied (the hub function's log has the details). Check that the role exists in that account, that " +
    "its trust policy allows the hub Lambda's role, and that the organization StackSet has deployed the spoke " +
    'stack to that account and region.'
  );
}
