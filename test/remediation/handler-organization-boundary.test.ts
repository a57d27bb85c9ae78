import { GetAutomationExecutionCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PERMISSIONS_BOUNDARY_ENV, PROOF_DOCUMENT_ENV } from '../../remediation/definition.js';
import { handler } from '../../remediation/handler.js';
import { memberRoleCredentials } from '../common/assume-role.js';
import { ACCOUNT, type FakeWorld, fakeAws, newWorld, ROLE, TRAIL_ARN } from './fake-aws.js';

/**
 * Which delivery boundary the roles get: in another account the one the payload names (that account's, created
 * by its spoke stack and required by its role), in the Lambda's own account its own (PERMISSIONS_BOUNDARY_ENV).
 * The fake account is the member account; the hub Lambda runs in HUB, configured with the spoke's document, and
 * SSM shows the execution that proves the request.
 */

const HUB = '999999999999';
const DOCUMENT = 'cloudtrail-logs-guard-remediation';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const hubContext = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${HUB}:function:cloudtrail-logs-guard-remediation`,
};
const memberContext = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:remediation` };
const SPOKE_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/cloudtrail-logs-guard-boundary-us-east-1`;
const OWN_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/GuardStack-DeliveryBoundary`;

let world: FakeWorld;
let sts = mockClient(STSClient);
let roleSerial = 0;

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
  // The fake answers as the member account; STS also hands out the spoke role's credentials.
  sts = mockClient(STSClient);
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/spoke/s` });
  sts.on(AssumeRoleCommand).resolves(memberRoleCredentials());
  mockClient(SSMClient)
    .on(GetAutomationExecutionCommand)
    .resolves({
      AutomationExecution: {
        AutomationExecutionId: EXECUTION_ID,
        DocumentName: DOCUMENT,
        AutomationExecutionStatus: 'InProgress',
        CurrentStepName: 'InvokeRemediationFunction',
        Parameters: { TrailName: [TRAIL_ARN] },
      },
    });
  vi.stubEnv(PERMISSIONS_BOUNDARY_ENV, OWN_BOUNDARY);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function memberPayload() {
  roleSerial += 1;
  return {
    TrailName: TRAIL_ARN,
    TargetAccountId: ACCOUNT,
    ExecutionRoleName: `spoke-fix-${roleSerial}`,
    PermissionsBoundaryArn: SPOKE_BOUNDARY,
    AutomationExecutionId: EXECUTION_ID,
  };
}

describe('handler: delivery boundary in organization mode', () => {
  it("gives the roles it creates in another account that account's boundary, from the payload", async () => {
    world.enforcedBoundary = SPOKE_BOUNDARY;
    vi.stubEnv(PROOF_DOCUMENT_ENV, DOCUMENT);

    const summary = await handler(memberPayload(), hubContext);

    expect(summary.outcome).toBe('REMEDIATED');
    expect(world.roles.get(ROLE)?.boundary).toBe(SPOKE_BOUNDARY);
  });

  it("as the hub, keeps its own boundary and role in its own account (a spoke there: the management account's, when the hub is the management account)", async () => {
    world.enforcedBoundary = OWN_BOUNDARY;
    vi.stubEnv(PROOF_DOCUMENT_ENV, DOCUMENT);

    const summary = await handler(memberPayload(), memberContext);

    expect(summary.outcome).toBe('REMEDIATED');
    expect(world.roles.get(ROLE)?.boundary).toBe(OWN_BOUNDARY);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('keeps its own boundary in its own account, whatever the payload says', async () => {
    world.enforcedBoundary = OWN_BOUNDARY;

    await handler(memberPayload(), memberContext);

    expect(world.roles.get(ROLE)?.boundary).toBe(OWN_BOUNDARY);
  });
});
