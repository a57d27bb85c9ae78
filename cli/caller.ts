import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { CallerIdentityError, describeError } from './errors.js';

/**
 * The account the caller's credentials belong to (sts:GetCallerIdentity, which needs no permission). It is
 * also the first call, so missing or expired credentials fail here with a message that says so.
 */
export async function callerAccount(sts: STSClient): Promise<string> {
  let account: string | undefined;
  try {
    ({ Account: account } = await sts.send(new GetCallerIdentityCommand({})));
  } catch (error) {
    throw new CallerIdentityError(
      `could not identify your AWS credentials (sts:GetCallerIdentity): ${describeError(error)}. Log in (aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID) and try again.`,
      { cause: error },
    );
  }
  if (account === undefined) {
    throw new CallerIdentityError('sts:GetCallerIdentity returned no account id.');
  }
  return account;
}
