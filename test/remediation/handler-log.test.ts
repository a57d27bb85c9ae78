import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { ROLE_POLICY_NAME } from '../../remediation/definition.js';
import { handler } from '../../remediation/handler.js';
import {
  awsError,
  type FakeWorld,
  failOnce,
  fakeAws,
  LOG_GROUP,
  LOG_GROUP_ARN,
  newWorld,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
} from './fake-aws.js';

/** The remediation Lambda's own log lines (common/log.ts): one per action, one for the outcome or the failure. */

const REQUEST_ID = '8f5e3d0a-1c2b-4d5e-9f60-7a8b9c0d1e2f';
const context = { awsRequestId: REQUEST_ID };

let world: FakeWorld;
let info: MockInstance<typeof console.info>;
let error: MockInstance<typeof console.error>;

const lines = (spy: MockInstance<(...args: unknown[]) => void>) =>
  spy.mock.calls.map(([line]) => line as Record<string, unknown>);
const actionLines = () =>
  lines(info)
    .filter((line) => line.event === 'remediation action')
    .map(({ action, resource, status }) => [action, resource, status]);

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
  vi.spyOn(console, 'debug').mockImplementation(() => {});
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

const APPLIED_FROM_SCRATCH = [
  ['CreateLogGroup', LOG_GROUP, 'applied'],
  ['PutRetentionPolicy', LOG_GROUP, 'applied'],
  ['CreateRole', ROLE, 'applied'],
  ['PutRolePolicy', `${ROLE}/${ROLE_POLICY_NAME}`, 'applied'],
  ['UpdateTrail', TRAIL_ARN, 'applied'],
];

describe('remediation handler log', () => {
  it('logs each applied action, then the outcome, with the request id', async () => {
    await handler({ TrailName: TRAIL_ARN }, context);
    expect(actionLines()).toEqual(APPLIED_FROM_SCRATCH);
    expect(lines(info)[0]).toEqual({
      event: 'remediation action',
      requestId: REQUEST_ID,
      trail: TRAIL_ARN,
      dryRun: false,
      action: 'CreateLogGroup',
      resource: LOG_GROUP,
      status: 'applied',
      detail: expect.any(String),
    });
    expect(lines(info).at(-1)).toEqual({
      event: 'remediation outcome',
      requestId: REQUEST_ID,
      trail: TRAIL_ARN,
      dryRun: false,
      outcome: 'REMEDIATED',
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      applied: 5,
      planned: 0,
      skipped: 0,
    });
    expect(lines(info)).toHaveLength(6);
    expect(lines(error)).toEqual([]);
  });

  it('logs the planned actions of a dry run and its outcome', async () => {
    await handler({ TrailName: TRAIL_ARN, DryRun: true }, context);
    expect(actionLines()).toEqual(
      APPLIED_FROM_SCRATCH.map(([action, resource]) => [action, resource, 'planned']),
    );
    expect(lines(info).at(-1)).toMatchObject({ outcome: 'DRY_RUN', dryRun: true, applied: 0, planned: 5 });
  });

  it('logs only the outcome for a trail that already sends to CloudWatch Logs', async () => {
    await handler({ TrailName: TRAIL_ARN }, context);
    info.mockClear();
    await handler({ TrailName: TRAIL_ARN }, context);
    expect(lines(info)).toEqual([
      expect.objectContaining({ event: 'remediation outcome', outcome: 'ALREADY_COMPLIANT', applied: 0 }),
    ]);
  });

  it('logs what it applied before a failure, then the failure once with its cause, and rethrows it', async () => {
    const bucket = awsError('InsufficientS3BucketPolicyException', 'Incorrect S3 bucket policy is detected.');
    failOnce(world, 'UpdateTrail', bucket);
    const thrown = await handler({ TrailName: TRAIL_ARN }, context).catch((failure: unknown) => failure);
    expect(thrown).toBeInstanceOf(Error);
    expect(actionLines()).toEqual(APPLIED_FROM_SCRATCH.slice(0, 4));
    expect(lines(info).some((line) => line.event === 'remediation outcome')).toBe(false);
    expect(lines(error)).toEqual([
      {
        event: 'remediation failed',
        requestId: REQUEST_ID,
        trail: TRAIL_ARN,
        dryRun: false,
        error: {
          type: (thrown as Error).name,
          message: (thrown as Error).message,
          causes: [{ type: bucket.name, message: bucket.message, causes: [] }],
        },
        stack: expect.arrayContaining([expect.stringMatching(/^at /)]),
      },
    ]);
  });

  it('logs a payload it cannot parse as ERROR without the payload', async () => {
    await expect(handler({ TrailName: 42, Secret: 'AKIAPAYLOADCONTENT' }, context)).rejects.toThrow(
      'Invalid remediation payload',
    );
    expect(lines(error)).toEqual([
      expect.objectContaining({ event: 'remediation failed', requestId: REQUEST_ID }),
    ]);
    expect(JSON.stringify(lines(error))).not.toContain('AKIAPAYLOADCONTENT');
  });
});
