import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../remediation/handler.js';
import {
  ACCOUNT,
  type FakeWorld,
  fakeAws,
  LOG_GROUP_ARN,
  newWorld,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
} from './fake-aws.js';

let world: FakeWorld;

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;

describe('handler', () => {
  it('parses the payload the SSM document sends and returns the summary', async () => {
    const summary = await handler({
      TrailName: TRAIL_ARN,
      RetentionInDays: 365,
      KmsKeyArn: '',
      DryRun: false,
    });
    expect(summary).toMatchObject({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'REMEDIATED',
      dryRun: false,
    });
    expect(world.trails[0]?.CloudWatchLogsRoleArn).toBe(ROLE_ARN);
  });

  it('returns the plan on a dry run, writing nothing', async () => {
    const summary = await handler({ TrailName: TRAIL_ARN, DryRun: true });
    expect(summary.outcome).toBe('DRY_RUN');
    expect(world.writes).toEqual([]);
  });

  it.each([
    [{}, 'Invalid remediation payload: TrailName is missing: give the trail name or ARN.'],
    [
      { TrailName: TRAIL_ARN, RetentionInDays: 10 },
      'Invalid remediation payload: RetentionInDays 10 is not a retention CloudWatch Logs accepts',
    ],
    [
      { TrailName: TRAIL_ARN, KmsKeyArn: 'key' },
      'Invalid remediation payload: KmsKeyArn "key" is not a KMS key ARN',
    ],
  ])('rejects a bad payload %j before any AWS call', async (payload, message) => {
    await expect(handler(payload)).rejects.toThrow(message);
    expect(world.calls).toEqual([]);
  });

  it('throws, never returns a failure summary, when a step fails', async () => {
    world.trails = [];
    await expect(handler({ TrailName: 'management-events' })).rejects.toMatchObject({
      name: 'TrailNotFoundError',
    });
  });

  it.each([
    ['the boundary its environment names', BOUNDARY, BOUNDARY],
    ['no boundary when the variable is empty', '', undefined],
  ])('creates the role with %s', async (_, value, boundary) => {
    vi.stubEnv('PERMISSIONS_BOUNDARY_ARN', value);
    world.enforcedBoundary = boundary;
    expect((await handler({ TrailName: TRAIL_ARN })).outcome).toBe('REMEDIATED');
    expect(world.roles.get(ROLE)?.boundary).toBe(boundary);
  });

  it('fails before any AWS call when the boundary variable is not a policy ARN', async () => {
    vi.stubEnv('PERMISSIONS_BOUNDARY_ARN', 'delivery-boundary');
    await expect(handler({ TrailName: TRAIL_ARN })).rejects.toMatchObject({
      name: 'InvalidConfigurationError',
      message:
        'Environment variable PERMISSIONS_BOUNDARY_ARN is "delivery-boundary", not a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>). Set it to the delivery boundary policy of the stack, or leave it unset for no boundary.',
    });
    expect(world.calls).toEqual([]);
  });
});
