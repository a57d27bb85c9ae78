import { describe, expect, it } from 'vitest';
import { PROOF_DOCUMENT_ENV } from '../../../remediation/definition.js';
import {
  assertRequestInOwnAccount,
  assertRequestInScope,
  type OwnLocation,
  ProofNotConfiguredError,
  RequestOutOfScopeError,
  type RequestScope,
} from '../../../remediation/organization/request-scope.js';
import type { RemediationRequest } from '../../../remediation/payload.js';

const MEMBER = '222222222222';
const SECURITY = '333333333333';
const REGION = 'eu-west-1';
const keyOf = (account: string, region: string) =>
  `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DEPLOYED_KEY = keyOf(SECURITY, REGION);
const SPOKE_BOUNDARY = `arn:aws:iam::${MEMBER}:policy/cloudtrail-logs-guard/StackSet-boundary`;

const scope: RequestScope = { accountId: MEMBER, region: REGION, deployedKmsKeyArn: DEPLOYED_KEY };
const request: RemediationRequest = {
  trail: 'management-events',
  retentionInDays: 365,
  kmsKeyArn: undefined,
  dryRun: false,
  targetAccountId: MEMBER,
  permissionsBoundaryArn: SPOKE_BOUNDARY,
};

describe('assertRequestInScope', () => {
  it.each<[string, Partial<RemediationRequest>, RequestScope]>([
    ['no key', {}, scope],
    ['a key of the target account in the trail region', { kmsKeyArn: keyOf(MEMBER, REGION) }, scope],
    ['the key the spokes were deployed with, in another account', { kmsKeyArn: DEPLOYED_KEY }, scope],
    ['no boundary (the hub uses its own in its own account)', { permissionsBoundaryArn: undefined }, scope],
  ])('accepts %s', (_name, change, given) => {
    expect(() => assertRequestInScope({ ...request, ...change }, given)).not.toThrow();
  });

  it.each<[string, Partial<RemediationRequest>, RequestScope, string]>([
    [
      'a key of another account',
      { kmsKeyArn: keyOf('999999999999', REGION) },
      scope,
      `KmsKeyArn ${keyOf('999999999999', REGION)} is not a key of account ${MEMBER} in region ${REGION}, nor the ` +
        `key the spokes were deployed with (${DEPLOYED_KEY})`,
    ],
    [
      'a key of the target account in another region',
      { kmsKeyArn: keyOf(MEMBER, 'us-east-1') },
      { ...scope, deployedKmsKeyArn: undefined },
      `KmsKeyArn ${keyOf(MEMBER, 'us-east-1')} is not a key of account ${MEMBER} in region ${REGION}, nor the ` +
        'key the spokes were deployed with (none)',
    ],
    [
      'the deployed key of another region',
      { kmsKeyArn: keyOf(SECURITY, 'us-east-1') },
      scope,
      `KmsKeyArn ${keyOf(SECURITY, 'us-east-1')} is not a key of account ${MEMBER} in region ${REGION}, nor the ` +
        `key the spokes were deployed with (${DEPLOYED_KEY})`,
    ],
    [
      "another account's boundary",
      { permissionsBoundaryArn: 'arn:aws:iam::999999999999:policy/open' },
      scope,
      `PermissionsBoundaryArn arn:aws:iam::999999999999:policy/open is not a policy of account ${MEMBER}`,
    ],
  ])('refuses %s', (_name, change, given, problem) => {
    const attempt = () => assertRequestInScope({ ...request, ...change }, given);

    expect(attempt).toThrow(RequestOutOfScopeError);
    expect(attempt).toThrow(expect.objectContaining({ name: 'RequestOutOfScopeError' }));
    expect(attempt).toThrow(
      `Refused to remediate in account ${MEMBER}: ${problem}. Nothing was changed; run the remediation with ` +
        'values of that account and region (the spoke deployment sets them).',
    );
  });
});

describe('assertRequestInOwnAccount', () => {
  const own: OwnLocation = { accountId: MEMBER, region: REGION };
  const single: RemediationRequest = {
    trail: 'management-events',
    retentionInDays: 365,
    kmsKeyArn: undefined,
    dryRun: false,
  };
  const tail = (account: string) =>
    `. Environment variable ${PROOF_DOCUMENT_ENV} is unset or empty, so this function has no execution proof to ` +
    `read and acts only in its own account${account}, with that account's keys and boundaries. Nothing was read ` +
    'or written. Run the remediation in the account that owns the trail (leave out TargetAccountId or name that ' +
    `account), or, for the organization hub, set ${PROOF_DOCUMENT_ENV} to the spoke's Automation document name, ` +
    'as the hub stack does.';

  it.each<[string, Partial<RemediationRequest>, OwnLocation | undefined]>([
    ['a single-account request', {}, own],
    ['the own account named explicitly', { targetAccountId: MEMBER }, own],
    ['a key of the own account and region', { kmsKeyArn: keyOf(MEMBER, REGION) }, own],
    ['a boundary of the own account', { permissionsBoundaryArn: SPOKE_BOUNDARY }, own],
    ['no context and no target account', { kmsKeyArn: keyOf(SECURITY, REGION) }, undefined],
  ])('accepts %s', (_name, change, location) => {
    expect(() => assertRequestInOwnAccount({ ...single, ...change }, location)).not.toThrow();
  });

  it.each<[string, Partial<RemediationRequest>, OwnLocation | undefined, string]>([
    [
      'another account',
      { targetAccountId: SECURITY },
      own,
      `TargetAccountId ${SECURITY} is not this function's own account ${MEMBER}`,
    ],
    [
      'a target account without a context',
      { targetAccountId: MEMBER },
      undefined,
      `TargetAccountId ${MEMBER} is named, but the function was called without a Lambda context, so it cannot ` +
        'tell its own account',
    ],
    [
      "another account's key",
      { kmsKeyArn: keyOf(SECURITY, REGION) },
      own,
      `KmsKeyArn ${keyOf(SECURITY, REGION)} is not a key of this function's own account ${MEMBER} in region ${REGION}`,
    ],
    [
      'a key of the own account in another region',
      { kmsKeyArn: keyOf(MEMBER, 'us-east-1') },
      own,
      `KmsKeyArn ${keyOf(MEMBER, 'us-east-1')} is not a key of this function's own account ${MEMBER} in region ${REGION}`,
    ],
    [
      "another account's boundary, with the own account named",
      { targetAccountId: MEMBER, permissionsBoundaryArn: 'arn:aws:iam::999999999999:policy/open' },
      own,
      `PermissionsBoundaryArn arn:aws:iam::999999999999:policy/open is not a policy of this function's own account ${MEMBER}`,
    ],
  ])('refuses %s', (_name, change, location, problem) => {
    const attempt = () => assertRequestInOwnAccount({ ...single, ...change }, location);

    expect(attempt).toThrow(ProofNotConfiguredError);
    expect(attempt).toThrow(
      `Refused to remediate: ${problem}${tail(location === undefined ? '' : ` ${location.accountId}`)}`,
    );
  });
});
