import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AssumeRoleError, CredentialsRequestError } from '../../common/account-credentials.js';
import { handler } from '../../rule/handler.js';
import { assumeRoleDenied } from '../common/assume-role.js';
import { ACCOUNT, type RawRuleEvent, trailChangeEvent } from './fixtures.js';

/**
 * A Config rule outside the organization that names the hub's rule Lambda as its source: the Lambda's policy
 * admits it when Config sends no aws:SourceOrgID (infra/organization/hub-stack.ts), and the hub rule role may not
 * assume any role in that account (aws:ResourceOrgID), so the invocation fails at AssumeRole. What the outsider
 * can read of that failure (the error the Node.js runtime returns: errorType, errorMessage and the stack's lines,
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html) must name nothing of the hub; STS's
 * message, which quotes the hub's assumed-role ARN, belongs in the hub function's own log only.
 */

const HUB = '111111111111';
const OUTSIDER = '999988887777';
const REGION = 'us-east-1';
const HUB_ROLE = `cloudtrail-logs-guard-hub-rule-${REGION}`;
const HUB_FUNCTION = 'cloudtrail-logs-guard-rule';
const hubContext = {
  invokedFunctionArn: `arn:aws:lambda:${REGION}:${HUB}:function:${HUB_FUNCTION}`,
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
};
/** The session Lambda opens for the function: the function's name under its execution role. */
const HUB_SESSION_ARN = `arn:aws:sts::${HUB}:assumed-role/${HUB_ROLE}/${HUB_FUNCTION}`;

const sts = mockClient(STSClient);
const config = mockClient(ConfigServiceClient);

/** The fixture's change event as the outsider's own rule sends it: its account, its rule, its parameters. */
function outsiderEvent(ruleParameters: Record<string, string>): RawRuleEvent {
  const event = JSON.parse(JSON.stringify(trailChangeEvent()).replaceAll(ACCOUNT, OUTSIDER)) as RawRuleEvent;
  return { ...event, ruleParameters: JSON.stringify(ruleParameters) };
}

/** Everything the runtime hands back for a failed invocation (Errors.js toRapidResponse in the Node.js runtime). */
function runtimeErrorResponse(error: unknown): string {
  const failure = error as Error;
  return JSON.stringify({
    errorType: failure.name,
    errorMessage: failure.message,
    trace: failure.stack?.split('\n'),
  });
}

/** What names the hub: its account id, any ARN of it, its role and function names. */
const HUB_MARKS = [
  HUB,
  `arn:aws:sts::${HUB}`,
  `arn:aws:iam::${HUB}`,
  `arn:aws:lambda:${REGION}:${HUB}`,
  HUB_ROLE,
];

let errorLines: unknown[];

beforeEach(() => {
  sts.reset();
  config.reset();
  errorLines = [];
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
    errorLines.push(line);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("handler, invoked by an outsider's Config rule", () => {
  it("fails at AssumeRole with an error that names nothing of the hub, and logs STS's message in the hub", async () => {
    const roleName = 'cloudtrail-logs-guard-rule-us-east-1';
    // STS's wording for a denial by the caller's own policy ("User <ARN> is not authorized to perform <action> on
    // <resource> because no identity-based policy allows the <action> action": IAM User Guide, Troubleshooting
    // access denied error messages), as the SDK raises an error code its model does not list.
    const stsMessage =
      `User: ${HUB_SESSION_ARN} is not authorized to perform: sts:AssumeRole on resource: ` +
      `arn:aws:iam::${OUTSIDER}:role/${roleName} because no identity-based policy allows the sts:AssumeRole action`;
    sts.on(AssumeRoleCommand).rejects(
      new STSServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403, requestId: '0c9b2a4e-1f2d-4c7e-9a0b-5d6e7f8a9b0c' },
        message: stsMessage,
      }),
    );

    const failure = await handler(outsiderEvent({ ExecutionRoleName: roleName }), hubContext).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(AssumeRoleError);
    expect((failure as Error).message).toBe(assumeRoleDenied(OUTSIDER, roleName));
    const response = runtimeErrorResponse(failure);
    for (const mark of HUB_MARKS) expect(response).not.toContain(mark);
    expect(errorLines).toHaveLength(1);
    expect(JSON.stringify(errorLines[0])).toContain(JSON.stringify(stsMessage));
    expect(errorLines[0]).toMatchObject({
      event: 'evaluation failed',
      requestId: hubContext.awsRequestId,
      accountId: OUTSIDER,
      error: { type: 'AssumeRoleError', causes: [{ type: 'AccessDenied', message: stsMessage }] },
    });
    expect(config.calls()).toEqual([]);
  });

  it('fails without an ExecutionRoleName with an error that names nothing of the hub, before any AWS call', async () => {
    const failure = await handler(outsiderEvent({}), hubContext).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(CredentialsRequestError);
    const response = runtimeErrorResponse(failure);
    for (const mark of HUB_MARKS) expect(response).not.toContain(mark);
    expect(sts.calls()).toEqual([]);
    expect(config.calls()).toEqual([]);
  });
});
