import { parseKmsKeyArn, parsePolicyArn } from '../arns.js';
import { ORGANIZATION_PAYLOAD_KEY, PAYLOAD_KEY } from '../definition.js';
import type { RemediationRequest } from '../payload.js';

/**
 * What an organization request may name besides its trail. Pure. The retention is already one CloudWatch Logs
 * accepts (parseRemediationPayload refuses any other before any call); here the resources of other accounts:
 * a log group in the target account may be encrypted only with a key of that account and the trail's region,
 * or with the key the spokes were deployed with, and the roles created there may get only that account's
 * boundary.
 */

/** Where the hub is about to act, and the one key it may use from elsewhere. */
export interface RequestScope {
  readonly accountId: string;
  /** The Lambda's region: a trail is remediated only in its home region, so the log group is created here. */
  readonly region: string;
  /** The KMS key the spokes of this region were deployed with (SPOKE_KMS_KEY_ENV); undefined: none. */
  readonly deployedKmsKeyArn: string | undefined;
}

/** The request names a resource the hub may not use in the target account; nothing was read or written. */
export class RequestOutOfScopeError extends Error {
  readonly accountId: string;

  constructor(accountId: string, problem: string) {
    super(
      `Refused to remediate in account ${accountId}: ${problem}. Nothing was changed; run the remediation with ` +
        'values of that account and region (the spoke deployment sets them).',
    );
    this.name = 'RequestOutOfScopeError';
    this.accountId = accountId;
  }
}

/** Throws RequestOutOfScopeError when the request's KMS key or permissions boundary lies outside `scope`. */
export function assertRequestInScope(request: RemediationRequest, scope: RequestScope): void {
  const { accountId, region, deployedKmsKeyArn } = scope;
  const key = request.kmsKeyArn;
  if (key !== undefined && key !== deployedKmsKeyArn) {
    const parsed = parseKmsKeyArn(key);
    if (parsed?.account !== accountId || parsed.region !== region) {
      throw new RequestOutOfScopeError(
        accountId,
        `${PAYLOAD_KEY.kmsKeyArn} ${key} is not a key of account ${accountId} in region ${region}, nor the key ` +
          `the spokes were deployed with (${deployedKmsKeyArn ?? 'none'})`,
      );
    }
  }
  const boundary = request.permissionsBoundaryArn;
  if (boundary !== undefined && parsePolicyArn(boundary)?.account !== accountId) {
    throw new RequestOutOfScopeError(
      accountId,
      `${ORGANIZATION_PAYLOAD_KEY.permissionsBoundaryArn} ${boundary} is not a policy of account ${accountId}`,
    );
  }
}
