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
 *   the oversized-notification fetch is not run here; its API-shape-to-event conversion is.
 * - Stored Config compliance: PutEvaluations without TestMode and GetComplianceDetailsByConfigRule (both
 *   HTTP 500 NotImplemented), hence the sweep's clean-up of results for deleted trails (skipped in test mode).
 * - The delivery fields of GetTrailStatus (LatestCloudWatchLogsDeliveryTime and ...Error are never
 *   returned), hence the expectedDeliveryWindowAge check.
 * - ExecutionRoleName (cross-account AssumeRole): moto issues credentials but enforces no trust policy.
 * - IAM authorization (not enforced): the rule role's permissions are checked by the infra tests.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { changeEvent, scheduledEvent } from './config-events.js';
import { recordedRequests } from './emulator.js';
import { createTrail, describeTrail } from './trails.js';

const TRAIL_TYPE = 'AWS::CloudTrail::Trail';
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

/** PutEvaluations as the wire carries it: OrderingTimestamp in epoch seconds. */
function putEvaluationsBody(
  evaluations: readonly { id: string; type: string; annotation: string; at: Date }[],
): unknown {
  return {
    Evaluations: evaluations.map(({ id, type, annotation, at }) => ({
      ComplianceResourceType: TRAIL_TYPE,
      ComplianceResourceId: id,
      ComplianceType: type,
      Annotation: annotation,
      OrderingTimestamp: at.getTime() / 1000,
    })),
    ResultToken: 'TESTMODE',
    TestMode: true,
  };
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
    ]);
  });
});
