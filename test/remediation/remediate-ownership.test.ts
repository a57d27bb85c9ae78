import { beforeEach, describe, expect, it } from 'vitest';
import type { RemediationClients } from '../../remediation/clients.js';
import type { RemediationRequest } from '../../remediation/payload.js';
import { remediateTrail } from '../../remediation/remediate.js';
import {
  ACCOUNT,
  awsError,
  type FakeWorld,
  failOnce,
  fakeAws,
  freshTrail,
  LOG_GROUP,
  LOG_GROUP_ARN,
  newWorld,
  REGION,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
  TRAIL_NAME,
} from './fake-aws.js';
import { OWN_ROLE, REQUEST, TAGS } from './remediate-fixtures.js';

/**
 * What the remediation trusts: an integrated trail is checked before it is called compliant (and what the
 * remediation created is repaired), only what carries its tag is reused without AdoptExisting, and a trail
 * known here only as a copy is refused with the region where it lives. The fake account records every call
 * and every write.
 */

const SINK = `arn:aws:logs:${REGION}:999988887777:destination:collector`;
const THEIR_KEY = `arn:aws:kms:${REGION}:999988887777:key/theirs`;
const READS_OF_OWN_INTEGRATION = [
  'DescribeLogGroups',
  'GetRole',
  'GetRolePolicy',
  'GetTrailStatus',
  'ListAttachedRolePolicies',
  'ListRolePolicies',
];

let world: FakeWorld;
let clients: RemediationClients;

beforeEach(() => {
  world = newWorld();
  clients = fakeAws(world);
});

function run(request: Partial<RemediationRequest> = {}) {
  return remediateTrail(clients, { ...REQUEST, ...request });
}

/** The calls after GetCallerIdentity and GetTrail, sorted: the reads run concurrently. */
function laterCalls(): string[] {
  return world.calls.slice(2).sort();
}

function integrated(): void {
  world.trails = [freshTrail({ CloudWatchLogsLogGroupArn: LOG_GROUP_ARN, CloudWatchLogsRoleArn: ROLE_ARN })];
}

describe('remediateTrail on an integrated trail', () => {
  it('reports it compliant only after reading its log group, role and delivery status', async () => {
    integrated();
    world.logGroups.set(LOG_GROUP, { retentionInDays: 365, tags: { ...TAGS } });
    world.roles.set(ROLE, OWN_ROLE);
    expect(await run()).toMatchObject({ outcome: 'ALREADY_COMPLIANT', actions: [] });
    expect(world.calls.slice(0, 2)).toEqual(['GetCallerIdentity', 'GetTrail']);
    expect(laterCalls()).toEqual(READS_OF_OWN_INTEGRATION);
    expect(world.writes).toEqual([]);
  });

  it('recreates its deleted log group, re-sends the trail and reports REPAIRED with each repair', async () => {
    integrated();
    world.roles.set(ROLE, OWN_ROLE);
    const summary = await run();
    expect(summary).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'REPAIRED',
      actions: [
        {
          action: 'CreateLogGroup',
          resource: LOG_GROUP,
          status: 'applied',
          detail: 'log group named by the trail was deleted; recreated',
        },
        {
          action: 'PutRetentionPolicy',
          resource: LOG_GROUP,
          status: 'applied',
          detail: 'retention set to 365 days',
        },
        {
          action: 'UpdateTrail',
          resource: TRAIL_ARN,
          status: 'applied',
          detail: 'trail given the same log group and role again, so CloudTrail checks them',
        },
      ],
      dryRun: false,
    });
    expect(world.writes).toEqual([
      `CreateLogGroup ${LOG_GROUP}`,
      `PutRetentionPolicy ${LOG_GROUP} 365`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
    expect(world.logGroups.get(LOG_GROUP)).toEqual({ retentionInDays: 365, tags: TAGS });
    // The next run finds it whole.
    expect((await run()).outcome).toBe('ALREADY_COMPLIANT');
  });

  it('recreates its deleted role and rewrites nothing else', async () => {
    integrated();
    world.logGroups.set(LOG_GROUP, { retentionInDays: 365, tags: { ...TAGS } });
    expect((await run()).outcome).toBe('REPAIRED');
    expect(world.writes).toEqual([
      `CreateRole ${ROLE}`,
      `PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
  });

  it('plans the repair on a dry run and writes nothing', async () => {
    integrated();
    world.roles.set(ROLE, { ...OWN_ROLE, trust: '{}' });
    world.logGroups.set(LOG_GROUP, { retentionInDays: 365, tags: { ...TAGS } });
    const summary = await run({ dryRun: true });
    expect(summary.outcome).toBe('DRY_RUN');
    expect(
      summary.actions.filter((action) => action.status === 'planned').map((action) => action.action),
    ).toEqual(['UpdateAssumeRolePolicy', 'UpdateTrail']);
    expect(world.writes).toEqual([]);
  });

  it("fails on an operator's deleted log group, names it, and writes nothing", async () => {
    const theirGroup = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:their-group:*`;
    world.trails = [freshTrail({ CloudWatchLogsLogGroupArn: theirGroup, CloudWatchLogsRoleArn: ROLE_ARN })];
    world.roles.set(ROLE, OWN_ROLE);
    await expect(run()).rejects.toMatchObject({
      name: 'IntegrationBrokenError',
      message:
        `Trail ${TRAIL_ARN} names a CloudWatch Logs integration that is broken, and nothing was changed: log group ` +
        'their-group does not exist: create it again (aws logs create-log-group --log-group-name their-group) or ' +
        "remove the trail's CloudWatch Logs settings so the remediation creates its own.",
    });
    expect(world.writes).toEqual([]);
  });

  it('fails on a delivery error it cannot explain, and writes nothing', async () => {
    integrated();
    world.logGroups.set(LOG_GROUP, { retentionInDays: 365, tags: { ...TAGS } });
    world.roles.set(ROLE, OWN_ROLE);
    world.deliveryError = 'AccessDeniedException';
    await expect(run()).rejects.toMatchObject({
      name: 'IntegrationBrokenError',
      problems: [expect.stringContaining('CloudTrail reports the delivery error "AccessDeniedException"')],
    });
    expect(world.writes).toEqual([]);
  });

  it('names the permission when GetTrailStatus is denied, and writes nothing', async () => {
    integrated();
    failOnce(world, 'GetTrailStatus', awsError('AccessDeniedException', 'User is not authorized'));
    await expect(run()).rejects.toMatchObject({
      name: 'AwsCallError',
      message: `cloudtrail:GetTrailStatus on ${TRAIL_ARN} failed: AccessDeniedException: User is not authorized. The remediation Lambda's role needs cloudtrail:GetTrailStatus on ${TRAIL_ARN}.`,
    });
    expect(world.writes).toEqual([]);
  });
});

describe('remediateTrail adopting what it did not create', () => {
  const REFUSAL_TAIL =
    'The remediation reuses only what carries its tag managed-by=cloudtrail-logs-guard. Delete or rename what ' +
    'you do not trust and run the remediation again, or, after checking where it sends events, run it with ' +
    'AdoptExisting=true (CLI: --adopt-existing) to use it as it is.';

  function preparedGroup(): void {
    world.logGroups.set(LOG_GROUP, {
      retentionInDays: 3653,
      kmsKeyId: THEIR_KEY,
      tags: {},
      subscriptionFilters: [{ filterName: 'everything', destinationArn: SINK }],
    });
  }

  it('refuses a prepared log group before any write, naming its filters and key', async () => {
    preparedGroup();
    await expect(run()).rejects.toMatchObject({
      name: 'AdoptionRefusedError',
      message:
        `Trail ${TRAIL_ARN} was not changed: log group ${LOG_GROUP} exists but was not created by this remediation ` +
        `(subscription filters: everything -> ${SINK}; KMS key: ${THEIR_KEY}). ${REFUSAL_TAIL}`,
    });
    expect(world.writes).toEqual([]);
    expect(laterCalls()).toEqual([
      'DescribeLogGroups',
      'DescribeSubscriptionFilters',
      'GetRole',
      'ListTagsForResource',
    ]);
  });

  it('refuses a role under its path it did not create, and a group, in one message', async () => {
    world.logGroups.set(LOG_GROUP, { retentionInDays: 365, tags: {} });
    world.roles.set(ROLE, { ...OWN_ROLE, tags: [] });
    await expect(run()).rejects.toMatchObject({
      name: 'AdoptionRefusedError',
      resources: [
        `log group ${LOG_GROUP} exists but was not created by this remediation (subscription filters: none; KMS key: none)`,
        `role ${ROLE} exists under /cloudtrail-logs-guard/ but was not created by this remediation (adopting it rewrites its trust policy and policies)`,
      ],
    });
    expect(world.writes).toEqual([]);
  });

  it('adopts them with AdoptExisting and lists the filters and key in the summary', async () => {
    preparedGroup();
    world.roles.set(ROLE, { ...OWN_ROLE, tags: [], trust: '{}' });
    const summary = await run({ adoptExisting: true });
    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.adopted).toEqual([
      {
        type: 'log-group',
        name: LOG_GROUP,
        subscriptionFilters: [{ name: 'everything', destinationArn: SINK }],
        kmsKeyId: THEIR_KEY,
      },
      { type: 'role', name: ROLE },
    ]);
    expect(summary.actions[0]).toEqual({
      action: 'CreateLogGroup',
      resource: LOG_GROUP,
      status: 'skipped',
      detail: `log group exists, not created by this remediation; adopted as requested (subscription filters: everything -> ${SINK}; KMS key: ${THEIR_KEY})`,
    });
    expect(world.writes).toEqual([`UpdateAssumeRolePolicy ${ROLE}`, `UpdateTrail ${TRAIL_ARN}`]);
  });

  it('reuses its own tagged group without asking, and lists where else its events go', async () => {
    world.logGroups.set(LOG_GROUP, {
      retentionInDays: 365,
      tags: { ...TAGS },
      subscriptionFilters: [{ filterName: 'everything', destinationArn: SINK }],
    });
    const summary = await run();
    expect(summary.adopted).toBeUndefined();
    expect(summary.reused).toEqual([
      {
        type: 'log-group',
        name: LOG_GROUP,
        subscriptionFilters: [{ name: 'everything', destinationArn: SINK }],
      },
    ]);
  });

  it('names the permission when DescribeSubscriptionFilters is denied, and writes nothing', async () => {
    preparedGroup();
    failOnce(
      world,
      'DescribeSubscriptionFilters',
      awsError('AccessDeniedException', 'User is not authorized'),
    );
    await expect(run({ adoptExisting: true })).rejects.toMatchObject({
      name: 'AwsCallError',
      message: `logs:DescribeSubscriptionFilters on ${LOG_GROUP} failed: AccessDeniedException: User is not authorized. The remediation Lambda's role needs logs:DescribeSubscriptionFilters on ${LOG_GROUP}.`,
    });
    expect(world.writes).toEqual([]);
  });
});

describe('remediateTrail on a trail this region sees only as a copy', () => {
  const HOME_ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${TRAIL_NAME}`;

  it.each([
    [
      'a multi-region trail of another region',
      freshTrail({ TrailARN: HOME_ARN, HomeRegion: 'eu-west-1', IsMultiRegionTrail: true }),
      `Trail ${TRAIL_NAME} was not created in account ${ACCOUNT}, region ${REGION}: this region only sees a copy of ` +
        `multi-region trail ${HOME_ARN}: run the remediation in region eu-west-1. Nothing was changed.`,
    ],
    [
      'an organization trail of the management account, its home region told by the ARN',
      freshTrail({
        TrailARN: `arn:aws:cloudtrail:eu-west-1:999988887777:trail/${TRAIL_NAME}`,
        HomeRegion: undefined,
        IsOrganizationTrail: true,
      }),
      `Trail ${TRAIL_NAME} was not created in account ${ACCOUNT}, region ${REGION}: this region only sees a copy of ` +
        `organization trail arn:aws:cloudtrail:eu-west-1:999988887777:trail/${TRAIL_NAME}: run the remediation in ` +
        'region eu-west-1 in account 999988887777. Nothing was changed.',
    ],
  ])('names where %s lives', async (_, copy, message) => {
    world.trails = [];
    world.shadowTrails = [copy];
    await expect(run()).rejects.toMatchObject({ name: 'TrailNotFoundError', message });
    expect(world.calls).toEqual(['GetCallerIdentity', 'GetTrail', 'DescribeTrails']);
    expect(world.writes).toEqual([]);
  });

  it('does not look for copies of a trail given by ARN (the ARN names its region)', async () => {
    world.trails = [];
    await expect(run({ trail: HOME_ARN })).rejects.toMatchObject({ name: 'TrailNotFoundError' });
    expect(world.calls).toEqual(['GetCallerIdentity', 'GetTrail']);
  });

  it('names the permission when DescribeTrails is denied', async () => {
    world.trails = [];
    failOnce(world, 'DescribeTrails', awsError('AccessDeniedException', 'User is not authorized'));
    await expect(run()).rejects.toMatchObject({
      name: 'AwsCallError',
      message: `cloudtrail:DescribeTrails on trails named ${TRAIL_NAME} failed: AccessDeniedException: User is not authorized. The remediation Lambda's role needs cloudtrail:DescribeTrails on trails named ${TRAIL_NAME}.`,
    });
  });
});
