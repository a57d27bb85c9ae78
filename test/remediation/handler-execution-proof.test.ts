import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROOF_DOCUMENT_ENV, SPOKE_KMS_KEY_ENV } from '../../remediation/definition.js';
import { InvalidPayloadError } from '../../remediation/errors.js';
import { handler } from '../../remediation/handler.js';
import { UnprovenRequestError } from '../../remediation/organization/execution-proof.js';
import { RequestOutOfScopeError } from '../../remediation/organization/request-scope.js';
import { memberRoleCredentials } from '../common/assume-role.js';
import { ACCOUNT, type FakeWorld, fakeAws, newWorld, REGION, TRAIL_ARN } from './fake-aws.js';

/**
 * The hub acts in a member account only on that account's proof: the Automation execution named by the payload,
 * read back in that account with the spoke role. The fake world is the member account ACCOUNT; the hub runs in
 * HUB; SSM answers GetAutomationExecution from `executions`, as the member account's SSM would.
 */

const HUB = '999999999999';
const DOCUMENT = 'cloudtrail-logs-guard-remediation';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const hubContext = {
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${HUB}:function:cloudtrail-logs-guard-remediation`,
};
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/StackSet-boundary`;
const MEMBER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const FOREIGN_KEY = `arn:aws:kms:${REGION}:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

let world: FakeWorld;
let executions: Map<string, GetAutomationExecutionCommandOutput['AutomationExecution']>;
let sts = mockClient(STSClient);
let ssm = mockClient(SSMClient);
let roleSerial = 0;

/** What member-account SSM shows while the spoke document's invoke step calls the hub for TRAIL_ARN. */
function runningExecution(change: Record<string, unknown> = {}) {
  return {
    AutomationExecutionId: EXECUTION_ID,
    DocumentName: DOCUMENT,
    AutomationExecutionStatus: 'InProgress' as const,
    CurrentStepName: 'InvokeRemediationFunction',
    Parameters: { TrailName: [TRAIL_ARN], RetentionInDays: ['365'] },
    ...change,
  };
}

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
  sts = mockClient(STSClient);
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/spoke/s` });
  sts.on(AssumeRoleCommand).resolves(memberRoleCredentials());
  executions = new Map([[EXECUTION_ID, runningExecution()]]);
  ssm = mockClient(SSMClient);
  ssm.on(GetAutomationExecutionCommand).callsFake((input: { AutomationExecutionId?: string }) => {
    const execution = executions.get(input.AutomationExecutionId ?? '');
    if (execution === undefined) {
      throw new AutomationExecutionNotFoundException({
        message: `Automation Execution ${input.AutomationExecutionId} was not found.`,
        $metadata: {},
      });
    }
    return { AutomationExecution: execution };
  });
  vi.stubEnv(PROOF_DOCUMENT_ENV, DOCUMENT);
  vi.stubEnv(SPOKE_KMS_KEY_ENV, '');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function memberPayload(change: Record<string, unknown> = {}) {
  roleSerial += 1;
  return {
    TrailName: TRAIL_ARN,
    RetentionInDays: 365,
    KmsKeyArn: '',
    DryRun: false,
    TargetAccountId: ACCOUNT,
    ExecutionRoleName: `spoke-fix-${roleSerial}`,
    PermissionsBoundaryArn: BOUNDARY,
    AutomationExecutionId: EXECUTION_ID,
    ...change,
  };
}

describe('handler as the organization hub', () => {
  it('remediates when the execution in the member account proves the request, read with the spoke role', async () => {
    const summary = await handler(memberPayload(), hubContext);

    expect(summary.outcome).toBe('REMEDIATED');
    expect(world.writes).toContain(`UpdateTrail ${TRAIL_ARN}`);
    const [read] = ssm.commandCalls(GetAutomationExecutionCommand);
    expect(read?.args[0].input).toEqual({ AutomationExecutionId: EXECUTION_ID });
    expect((await ssm.call(0).thisValue.config.credentials()).accessKeyId).toBe('AKIAMEMBER');
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    [
      'no execution id',
      () => memberPayload({ AutomationExecutionId: undefined }),
      'the request carries no AutomationExecutionId',
    ],
    [
      'an execution the member account does not have',
      () => memberPayload({ AutomationExecutionId: 'ffffffff-f944-11e6-9d32-8fb2db27a909' }),
      `Automation execution ffffffff-f944-11e6-9d32-8fb2db27a909 does not exist in account ${ACCOUNT}, region ${REGION}`,
    ],
    [
      'a finished execution',
      () => {
        executions.set(EXECUTION_ID, runningExecution({ AutomationExecutionStatus: 'Success' }));
        return memberPayload();
      },
      `Automation execution ${EXECUTION_ID} is Success, not InProgress`,
    ],
    [
      "another document's execution",
      () => {
        executions.set(EXECUTION_ID, runningExecution({ DocumentName: 'AWS-PublishSNSNotification' }));
        return memberPayload();
      },
      `Automation execution ${EXECUTION_ID} runs document AWS-PublishSNSNotification, not ${DOCUMENT}`,
    ],
    [
      "another trail's execution",
      () => {
        executions.set(
          EXECUTION_ID,
          runningExecution({
            Parameters: { TrailName: [`arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other`] },
          }),
        );
        return memberPayload();
      },
      `Automation execution ${EXECUTION_ID} was started with TrailName "arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other", not "${TRAIL_ARN}"`,
    ],
  ])('refuses a request with %s and writes nothing in the member account', async (_name, payload, reason) => {
    const attempt = handler(payload(), hubContext);

    await expect(attempt).rejects.toThrow(UnprovenRequestError);
    await expect(attempt).rejects.toThrow(`Refused to remediate in account ${ACCOUNT}: ${reason}.`);
    expect(world.writes).toEqual([]);
    expect(world.calls).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, new (...args: never[]) => Error, string]>([
    [
      'a KMS key of an account outside the target',
      { KmsKeyArn: FOREIGN_KEY },
      RequestOutOfScopeError,
      `Refused to remediate in account ${ACCOUNT}: KmsKeyArn ${FOREIGN_KEY} is not a key of account ${ACCOUNT} in ` +
        `region ${REGION}, nor the key the spokes were deployed with (none).`,
    ],
    [
      'a retention CloudWatch Logs does not accept',
      { RetentionInDays: 10 },
      InvalidPayloadError,
      'Invalid remediation payload: RetentionInDays 10 is not a retention CloudWatch Logs accepts',
    ],
  ])('refuses %s before any AWS call', async (_name, change, type, message) => {
    const attempt = handler(memberPayload(change), hubContext);

    await expect(attempt).rejects.toThrow(type);
    await expect(attempt).rejects.toThrow(message);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(0);
    expect(world.calls).toEqual([]);
  });

  it('accepts a key of the member account in the trail region when the execution names it', async () => {
    executions.set(
      EXECUTION_ID,
      runningExecution({
        Parameters: { TrailName: [TRAIL_ARN], RetentionInDays: ['365'], KmsKeyArn: [MEMBER_KEY] },
      }),
    );

    const summary = await handler(memberPayload({ KmsKeyArn: MEMBER_KEY }), hubContext);

    expect(summary.outcome).toBe('REMEDIATED');
    expect(world.writes).toContain(`AssociateKmsKey /cloudtrail-logs-guard/management-events ${MEMBER_KEY}`);
  });

  it("reads the proof with its own role when the request is for the hub's own account", async () => {
    const ownContext = {
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cloudtrail-logs-guard-remediation`,
    };

    await handler(memberPayload(), ownContext);

    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(1);
  });

  it('refuses a payload that names no account instead of acting in its own on the caller’s word', async () => {
    const ownContext = {
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cloudtrail-logs-guard-remediation`,
    };

    const attempt = handler(
      memberPayload({ TargetAccountId: undefined, AutomationExecutionId: undefined }),
      ownContext,
    );

    await expect(attempt).rejects.toThrow(
      `Refused to remediate in account ${ACCOUNT}: the request carries no AutomationExecutionId.`,
    );
    expect(world.calls).toEqual([]);
  });
});
