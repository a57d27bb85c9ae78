import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetAutomationExecutionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AssumeRoleError, CredentialsRequestError } from '../../common/account-credentials.js';
import { PROOF_DOCUMENT_ENV } from '../../remediation/definition.js';
import { ExemptTrailError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { assumeRoleDenied, memberRoleCredentials } from '../common/assume-role.js';

/**
 * Organization mode: the hub's remediation Lambda is invoked by the Automation document of a member account,
 * whose payload names that account and the role to assume there; every AWS call must use that role. The hub is
 * configured with the spoke's document (PROOF_DOCUMENT_ENV), and SSM shows the execution that proves each
 * request (handler-execution-proof.test.ts tests the proof itself).
 */

const sts = mockClient(STSClient);
const cloudTrail = mockClient(CloudTrailClient);
const logs = mockClient(CloudWatchLogsClient);
const iam = mockClient(IAMClient);
const ssm = mockClient(SSMClient);

const MEMBER = '222222222222';
const HUB = '111111111111';
const REGION = 'us-east-1';
const hubContext = {
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${HUB}:function:cloudtrail-logs-guard-remediation`,
};
const DOCUMENT = 'cloudtrail-logs-guard-remediation';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const OWN_KEY = 'test';
const MEMBER_KEY = 'AKIAMEMBER';

let calls: string[];

type ClientGetter = () => { config: { credentials: () => Promise<AwsCredentialIdentity> } };
function recorded(name: string, answer: (input: Record<string, unknown>, key: string) => unknown) {
  return async (input: Record<string, unknown>, getClient: ClientGetter) => {
    const { accessKeyId } = await getClient().config.credentials();
    calls.push(`${name} ${accessKeyId}`);
    return answer(input, accessKeyId);
  };
}

let roleSerial = 0;
function payloadFor(account: string, trail: { integrated: boolean }) {
  roleSerial += 1;
  const roleName = `spoke-fix-${roleSerial}`;
  trailIntegrated = trail.integrated;
  return {
    roleName,
    payload: {
      TrailName: 'management-events',
      DryRun: true,
      TargetAccountId: account,
      ExecutionRoleName: roleName,
      AutomationExecutionId: EXECUTION_ID,
    },
  };
}

let trailIntegrated = true;

beforeEach(() => {
  calls = [];
  for (const mock of [sts, cloudTrail, logs, iam, ssm]) mock.reset();
  vi.stubEnv(PROOF_DOCUMENT_ENV, DOCUMENT);
  ssm.on(GetAutomationExecutionCommand).resolves({
    AutomationExecution: {
      AutomationExecutionId: EXECUTION_ID,
      DocumentName: DOCUMENT,
      AutomationExecutionStatus: 'InProgress',
      CurrentStepName: 'InvokeRemediationFunction',
      Parameters: { TrailName: ['management-events'], DryRun: ['true'] },
    },
  });
  sts.on(AssumeRoleCommand).callsFake(recorded('AssumeRole', () => memberRoleCredentials(MEMBER_KEY)));
  sts
    .on(GetCallerIdentityCommand)
    .callsFake(
      recorded('GetCallerIdentity', (_input, key) => ({ Account: key === MEMBER_KEY ? MEMBER : HUB })),
    );
  cloudTrail.on(GetTrailCommand).callsFake(
    recorded('GetTrail', (_input, key) => {
      const account = key === MEMBER_KEY ? MEMBER : HUB;
      return {
        Trail: {
          Name: 'management-events',
          TrailARN: `arn:aws:cloudtrail:${REGION}:${account}:trail/management-events`,
          HomeRegion: REGION,
          IsOrganizationTrail: false,
          ...(trailIntegrated
            ? {
                CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${account}:log-group:trail:*`,
                CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/CloudTrailToLogs`,
              }
            : {}),
        },
      };
    }),
  );
  cloudTrail.on(GetTrailStatusCommand).callsFake(recorded('GetTrailStatus', () => ({ IsLogging: true })));
  // The integrated trail's log group exists; the remediation's own does not.
  logs.on(DescribeLogGroupsCommand).callsFake(
    recorded('DescribeLogGroups', (input: { logGroupNamePrefix?: string }) => ({
      logGroups: input.logGroupNamePrefix === 'trail' ? [{ logGroupName: 'trail' }] : [],
    })),
  );
  iam.on(GetRoleCommand).callsFake(
    recorded('GetRole', () => {
      throw new NoSuchEntityException({ message: 'The role cannot be found.', $metadata: {} });
    }),
  );
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The caller look-up is cached per set of clients, so only GetTrail is sure to appear for the own clients. */
function expectOwnCredentialsOnly(): void {
  expect(calls).toContain(`GetTrail ${OWN_KEY}`);
  expect(calls.filter((call) => !call.endsWith(` ${OWN_KEY}`))).toEqual([]);
  expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
}

describe('handler in organization mode', () => {
  it('assumes the payload role in the member account and reads the trail with its credentials', async () => {
    const { roleName, payload } = payloadFor(MEMBER, { integrated: true });

    const summary = await handler(payload, hubContext);

    expect(summary).toMatchObject({
      trail: `arn:aws:cloudtrail:${REGION}:${MEMBER}:trail/management-events`,
      outcome: 'ALREADY_COMPLIANT',
    });
    expect(calls.slice(0, 3)).toEqual([
      `AssumeRole ${OWN_KEY}`,
      `GetCallerIdentity ${MEMBER_KEY}`,
      `GetTrail ${MEMBER_KEY}`,
    ]);
    // The integration is checked with the member credentials too (its root-path role is not read).
    expect(calls.slice(3).sort()).toEqual([
      `DescribeLogGroups ${MEMBER_KEY}`,
      `GetTrailStatus ${MEMBER_KEY}`,
    ]);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${MEMBER}:role/${roleName}`,
    ]);
  });

  it('plans a fix with the member-account credentials for every read', async () => {
    const { payload } = payloadFor(MEMBER, { integrated: false });

    const summary = await handler(payload, hubContext);

    expect(summary.outcome).toBe('DRY_RUN');
    expect(calls[0]).toBe(`AssumeRole ${OWN_KEY}`);
    expect(calls.slice(1).every((call) => call.endsWith(` ${MEMBER_KEY}`))).toBe(true);
    expect(calls.slice(1).map((call) => call.split(' ')[0])).toEqual(
      expect.arrayContaining(['GetCallerIdentity', 'GetTrail', 'DescribeLogGroups', 'GetRole']),
    );
  });

  it('acts with its own credentials when the payload names its own account', async () => {
    const { payload } = payloadFor(HUB, { integrated: true });

    await handler(payload, hubContext);

    expectOwnCredentialsOnly();
  });

  it('acts with its own credentials for a single-account payload, without proof configuration', async () => {
    vi.stubEnv(PROOF_DOCUMENT_ENV, '');
    trailIntegrated = true;
    await handler({ TrailName: 'management-events', DryRun: true }, hubContext);

    expectOwnCredentialsOnly();
  });

  it('fails with the role ARN and what to check when AssumeRole is refused, touching nothing', async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(
        Object.assign(new Error('Not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }),
      );
    const { roleName, payload } = payloadFor(MEMBER, { integrated: false });

    const failure = await handler(payload, hubContext).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AssumeRoleError);
    expect((failure as Error).message).toBe(assumeRoleDenied(MEMBER, roleName));
    expect(calls).toEqual([]);
  });

  it("refuses a member account's exempt trail, reading the OUs with the hub's own credentials, writing nothing", async () => {
    const organizations = mockClient(OrganizationsClient);
    organizations.on(ListParentsCommand).callsFake(
      recorded('ListParents', () => ({
        Parents: [{ Id: 'ou-ab12-paym0001', Type: 'ORGANIZATIONAL_UNIT' }],
      })),
    );
    organizations
      .on(ListParentsCommand, { ChildId: 'ou-ab12-paym0001' })
      .callsFake(recorded('ListParents', () => ({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] })));
    const root = mkdtempSync(join(tmpdir(), 'guard-hub-task-'));
    writeFileSync(
      join(root, 'exemptions.json'),
      JSON.stringify({
        version: 1,
        exemptions: [
          {
            trailName: 'management-events',
            organizationalUnit: 'ou-ab12-paym0001',
            reason: 'Landing zone trail.',
            reference: 'SEC-9',
            approver: 'ciso@example.com',
            expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
          },
        ],
      }),
    );
    vi.stubEnv('LAMBDA_TASK_ROOT', root);
    const { payload } = payloadFor(MEMBER, { integrated: false });

    await expect(handler(payload, hubContext)).rejects.toBeInstanceOf(ExemptTrailError);

    expect(calls).toEqual([
      `AssumeRole ${OWN_KEY}`,
      `GetCallerIdentity ${MEMBER_KEY}`,
      `GetTrail ${MEMBER_KEY}`,
      `ListParents ${OWN_KEY}`,
      `ListParents ${OWN_KEY}`,
    ]);
    organizations.restore();
  });

  it('refuses a member account without a role name, before any AWS call', async () => {
    await expect(
      handler(
        { TrailName: 'management-events', TargetAccountId: MEMBER, AutomationExecutionId: EXECUTION_ID },
        hubContext,
      ),
    ).rejects.toThrow(CredentialsRequestError);
    expect(calls).toEqual([]);
  });
});
