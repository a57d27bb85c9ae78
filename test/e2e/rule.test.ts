/**
 * End-to-end: the bundled rule Lambda (rule/handler.ts, built from infra/bundling.ts) against moto_server.
 * Trails are created in the emulator (S3 bucket, CreateTrail, UpdateTrail) and change events are built from
 * what DescribeTrails returns for them, through the rule's own configurationItemFromApi (see config-events.ts).
 *
 * What the handler sent to AWS Config is read from moto's request recorder: moto accepts PutEvaluations
 * only with TestMode (result token TESTMODE) and stores nothing, so the recorded request body is the evidence.
 *
 * Not covered by this tier (moto 5.2 does not implement it; the SDK-mocked tests in test/rule cover it, and
 * nothing here fakes it):
 * - GetResourceConfigHistory for AWS::CloudTrail::Trail (moto answers ResourceNotDiscoveredException), so
 *   this file runs no history read and no oversized-notification fetch, only the API-shape-to-event
 *   conversion. rule-history.test.ts runs them, its proxy serving the history paged as AWS documents it.
 * - Stored Config compliance: PutEvaluations without TestMode and GetComplianceDetailsByConfigRule (both
 *   HTTP 500 NotImplemented), hence the sweep's clean-up of results for deleted trails (skipped in test mode) and
 *   its skipping of verdicts Config already holds, the account-level one included (a test-mode sweep reports all).
 * - PutEvaluations' validation: moto accepts any evaluation in test mode (no resource type, rule or token check),
 *   so the sweep's AWS::::Account evaluation shows here only as the request the bundle sends.
 * - The delivery fields of GetTrailStatus (LatestCloudWatchLogsDeliveryTime and ...Error are never
 *   returned). The pre-change delivery case below adds them to moto's real GetTrailStatus answer through a
 *   loopback proxy (fault-proxy.ts) and says so; every other field, and every other call, is moto's.
 * - A fault in one call: moto cannot throttle. The sweep-isolation case below has the proxy answer one trail's
 *   GetTrailStatus with ThrottlingException (the SDK retries it, then gives up) and really deletes another
 *   trail in moto just before its GetTrailStatus, the race between DescribeTrails and GetTrailStatus.
 * - A history read that fails for one trail: moto answers ResourceNotDiscoveredException for every trail
 *   (no change known), which the rule accepts; the SDK-mocked tests cover a failing history read.
 * - ExecutionRoleName (cross-account AssumeRole): moto issues credentials but enforces no trust policy;
 *   organization-hub.test.ts runs it, and the least-privilege check evaluates the spoke role's trust.
 * - IAM authorization (not enforced): the rule role's permissions are checked by the infra tests, and every call
 *   recorded here by the least-privilege check (test/privilege).
 */
import { CloudTrailClient, DeleteTrailCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleBehindProxy, bundleHandler } from './bundles.js';
import {
  ACCOUNT_ID,
  accountEvaluation,
  changeEvent,
  putEvaluationsBody,
  scheduledEvent,
} from './config-events.js';
import { recordedRequests } from './emulator.js';
import type { Intercept } from './fault-proxy.js';
import { jsonAnswer } from './json-protocol.js';
import { withDelivery } from './stand-in-services.js';
import { createTrail, describeTrail } from './trails.js';

const CAPTURE_TIME = new Date('2026-11-29T08:59:12.114Z');
const SWEEP_TIME = new Date('2026-11-29T12:00:00.373Z');

interface SentEvaluations {
  readonly region: string | undefined;
  readonly request: unknown;
}

async function sentEvaluations(endpoint: string): Promise<SentEvaluations[]> {
  return (await recordedRequests(endpoint))
    .filter((request) => request.service === 'config' && request.operation === 'PutEvaluations')
    .map((request) => ({ region: request.region, request: JSON.parse(request.body) }));
}

describe('rule Lambda bundle against moto', () => {
  const endpoint = inject('motoEndpoint');
  let rule: BundledHandler;

  beforeAll(async () => {
    rule = await bundleHandler('rule');
  });

  afterAll(async () => {
    await rule?.dispose();
  });

  it.each([
    {
      trail: 'no-integration',
      setup: {},
      type: 'NON_COMPLIANT',
      annotation:
        'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
    },
    {
      trail: 'both-arns',
      setup: { logGroup: true, role: true },
      type: 'COMPLIANT',
      annotation: 'Integrated: the trail sends events to CloudWatch Logs log group /e2e/both-arns.',
    },
    {
      trail: 'log-group-only',
      setup: { logGroup: true },
      type: 'NON_COMPLIANT',
      annotation:
        'Configured without a role: the trail names log group /e2e/log-group-only but no role for CloudTrail to write to it.',
    },
  ])('reports $type for a change event of trail $trail', async ({ trail, setup, type, annotation }) => {
    await createTrail(endpoint, { name: trail, region: 'us-east-1', ...setup });
    const event = changeEvent(
      await describeTrail(trail, 'us-east-1', 'us-east-1'),
      'us-east-1',
      CAPTURE_TIME,
    );

    await rule.run(event);

    expect(await sentEvaluations(endpoint)).toEqual([
      {
        region: 'us-east-1',
        request: putEvaluationsBody([{ id: trail, type, annotation, at: CAPTURE_TIME }]),
      },
    ]);
  });

  it('reports NOT_APPLICABLE for a change event of a multi-region trail recorded outside its home region', async () => {
    await createTrail(endpoint, { name: 'everywhere', region: 'us-east-1', multiRegion: true });
    const copy = await describeTrail('everywhere', 'us-east-1', 'eu-west-1');

    await rule.run(changeEvent(copy, 'eu-west-1', CAPTURE_TIME), 'eu-west-1');

    expect(await sentEvaluations(endpoint)).toEqual([
      {
        region: 'eu-west-1',
        request: putEvaluationsBody([
          {
            id: 'everywhere',
            type: 'NOT_APPLICABLE',
            annotation:
              'Copy of multi-region trail everywhere; it is evaluated in its home region us-east-1.',
            at: CAPTURE_TIME,
          },
        ]),
      },
    ]);
  });

  it('judges a multi-region trail in its home region only; the copy elsewhere, never stored as judged, is not reported', async () => {
    await createTrail(endpoint, { name: 'everywhere', region: 'us-east-1', multiRegion: true });
    await createTrail(endpoint, { name: 'eu-local', region: 'eu-west-1', logGroup: true, role: true });

    await rule.run(scheduledEvent('us-east-1', SWEEP_TIME), 'us-east-1');
    await rule.run(scheduledEvent('eu-west-1', SWEEP_TIME), 'eu-west-1');

    expect(await sentEvaluations(endpoint)).toEqual([
      {
        region: 'us-east-1',
        request: putEvaluationsBody([
          {
            id: 'everywhere',
            type: 'NON_COMPLIANT',
            annotation:
              'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
            at: SWEEP_TIME,
          },
        ]),
      },
      // The account-level result, in a call of its own after the trails'.
      {
        region: 'us-east-1',
        request: putEvaluationsBody([
          accountEvaluation(
            {
              type: 'NON_COMPLIANT',
              annotation:
                'NON_COMPLIANT trails of this account with their home region here: 1 of 1 (everywhere).',
            },
            SWEEP_TIME,
          ),
        ]),
      },
      {
        region: 'eu-west-1',
        request: putEvaluationsBody([
          {
            id: 'eu-local',
            type: 'COMPLIANT',
            annotation: 'Integrated: the trail sends events to CloudWatch Logs log group /e2e/eu-local.',
            at: SWEEP_TIME,
          },
        ]),
      },
      {
        region: 'eu-west-1',
        request: putEvaluationsBody([
          accountEvaluation(
            {
              type: 'COMPLIANT',
              annotation:
                'Every trail this account owns with its home region here was judged (1 trail); none is NON_COMPLIANT.',
            },
            SWEEP_TIME,
          ),
        ]),
      },
    ]);
  });

  it("sweep of a region that sees only another region's multi-region trail: one AWS::::Account evaluation, COMPLIANT", async () => {
    await createTrail(endpoint, { name: 'everywhere', region: 'us-east-1', multiRegion: true });

    await rule.run(scheduledEvent('eu-west-1', SWEEP_TIME), 'eu-west-1');

    // moto's PutEvaluations (TestMode) validates no resource type: the recorded body is the evidence of the shape.
    expect(await sentEvaluations(endpoint)).toEqual([
      {
        region: 'eu-west-1',
        request: {
          Evaluations: [
            {
              ComplianceResourceType: 'AWS::::Account',
              ComplianceResourceId: ACCOUNT_ID,
              ComplianceType: 'COMPLIANT',
              Annotation:
                'No trail this account owns has its home region here; trails logging here from elsewhere, such ' +
                'as an organization trail, are judged by their owner in their home region.',
              OrderingTimestamp: SWEEP_TIME.getTime() / 1000,
            },
          ],
          ResultToken: 'TESTMODE',
          TestMode: true,
        },
      },
    ]);
  });
});

describe('rule Lambda bundle against moto behind a fault proxy, delivery check on', () => {
  const endpoint = inject('motoEndpoint');
  const WINDOW = JSON.stringify({ expectedDeliveryWindowAge: '24' });
  const passThrough: Intercept = (_call, forward) => forward();
  let intercept: Intercept = passThrough;
  let rule: BundledHandler;

  beforeAll(async () => {
    rule = await bundleBehindProxy('rule', 'single-account', endpoint, (call, forward) =>
      intercept(call, forward),
    );
  });

  afterAll(async () => {
    intercept = passThrough;
    await rule?.dispose();
  });

  const isTrailStatus = (target: string | undefined) => target?.endsWith('.GetTrailStatus') === true;
  const trailNameOf = (body: string) =>
    String((JSON.parse(body) as { Name?: string }).Name)
      .split('/')
      .pop();

  it('sweep: reports the readable trail and the vanished one, then fails naming the throttled trail', async () => {
    for (const name of ['steady', 'vanishing', 'throttled']) {
      await createTrail(endpoint, { name, region: 'us-east-1', logGroup: true, role: true });
    }
    intercept = async (call, forward) => {
      if (!isTrailStatus(call.target)) return forward();
      const name = trailNameOf(call.body);
      if (name === 'vanishing') {
        // Really deleted in moto between DescribeTrails and GetTrailStatus: moto answers TrailNotFoundException.
        await new CloudTrailClient({ region: 'us-east-1' }).send(
          new DeleteTrailCommand({ Name: 'vanishing' }),
        );
      }
      if (name === 'throttled') {
        return jsonAnswer(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      return forward();
    };

    const invocation = await rule.invoke({
      ...scheduledEvent('us-east-1', SWEEP_TIME),
      ruleParameters: WINDOW,
    });

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'TrailsNotJudgedError',
        message:
          'Could not judge 1 trail(s), which keep their earlier results; every other trail was reported: ' +
          'throttled (ThrottlingException: Rate exceeded). Fix the cause named for each trail, then re-run the ' +
          'rule evaluation.',
      },
    });
    expect(await sentEvaluations(endpoint)).toEqual([
      {
        region: 'us-east-1',
        request: putEvaluationsBody([
          {
            id: 'steady',
            type: 'NON_COMPLIANT',
            annotation:
              'Not delivering: CloudTrail has never delivered to log group /e2e/steady (window 24 hours).',
            at: SWEEP_TIME,
          },
          {
            id: 'vanishing',
            type: 'NOT_APPLICABLE',
            annotation: 'The trail no longer exists in this account and region.',
            at: SWEEP_TIME,
          },
        ]),
      },
      {
        region: 'us-east-1',
        request: putEvaluationsBody([
          accountEvaluation(
            {
              type: 'NON_COMPLIANT',
              annotation:
                "Not judged: 1 trail listed here could not be judged, so this account and region is not COMPLIANT; the rule's " +
                'failed evaluation names each and why. NON_COMPLIANT trails of this account with their home region ' +
                'here: 1 of 2 (steady).',
            },
            SWEEP_TIME,
          ),
        ]),
      },
    ]);
  });

  const deliveryError = 'Access denied. Verify in IAM that the role has adequate permissions.';
  it.each([
    { case: 'without a delivery error', error: undefined, suffix: '' },
    { case: 'with the delivery error', error: deliveryError, suffix: ` Delivery error: ${deliveryError}` },
  ])(
    'change event: a delivery before the role was re-pointed does not count ($case)',
    async ({ error, suffix }) => {
      await createTrail(endpoint, { name: 'repointed', region: 'us-east-1', logGroup: true, role: true });
      // Changed 90 minutes (and a few seconds) ago; the last delivery went to the old role 7 minutes before that.
      const capturedAt = new Date(Date.now() - 90 * 60_000 - 10_000);
      const deliveredAt = new Date(capturedAt.getTime() - 7 * 60_000);
      // moto never returns the delivery fields; they are added to its real answer.
      intercept = async (call, forward) => withDelivery(call, await forward(), { at: deliveredAt, error });
      const event = changeEvent(
        await describeTrail('repointed', 'us-east-1', 'us-east-1'),
        'us-east-1',
        capturedAt,
      );
      const invoking = JSON.parse(event.invokingEvent as string) as Record<string, unknown>;
      invoking.configurationItemDiff = {
        changedProperties: {
          'Configuration.CloudWatchLogsRoleArn': {
            previousValue: 'arn:aws:iam::123456789012:role/e2e-old-role',
            updatedValue: 'arn:aws:iam::123456789012:role/e2e-repointed',
            changeType: 'UPDATE',
          },
        },
        changeType: 'UPDATE',
      };

      await rule.run({ ...event, invokingEvent: JSON.stringify(invoking), ruleParameters: WINDOW });

      expect(await sentEvaluations(endpoint)).toEqual([
        {
          region: 'us-east-1',
          request: putEvaluationsBody([
            {
              id: 'repointed',
              type: 'NON_COMPLIANT',
              annotation: `Not delivering since the integration changed 90 minutes ago: last delivery to log group /e2e/repointed was 97 minutes ago, before the change.${suffix}`,
              at: capturedAt,
            },
          ]),
        },
      ]);
    },
  );
});
