import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROOF_DOCUMENT_ENV } from '../../remediation/definition.js';
import { InvalidConfigurationError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { ProofNotConfiguredError } from '../../remediation/organization/request-scope.js';
import { ACCOUNT, type FakeWorld, fakeAws, newWorld, REGION, TRAIL_ARN, TRAIL_NAME } from './fake-aws.js';

/**
 * Fail closed (issue 24): a remediation function without proof configuration (PROOF_DOCUMENT_ENV unset or empty)
 * acts only in its own account, the one its Lambda context names. Every way around it is refused before any AWS
 * call: no SDK client sends a single command. The fake world is the function's own account ACCOUNT.
 */

const OTHER = '222222222222';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const ownContext = {
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cloudtrail-logs-guard-remediation`,
};
const keyOf = (account: string, region: string) =>
  `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const boundaryOf = (account: string) => `arn:aws:iam::${account}:policy/cloudtrail-logs-guard/boundary`;

/** Unset and empty both mean "no proof configuration". */
const UNCONFIGURED: [string, string | undefined][] = [
  ['unset', undefined],
  ['empty', ''],
];

/** Every SDK client the remediation or its gate could use, with no answers: any command sent is a failure. */
function silentAws(): readonly { calls(): readonly unknown[] }[] {
  return [
    mockClient(CloudTrailClient),
    mockClient(CloudWatchLogsClient),
    mockClient(IAMClient),
    mockClient(STSClient),
    mockClient(SSMClient),
    mockClient(OrganizationsClient),
    mockClient(CloudWatchClient),
  ];
}

function expectNoCommandSent(mocks: readonly { calls(): readonly unknown[] }[]): void {
  expect(mocks.flatMap((mock) => mock.calls())).toEqual([]);
}

function refusal(own: string | undefined, problem: string): string {
  return (
    `Refused to remediate: ${problem}. Environment variable ${PROOF_DOCUMENT_ENV} is unset or empty, so this ` +
    `function has no execution proof to read and acts only in its own account${own === undefined ? '' : ` ${own}`}, ` +
    "with that account's keys and boundaries. Nothing was read or written. Run the remediation in the account " +
    'that owns the trail (leave out TargetAccountId or name that account), or, for the organization hub, set ' +
    `${PROOF_DOCUMENT_ENV} to the spoke's Automation document name, as the hub stack does.`
  );
}

let world: FakeWorld;

beforeEach(() => {
  world = newWorld();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe.each(UNCONFIGURED)('handler without proof configuration (%s)', (_name, value) => {
  beforeEach(() => {
    vi.stubEnv(PROOF_DOCUMENT_ENV, value);
  });

  it.each<[string, Record<string, unknown>, typeof ownContext | undefined, string | undefined, string]>([
    [
      'a payload naming another account',
      { TargetAccountId: OTHER },
      ownContext,
      ACCOUNT,
      `TargetAccountId ${OTHER} is not this function's own account ${ACCOUNT}`,
    ],
    [
      'a spoke-like payload naming another account, with role, boundary and execution',
      {
        TargetAccountId: OTHER,
        ExecutionRoleName: 'spoke-fix',
        PermissionsBoundaryArn: boundaryOf(OTHER),
        AutomationExecutionId: EXECUTION_ID,
      },
      ownContext,
      ACCOUNT,
      `TargetAccountId ${OTHER} is not this function's own account ${ACCOUNT}`,
    ],
    [
      'a payload naming another account, without a Lambda context',
      { TargetAccountId: OTHER, ExecutionRoleName: 'spoke-fix' },
      undefined,
      undefined,
      `TargetAccountId ${OTHER} is named, but the function was called without a Lambda context, so it cannot ` +
        'tell its own account',
    ],
    [
      'a payload naming any account, even the own one, without a Lambda context',
      { TargetAccountId: ACCOUNT },
      undefined,
      undefined,
      `TargetAccountId ${ACCOUNT} is named, but the function was called without a Lambda context, so it cannot ` +
        'tell its own account',
    ],
    [
      "another account's KMS key",
      { KmsKeyArn: keyOf(OTHER, REGION) },
      ownContext,
      ACCOUNT,
      `KmsKeyArn ${keyOf(OTHER, REGION)} is not a key of this function's own account ${ACCOUNT} in region ${REGION}`,
    ],
    [
      "another account's KMS key, naming the own account explicitly",
      { TargetAccountId: ACCOUNT, KmsKeyArn: keyOf(OTHER, REGION) },
      ownContext,
      ACCOUNT,
      `KmsKeyArn ${keyOf(OTHER, REGION)} is not a key of this function's own account ${ACCOUNT} in region ${REGION}`,
    ],
    [
      'a key of the own account in another region',
      { KmsKeyArn: keyOf(ACCOUNT, 'eu-west-1') },
      ownContext,
      ACCOUNT,
      `KmsKeyArn ${keyOf(ACCOUNT, 'eu-west-1')} is not a key of this function's own account ${ACCOUNT} in ` +
        `region ${REGION}`,
    ],
    [
      "another account's permissions boundary",
      { PermissionsBoundaryArn: boundaryOf(OTHER) },
      ownContext,
      ACCOUNT,
      `PermissionsBoundaryArn ${boundaryOf(OTHER)} is not a policy of this function's own account ${ACCOUNT}`,
    ],
  ])('refuses %s before any AWS call', async (_case, change, context, own, problem) => {
    const mocks = silentAws();

    const failure = await handler({ TrailName: TRAIL_ARN, ...change }, context).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ProofNotConfiguredError);
    expect(failure).toMatchObject({ name: 'ProofNotConfiguredError', ownAccountId: own });
    expect((failure as Error).message).toBe(refusal(own, problem));
    expectNoCommandSent(mocks);
  });

  it.each<[string, Record<string, unknown>, typeof ownContext | undefined]>([
    ['a payload naming no account', {}, ownContext],
    ['a payload naming the own account explicitly', { TargetAccountId: ACCOUNT }, ownContext],
    [
      'the own account with a key of its region and a boundary of its own',
      {
        TargetAccountId: ACCOUNT,
        KmsKeyArn: keyOf(ACCOUNT, REGION),
        PermissionsBoundaryArn: boundaryOf(ACCOUNT),
      },
      ownContext,
    ],
    ['a payload naming no account, without a Lambda context (in-process callers)', {}, undefined],
  ])('acts with its own credentials on %s', async (_case, change, context) => {
    fakeAws(world);
    const ssm = mockClient(SSMClient);

    const summary = await handler({ TrailName: TRAIL_NAME, DryRun: true, ...change }, context);

    expect(summary).toMatchObject({ trail: TRAIL_ARN, outcome: 'DRY_RUN' });
    expect(world.calls).toContain('GetTrail');
    expect(world.writes).toEqual([]);
    expect(ssm.calls()).toEqual([]);
  });
});

describe('handler with a malformed proof configuration', () => {
  it.each<[string, Record<string, unknown>]>([
    ['naming another account', { TargetAccountId: OTHER }],
    ['naming the own account', { TargetAccountId: ACCOUNT }],
    ['naming no account', {}],
  ])('refuses a payload %s with InvalidConfigurationError, before any AWS call', async (_case, change) => {
    vi.stubEnv(PROOF_DOCUMENT_ENV, 'not a document!');
    const mocks = silentAws();

    const failure = await handler({ TrailName: TRAIL_ARN, ...change }, ownContext).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(InvalidConfigurationError);
    expect((failure as Error).message).toBe(
      `Environment variable ${PROOF_DOCUMENT_ENV} is "not a document!", not an SSM document name (3-128 ` +
        "letters, digits, '_', '-' or '.'). Set it to the spoke's Automation document name, as the hub stack does.",
    );
    expectNoCommandSent(mocks);
  });
});
