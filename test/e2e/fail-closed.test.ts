/**
 * End-to-end: the bundled remediation Lambda without proof configuration (no PROOF_DOCUMENT_NAME, as a hub
 * deployed without it would run), invoked with a Lambda context of the hub account, against moto_server. The
 * member account is moto's default account, which holds the trail; the hub account holds nothing.
 *
 * What this tier proves (issue 24, "fail closed"): a payload that names the member account, with everything a
 * spoke sends, is refused with the missing setting named, and not one request reaches AWS (no AssumeRole, no
 * read, no write); the trail keeps no CloudWatch Logs settings and no log group or role appears. The same
 * bundle, invoked as a function of the member account with that account named explicitly, remediates the trail:
 * the refusal is about the account, not the payload.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { recordedRequests, resetRecording } from './emulator.js';
import {
  HUB,
  MEMBER,
  memberState,
  REGION,
  remediationContext,
  SPOKE_CLAIM,
  TRAIL,
  TRAIL_ARN,
} from './spoke-claim.js';
import { createTrail, NOTHING_WRITTEN } from './trails.js';

/** What the spoke document sends, execution id included. */
const claim = { ...SPOKE_CLAIM, AutomationExecutionId: '4105a4fc-f944-11e6-9d32-8fb2db27a909' };

describe('remediation Lambda bundle without proof configuration, against moto', () => {
  const endpoint = inject('motoEndpoint');
  let unconfigured: BundledHandler;

  beforeAll(async () => {
    unconfigured = await bundleHandler('remediation');
  });

  afterAll(async () => {
    await unconfigured?.dispose();
  });

  it('refuses a cross-account payload naming the missing setting, and nothing is sent or written', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const invocation = await unconfigured.invoke(claim, REGION, remediationContext(HUB));

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'ProofNotConfiguredError',
        message:
          `Refused to remediate: TargetAccountId ${MEMBER} is not this function's own account ${HUB}. ` +
          'Environment variable PROOF_DOCUMENT_NAME is unset or empty, so this function has no execution proof ' +
          `to read and acts only in its own account ${HUB}, with that account's keys and boundaries. Nothing was ` +
          'read or written. Run the remediation in the account that owns the trail (leave out TargetAccountId or ' +
          "name that account), or, for the organization hub, set PROOF_DOCUMENT_NAME to the spoke's Automation " +
          'document name, as the hub stack does.',
      },
    });
    expect(await recordedRequests(endpoint)).toEqual([]);
    expect(await memberState()).toEqual(NOTHING_WRITTEN);
  });

  it('remediates in its own account when the payload names that account explicitly', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });

    const invocation = await unconfigured.invoke(
      { TrailName: TRAIL_ARN, RetentionInDays: 1, TargetAccountId: MEMBER },
      REGION,
      remediationContext(MEMBER),
    );

    expect(invocation).toMatchObject({ ok: true, result: { trail: TRAIL_ARN, outcome: 'REMEDIATED' } });
    expect((await memberState()).logGroupArn).toBeDefined();
  });
});
