/**
 * End-to-end: the bundled rule and remediation Lambdas as the organization hub runs them (deployment
 * 'organization' of principals.ts), acting in a member account through the spoke roles (sts:AssumeRole, then
 * every call with the role's session) and in the hub's own account with their own roles. The member account is
 * moto's default account, which holds the trails; the hub account, when another, holds nothing.
 *
 * What the loopback fault proxy stands in for, because moto 5.2 does not implement it (stand-in-services.ts):
 * - SSM's GetAutomationExecution: each request is proven by a running execution of the spoke's document that
 *   the test starts with the request's parameters, so the hub accepts it and remediates (organization-proof.test.ts
 *   shows the refusals moto itself can produce);
 * - CloudWatch Logs' AssociateKmsKey (moto: NotImplemented), answered with AWS's empty HTTP 200;
 * - the delivery fields of GetTrailStatus, added to moto's real answer, so the rule's delivery check reads the
 *   creation times of the log group and role.
 * Everything else is moto's. moto issues AssumeRole credentials without evaluating any trust policy; the
 * least-privilege check that runs after the tier (test/privilege) evaluates the spoke roles' trust and policies
 * for every call these tests record.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roleNameFor } from '../../remediation/definition.js';
import { type BundledHandler, bundleBehindProxy } from './bundles.js';
import { changeEvent, scheduledEvent } from './config-events.js';
import { recordedRequests } from './emulator.js';
import type { Intercept } from './fault-proxy.js';
import { EMULATOR_ACCOUNT, STAND_IN } from './principals.js';
import {
  ASSOCIATE_KMS_KEY_TARGET,
  AUTOMATION_TARGET,
  AutomationExecutions,
  associateKmsKeyAnswer,
  type ExecutionParameters,
  kmsKeyArn,
  withDelivery,
} from './stand-in-services.js';
import {
  createOwnRoleWithoutBoundary,
  createTrail,
  describeTrail,
  prepareForeignLogGroup,
  tamperWithOwnRole,
} from './trails.js';

const REGION = 'us-east-1';
const MEMBER = EMULATOR_ACCOUNT;
const HUB = '111111111111';
const TRAIL = 'member-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${MEMBER}:trail/${TRAIL}`;
const ROLE = roleNameFor(TRAIL, REGION);

/** Where the hub acts: in a member account through the spoke role, or in its own account with its own role. */
const PLACEMENTS = [
  { where: 'member account', hub: HUB },
  { where: 'own account', hub: MEMBER },
];

const functionArn = (account: string, name: string) => `arn:aws:lambda:${REGION}:${account}:function:${name}`;

interface Summary {
  readonly outcome: string;
  readonly actions: readonly { readonly action: string; readonly status: string }[];
}

function appliedActions(result: unknown): string[] {
  return (result as Summary).actions
    .filter((action) => action.status === 'applied')
    .map((action) => action.action);
}

describe.each(PLACEMENTS)('remediation Lambda as the organization hub, in its $where', ({ hub }) => {
  const endpoint = inject('motoEndpoint');
  const executions = new AutomationExecutions();
  const context = { invokedFunctionArn: functionArn(hub, 'cloudtrail-logs-guard-remediation') };
  let remediation: BundledHandler;

  beforeAll(async () => {
    remediation = await bundleBehindProxy('remediation', 'organization', endpoint, async (call, forward) => {
      if (call.target === AUTOMATION_TARGET) return executions.answer(call);
      if (call.target === ASSOCIATE_KMS_KEY_TARGET) return associateKmsKeyAnswer();
      return forward();
    });
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  /** What the spoke's document sends for a running execution started with the same parameters. */
  function remediate(parameters: ExecutionParameters) {
    return remediation.invoke(
      {
        TrailName: parameters.trailName,
        RetentionInDays: parameters.retentionInDays,
        KmsKeyArn: parameters.kmsKeyArn ?? '',
        DryRun: false,
        AdoptExisting: parameters.adoptExisting === true,
        TargetAccountId: MEMBER,
        ExecutionRoleName: `cloudtrail-logs-guard-fix-${REGION}`,
        PermissionsBoundaryArn: STAND_IN.deliveryBoundaryArn(MEMBER),
        AutomationExecutionId: executions.start(parameters),
      },
      REGION,
      context,
    );
  }

  const fresh = { trailName: TRAIL_ARN, retentionInDays: 365 };

  it('integrates a fresh trail with a role capped by the spoke boundary, then finds it whole', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });

    expect(await remediate(fresh)).toMatchObject({
      ok: true,
      result: { trail: TRAIL_ARN, outcome: 'REMEDIATED' },
    });
    const { Role } = await new IAMClient({}).send(new GetRoleCommand({ RoleName: ROLE }));
    expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(STAND_IN.deliveryBoundaryArn(MEMBER));
    expect(await remediate(fresh)).toMatchObject({ ok: true, result: { outcome: 'ALREADY_COMPLIANT' } });
  });

  it('repairs the role it created after someone changed its trust and policies', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    expect(await remediate(fresh)).toMatchObject({ ok: true });
    await tamperWithOwnRole(TRAIL, REGION);

    const invocation = await remediate(fresh);

    expect(invocation).toMatchObject({ ok: true, result: { outcome: 'REPAIRED' } });
    expect(appliedActions(invocation.ok ? invocation.result : undefined)).toEqual(
      expect.arrayContaining(['UpdateAssumeRolePolicy', 'DeleteRolePolicy', 'DetachRolePolicy']),
    );
  });

  it('puts the spoke boundary on a role of its own that has none', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await createOwnRoleWithoutBoundary(TRAIL_ARN, TRAIL, REGION);

    const invocation = await remediate(fresh);

    expect(invocation).toMatchObject({ ok: true, result: { outcome: 'REMEDIATED' } });
    expect(appliedActions(invocation.ok ? invocation.result : undefined)).toContain(
      'PutRolePermissionsBoundary',
    );
  });

  it('refuses a log group under its name that someone else created, naming its subscription filter', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await prepareForeignLogGroup(TRAIL, REGION);

    expect(await remediate(fresh)).toMatchObject({
      ok: false,
      error: { name: 'AdoptionRefusedError', message: expect.stringContaining('copy-everything') },
    });
  });

  it('allows the organization streams of an organization trail, read from DescribeOrganization', async () => {
    await new OrganizationsClient({}).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await createTrail(endpoint, { name: TRAIL, region: REGION, organization: true });

    expect(await remediate(fresh)).toMatchObject({ ok: true, result: { outcome: 'REMEDIATED' } });
  });

  it('associates the KMS key of the request with the log group', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });

    const invocation = await remediate({ ...fresh, kmsKeyArn: kmsKeyArn(REGION, MEMBER) });

    expect(invocation).toMatchObject({ ok: true, result: { outcome: 'REMEDIATED' } });
    expect(appliedActions(invocation.ok ? invocation.result : undefined)).toContain('AssociateKmsKey');
  });

  it('names the home region of a trail given by name that this region only sees a copy of', async () => {
    await createTrail(endpoint, { name: TRAIL, region: 'eu-west-1', multiRegion: true });

    expect(await remediate({ trailName: TRAIL, retentionInDays: 365 })).toMatchObject({
      ok: false,
      error: {
        name: 'TrailNotFoundError',
        message: expect.stringContaining('run the remediation in region eu-west-1'),
      },
    });
  });
});

describe.each(PLACEMENTS)('rule Lambda as the organization hub, in its $where', ({ hub }) => {
  const endpoint = inject('motoEndpoint');
  const context = { invokedFunctionArn: functionArn(hub, 'cloudtrail-logs-guard-rule') };
  /**
   * The last delivery: taken a second after moto created the log group and role, so it counts, and before the
   * Lambda starts, so before the sweep's "now", which then reads Config's history since then.
   */
  let deliveredAt = new Date(0);
  const addDelivery: Intercept = async (call, forward) =>
    withDelivery(call, await forward(), { at: deliveredAt });
  let rule: BundledHandler;

  beforeAll(async () => {
    rule = await bundleBehindProxy('rule', 'organization', endpoint, addDelivery);
  });

  afterAll(async () => {
    await rule?.dispose();
  });

  const ruleParameters = JSON.stringify({
    ExecutionRoleName: `cloudtrail-logs-guard-rule-${REGION}`,
    expectedDeliveryWindowAge: '24',
  });

  async function integratedTrail(): Promise<void> {
    await createTrail(endpoint, { name: TRAIL, region: REGION, logGroup: true, role: true });
    await sleep(1_000);
    deliveredAt = new Date();
  }

  async function sentEvaluations(): Promise<unknown[]> {
    return (await recordedRequests(endpoint))
      .filter((request) => request.operation === 'PutEvaluations')
      .map((request) => (JSON.parse(request.body) as { Evaluations: unknown[] }).Evaluations);
  }

  const delivering = expect.objectContaining({
    ComplianceResourceId: TRAIL,
    ComplianceType: 'COMPLIANT',
    Annotation: expect.stringMatching(/^Integrated and delivering: /),
  });

  it('reports a changed trail delivering within the window, from its delivery status and creation times', async () => {
    await integratedTrail();
    const captured = new Date(Date.now() - 2 * 3_600_000);
    const event = changeEvent(await describeTrail(TRAIL, REGION, REGION), REGION, captured);

    await rule.run({ ...event, ruleParameters }, REGION, context);

    expect(await sentEvaluations()).toEqual([[delivering]]);
  });

  it("sweeps the account's trails, reading since when the integration has been in force from Config's history", async () => {
    await integratedTrail();

    await rule.run({ ...scheduledEvent(REGION, new Date()), ruleParameters }, REGION, context);

    // The trail's verdict, then the account-level result of the sweep in a call of its own.
    expect(await sentEvaluations()).toEqual([
      [delivering],
      [
        expect.objectContaining({
          ComplianceResourceType: 'AWS::::Account',
          ComplianceResourceId: MEMBER,
          ComplianceType: 'COMPLIANT',
        }),
      ],
    ]);
  });
});
