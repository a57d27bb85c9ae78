/**
 * End-to-end: the bundled remediation Lambda configured as the organization hub (PROOF_DOCUMENT_NAME set, as the
 * hub stack sets it: deployment 'organization' of principals.ts), invoked with a Lambda context of the hub account, against moto_server. The member account
 * is moto's default account, which holds the trail; the hub account holds nothing.
 *
 * What this tier proves: a request that names the member account with no Automation execution behind it is
 * refused and nothing changes there (no write is sent, the trail keeps no CloudWatch Logs settings, no log group
 * or role appears).
 *
 * What it cannot prove: moto 5.2 has no Automation executions (SSM's GetAutomationExecution is not implemented:
 * it answers with an HTML page, and aws:invokeLambdaFunction is never run), so moto alone accepts no request.
 * organization-hub.test.ts has a loopback proxy serve running executions and runs accepted requests; each refusal
 * of an execution that exists (finished, another document's, another trail's) stays in the SDK-mocked tier:
 * test/remediation/handler-execution-proof.test.ts and test/remediation/organization/execution-proof.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { recordedRequests, resetRecording } from './emulator.js';
import { HUB, MEMBER, memberState, REGION, remediationContext, SPOKE_CLAIM, TRAIL } from './spoke-claim.js';
import { createTrail, NOTHING_WRITTEN } from './trails.js';

const hubContext = remediationContext(HUB);

describe('remediation Lambda bundle as the organization hub, against moto', () => {
  const endpoint = inject('motoEndpoint');
  let hub: BundledHandler;

  beforeAll(async () => {
    hub = await bundleHandler('remediation', 'organization');
  });

  afterAll(async () => {
    await hub?.dispose();
  });

  it('refuses a request that names another account with no execution behind it, and nothing changes there', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const invocation = await hub.invoke(SPOKE_CLAIM, REGION, hubContext);

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'UnprovenRequestError',
        message:
          `Refused to remediate in account ${MEMBER}: the request carries no AutomationExecutionId. The ` +
          "organization hub acts in an account only for a running Automation execution of the spoke's document " +
          "in that account, for the same trail and parameters; start the remediation from that account's AWS " +
          'Config rule (Remediate) or run the document there. Nothing was changed.',
      },
    });
    expect(await recordedRequests(endpoint)).toEqual([]);
    expect(await memberState()).toEqual(NOTHING_WRITTEN);
  });

  it('refuses a request whose execution id names no execution there, and nothing changes there', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const invocation = await hub.invoke(
      { ...SPOKE_CLAIM, AutomationExecutionId: '4105a4fc-f944-11e6-9d32-8fb2db27a909' },
      REGION,
      hubContext,
    );

    // moto answers the unimplemented GetAutomationExecution with an HTML page: the hub fails closed on the
    // unreadable proof (against AWS, AutomationExecutionNotFoundException gives UnprovenRequestError instead,
    // as the mocked tier shows).
    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'AwsCallError',
        message: expect.stringMatching(
          /^ssm:GetAutomationExecution on automation execution 4105a4fc-f944-11e6-9d32-8fb2db27a909 failed: /,
        ),
      },
    });
    // The spoke role's credentials, then the proof read (with the SDK's retries); nothing else reaches MEMBER.
    expect(new Set((await recordedRequests(endpoint)).map((request) => request.operation))).toEqual(
      new Set(['AssumeRole', 'GetAutomationExecution']),
    );
    expect(await memberState()).toEqual(NOTHING_WRITTEN);
  });
});
