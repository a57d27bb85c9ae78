import { parseKmsKeyArn, parsePolicyArn } from '../arns.js';
import { ORGANIZATION_PAYLOAD_KEY, PAYLOAD_KEY, PROOF_DOCUMENT_ENV } from '../definition.js';
import type { RemediationRequest } from '../payload.js';

/**
 * What an organization request may name besides its trail. Pure. The retention is already one CloudWatch Logs
 * accepts (parseRemediationPayload refuses any other before any call); here the resources of other accounts:
 * a log group in the target account may be encrypted only with a key of that account and the trail's region,
 * or with the key the spokes were deployed with, and the roles created there may get only that account's
 * boundary. Without proof configuration the same checks hold against the function's own account, and no other
 * account may be named at all.
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

/** Where the function itself runs, as its Lambda context tells it (AWS vouches for it, not the payload). */
export interface OwnLocation {
  readonly accountId: string;
  readonly region: string;
}

/**
 * A function without proof configuration (PROOF_DOCUMENT_ENV unset or empty) was asked to reach beyond its own
 * account; nothing was read or written.
 */
export class ProofNotConfiguredError extends Error {
  /** The function's own account; undefined when it was called without a Lambda context. */
  readonly ownAccountId: string | undefined;

  constructor(ownAccountId: string | undefined, problem: string) {
    const own = ownAccountId === undefined ? '' : ` ${ownAccountId}`;
    super(
      `Refused to remediate: ${problem}. Environment variable ${PROOF_DOCUMENT_ENV} is unset or empty, so this ` +
        `function has no execution proof to read and acts only in its own account${own}, with that account's ` +
        `keys and boundaries. Nothing was read or written. Run the remediation in the account that owns the ` +
        `trail (leave out ${ORGANIZATION_PAYLOAD_KEY.targetAccountId} or name that account), or, for the ` +
        `organization hub, set ${PROOF_DOCUMENT_ENV} to the spoke's Automation document name, as the hub stack does.`,
    );
    this.name = 'ProofNotConfiguredError';
    this.ownAccountId = ownAccountId;
  }
}

/**
 * The fail-closed rule of a function without proof configuration. Pure. `own` is the function's location from
 * its Lambda context, undefined without one: then no target account may be named, since the function cannot
 * tell its own (an in-process caller acts with its own credentials, and its key and boundary are its own
 * business). With a context: the target account, when named, must be the own account, and the key and boundary
 * must lie there (the key also in the own region), as assertRequestInScope requires of a hub's target.
 * Throws ProofNotConfiguredError.
 */
export function assertRequestInOwnAccount(request: RemediationRequest, own: OwnLocation | undefined): void {
  const target = request.targetAccountId;
  if (own === undefined) {
    if (target !== undefined) {
      throw new ProofNotConfiguredError(
        undefined,
        `${ORGANIZATION_PAYLOAD_KEY.targetAccountId} ${target} is named, but the function was called without a ` +
          'Lambda context, so it cannot tell its own account',
      );
    }
    return;
  }
  const { accountId, region } = own;
  if (target !== undefined && target !== accountId) {
    throw new ProofNotConfiguredError(
      accountId,
      `${ORGANIZATION_PAYLOAD_KEY.targetAccountId} ${target} is not this function's own account ${accountId}`,
    );
  }
  const key = request.kmsKeyArn;
  if (key !== undefined) {
    const parsed = parseKmsKeyArn(key);
    if (parsed?.account !== accountId || parsed.region !== region) {
      throw new ProofNotConfiguredError(
        accountId,
        `${PAYLOAD_KEY.kmsKeyArn} ${key} is not a key of this function's own account ${accountId} in region ${region}`,
      );
    }
  }
  const boundary = request.permissionsBoundaryArn;
  if (boundary !== undefined && parsePolicyArn(boundary)?.account !== accountId) {
    throw new ProofNotConfiguredError(
      accountId,
      `${ORGANIZATION_PAYLOAD_KEY.permissionsBoundaryArn} ${boundary} is not a policy of this function's own ` +
        `account ${accountId}`,
    );
  }
}
