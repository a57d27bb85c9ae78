import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../remediation/handler.js';
import { type FakeWorld, fakeAws, LOG_GROUP_ARN, newWorld, ROLE_ARN, TRAIL_ARN } from './fake-aws.js';

let world: FakeWorld;

beforeEach(() => {
  world = newWorld();
  fakeAws(world);
});

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
});
