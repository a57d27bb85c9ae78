import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { CallerIdentityError } from './errors.js';
import { failureLine } from './failure.js';

/**
 * The account the caller's credentials belong to (sts:GetCallerIdentity, which needs no permission). It is
 * also the first call, so missing or expired credentials, an unreachable network or a wrong endpoint fail
 * here, with advice chosen by the cause.
 */
export async function callerAccount(sts: STSClient): Promise<string> {
  let account: string | undefined;
  try {
    ({ Account: account } = await sts.send(new GetCallerIdentityCommand({})));
  } catch (error) {
    const region = await sts.config.region().catch(() => undefined);
    throw new CallerIdentityError(
      `could not identify your AWS credentials: ${failureLine('sts:GetCallerIdentity', region, error)}`,
      { cause: error },
    );
  }
  if (account === undefined) {
    throw new CallerIdentityError('sts:GetCallerIdentity returned no account id.');
  }
  return account;
}
