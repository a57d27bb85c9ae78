import { ConflictException } from '@aws-sdk/client-cloudtrail';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RemediationClients } from '../../remediation/clients.js';
import { AdoptionRefusedError, CreatedMeanwhileError } from '../../remediation/errors.js';
import { cloudTrailTrustPolicy } from '../../remediation/integration/policies.js';
import type { RemediationRequest } from '../../remediation/payload.js';
import { remediateTrail } from '../../remediation/remediate.js';
import type { RetryTiming } from '../../remediation/retry.js';
import {
  ACCOUNT,
  awsError,
  FAKE_NOW,
  type FakeRole,
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
import { FRESH_WRITES, OWN_ROLE, POLICY, REQUEST, ROLE_TAGS, TAGS } from './remediate-fixtures.js';

const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
/** A simulated clock, from FAKE_NOW (plus `offsetMs`): sleeping advances it, nothing waits. */
function simulatedTiming(
  random = 0.5,
  offsetMs = 0,
): RetryTiming & { elapsed: () => number; sleeps: number[] } {
  const start = FAKE_NOW.getTime() + offsetMs;
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => random,
    elapsed: () => now - start,
    sleeps,
  };
}

const MINUTE = 60_000;

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

let world: FakeWorld;
let clients: RemediationClients;

beforeEach(() => {
  world = newWorld();
  clients = fakeAws(world);
});

function run(request: Partial<RemediationRequest> = {}, timing = simulatedTiming()) {
  return remediateTrail(clients, { ...REQUEST, ...request }, { timing });
}

describe('remediateTrail', () => {
  it('remediates a fresh trail: log group, role, UpdateTrail, verified', async () => {
    expect(await run()).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'REMEDIATED',
      actions: [
        {
          action: 'CreateLogGroup',
          resource: LOG_GROUP,
          status: 'applied',
          detail: 'log group does not exist',
        },
        {
          action: 'PutRetentionPolicy',
          resource: LOG_GROUP,
          status: 'applied',
          detail: 'retention set to 365 days',
        },
        { action: 'CreateRole', resource: ROLE, status: 'applied', detail: 'role does not exist' },
        {
          action: 'PutRolePolicy',
          resource: `${ROLE}/cloudtrail-to-cloudwatch-logs`,
          status: 'applied',
          detail: 'policy written',
        },
        {
          action: 'UpdateTrail',
          resource: TRAIL_ARN,
          status: 'applied',
          detail: 'trail pointed at the log group and role',
        },
      ],
      dryRun: false,
    });
    expect(world.writes).toEqual(FRESH_WRITES);
    expect(world.logGroups.get(LOG_GROUP)).toEqual({ retentionInDays: 365, tags: TAGS });
    const role = world.roles.get(ROLE);
    expect(role?.path).toBe('/cloudtrail-logs-guard/');
    expect(role?.tags).toEqual(Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value })));
    expect(world.trails[0]?.CloudWatchLogsLogGroupArn).toBe(LOG_GROUP_ARN);
    expect(world.trails[0]?.CloudWatchLogsRoleArn).toBe(ROLE_ARN);
    expect(world.calls).not.toContain('DescribeOrganization');
  });

  it('writes exactly the documented trust policy and permissions policy', async () => {
    await run();
    const role = world.roles.get(ROLE);
    expect(JSON.parse(role?.trust ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const streams = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:log-stream:`;
    expect(JSON.parse(role?.inline.get('cloudtrail-to-cloudwatch-logs') ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailCreateLogStream',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream'],
          Resource: [`${streams}${ACCOUNT}_CloudTrail_${REGION}*`],
        },
        {
          Sid: 'AWSCloudTrailPutLogEvents',
          Effect: 'Allow',
          Action: ['logs:PutLogEvents'],
          Resource: [`${streams}${ACCOUNT}_CloudTrail_${REGION}*`],
        },
      ],
    });
  });

  it('finds the trail by ARN as well as by name', async () => {
    expect((await run({ trail: TRAIL_ARN })).outcome).toBe('REMEDIATED');
    expect(world.writes).toEqual(FRESH_WRITES);
  });

  it.each([
    ['in its home region', REGION, 'REMEDIATED'],
    ['outside its home region', 'eu-west-1', 'TrailNotInHomeRegionError'],
  ])(
    'takes the home region from the trail ARN when GetTrail omits HomeRegion, %s',
    async (_, arnRegion, outcome) => {
      world.trails = [
        freshTrail({
          HomeRegion: undefined,
          TrailARN: `arn:aws:cloudtrail:${arnRegion}:${ACCOUNT}:trail/${TRAIL_NAME}`,
        }),
      ];
      const result = await run().then(
        (summary) => summary.outcome,
        (error: Error) => error.name,
      );
      expect(result).toBe(outcome);
    },
  );

  it('leaves a whole integration with an operator group and role untouched and reports it already compliant', async () => {
    const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:their-group:*`;
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/their-role`;
    world.trails = [freshTrail({ CloudWatchLogsLogGroupArn: logGroupArn, CloudWatchLogsRoleArn: roleArn })];
    world.logGroups.set('their-group', { tags: {} });
    expect(await run()).toEqual({
      trail: TRAIL_ARN,
      logGroupArn,
      roleArn,
      outcome: 'ALREADY_COMPLIANT',
      actions: [],
      dryRun: false,
    });
    // The role is outside the remediation's path: not read, judged by CloudTrail's delivery status.
    expect(world.calls.slice(0, 2)).toEqual(['GetCallerIdentity', 'GetTrail']);
    expect(world.calls.slice(2).sort()).toEqual(['DescribeLogGroups', 'GetTrailStatus']);
    expect(world.writes).toEqual([]);
  });

  it.each([
    ['no retention (never expire)', undefined, undefined, [`CreateRole ${ROLE}`]],
    ['a shorter retention', 30, 365, [`PutRetentionPolicy ${LOG_GROUP} 365`, `CreateRole ${ROLE}`]],
    ['a longer retention', 731, 731, [`CreateRole ${ROLE}`]],
  ])(
    'adopts, when asked, a log group it did not create with %s',
    async (_, retentionInDays, expectedRetention, firstWrites) => {
      world.logGroups.set(LOG_GROUP, { retentionInDays, tags: {} });
      await run({ adoptExisting: true });
      expect(world.writes.slice(0, firstWrites.length)).toEqual(firstWrites);
      expect(world.writes).not.toContain(`CreateLogGroup ${LOG_GROUP}`);
      expect(world.logGroups.get(LOG_GROUP)?.retentionInDays).toBe(expectedRetention);
    },
  );

  it('sets retention on a log group an earlier run created but could not finish', async () => {
    world.logGroups.set(LOG_GROUP, { tags: { ...TAGS } });
    await run();
    expect(world.writes.slice(0, 2)).toEqual([`PutRetentionPolicy ${LOG_GROUP} 365`, `CreateRole ${ROLE}`]);
    expect(world.calls).toContain('ListTagsForResource');
  });

  it('reads the subscription filters of its own tagged log group too (a tag can be forged)', async () => {
    world.logGroups.set(LOG_GROUP, { retentionInDays: 30, tags: { ...TAGS } });
    await run();
    expect(world.calls).toContain('ListTagsForResource');
    expect(world.calls).toContain('DescribeSubscriptionFilters');
  });

  it('finds the exact log group among others with the same prefix', async () => {
    world.logGroups.set(`${LOG_GROUP}-old`, { tags: {} });
    world.logGroups.set(`${LOG_GROUP}`, { retentionInDays: 3653, tags: { ...TAGS } });
    world.logGroups.set(`${LOG_GROUP}/a`, { tags: {} });
    await run();
    expect(world.writes[0]).toBe(`CreateRole ${ROLE}`);
  });

  it('associates the KMS key when given', async () => {
    await run({ kmsKeyArn: KEY_ARN });
    expect(world.writes.slice(0, 3)).toEqual([
      `CreateLogGroup ${LOG_GROUP}`,
      `PutRetentionPolicy ${LOG_GROUP} 365`,
      `AssociateKmsKey ${LOG_GROUP} ${KEY_ARN}`,
    ]);
    expect(world.logGroups.get(LOG_GROUP)?.kmsKeyId).toBe(KEY_ARN);
  });

  describe('a log group that already has another KMS key', () => {
    const OTHER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/operators-key`;

    it.each([
      ['untagged', {}],
      ['tagged for another project', { 'managed-by': 'someone-else' }],
    ])('refuses to re-key an operator group (%s), writing nothing', async (_, tags) => {
      world.logGroups.set(LOG_GROUP, { retentionInDays: 365, kmsKeyId: OTHER_KEY, tags });
      await expect(run({ kmsKeyArn: KEY_ARN, adoptExisting: true })).rejects.toMatchObject({
        name: 'RemediationConflictError',
        message:
          `Log group ${LOG_GROUP} is encrypted with KMS key ${OTHER_KEY}, not ${KEY_ARN}, and was not created by ` +
          'this remediation (no tag managed-by=cloudtrail-logs-guard): its key is not replaced and nothing was ' +
          'changed. To keep that key, run the remediation with KmsKeyArn set to it or empty; to use the other ' +
          'key, associate it yourself (aws logs associate-kms-key).',
      });
      expect(world.writes).toEqual([]);
      expect(world.logGroups.get(LOG_GROUP)?.kmsKeyId).toBe(OTHER_KEY);
    });

    it('keeps the operator key when no key is requested', async () => {
      world.logGroups.set(LOG_GROUP, { retentionInDays: 365, kmsKeyId: OTHER_KEY, tags: {} });
      expect((await run({ adoptExisting: true })).outcome).toBe('REMEDIATED');
      expect(world.writes).toEqual([
        `CreateRole ${ROLE}`,
        `PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`,
        `UpdateTrail ${TRAIL_ARN}`,
      ]);
      expect(world.logGroups.get(LOG_GROUP)?.kmsKeyId).toBe(OTHER_KEY);
    });

    it('replaces the key of a group this remediation created', async () => {
      world.logGroups.set(LOG_GROUP, { retentionInDays: 365, kmsKeyId: OTHER_KEY, tags: { ...TAGS } });
      const summary = await run({ kmsKeyArn: KEY_ARN });
      expect(summary.actions.find((action) => action.action === 'AssociateKmsKey')).toEqual({
        action: 'AssociateKmsKey',
        resource: LOG_GROUP,
        status: 'applied',
        detail: `key ${OTHER_KEY} replaced as requested`,
      });
      expect(world.logGroups.get(LOG_GROUP)?.kmsKeyId).toBe(KEY_ARN);
    });
  });

  it('brings an existing role with a wrong policy to the documented shape', async () => {
    world.roles.set(ROLE, {
      path: '/cloudtrail-logs-guard/',
      trust: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
      inline: new Map([
        [
          'cloudtrail-to-cloudwatch-logs',
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
          }),
        ],
        ['extra', '{}'],
      ]),
      attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      tags: ROLE_TAGS,
    });
    await run();
    expect(world.writes.slice(2, -1)).toEqual([
      `UpdateAssumeRolePolicy ${ROLE}`,
      `PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`,
      `DeleteRolePolicy ${ROLE}/extra`,
      `DetachRolePolicy ${ROLE}/arn:aws:iam::aws:policy/AdministratorAccess`,
    ]);
    const role = world.roles.get(ROLE);
    expect(JSON.parse(role?.trust ?? '')).toEqual(cloudTrailTrustPolicy());
    expect([...(role?.inline.keys() ?? [])]).toEqual(['cloudtrail-to-cloudwatch-logs']);
    expect(JSON.parse(role?.inline.get('cloudtrail-to-cloudwatch-logs') ?? '')).toEqual(POLICY);
    expect(role?.attached).toEqual([]);
  });

  it('reuses a role already in the documented shape without writing to it', async () => {
    world.roles.set(ROLE, {
      path: '/cloudtrail-logs-guard/',
      trust: JSON.stringify(cloudTrailTrustPolicy()),
      inline: new Map([['cloudtrail-to-cloudwatch-logs', JSON.stringify(POLICY)]]),
      attached: [],
      tags: ROLE_TAGS,
    });
    await run();
    expect(world.writes).toEqual([
      `CreateLogGroup ${LOG_GROUP}`,
      `PutRetentionPolicy ${LOG_GROUP} 365`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
  });

  it('adds the organization stream pattern for an organization trail, from DescribeOrganization', async () => {
    world.trails = [freshTrail({ IsOrganizationTrail: true })];
    world.organizationId = 'o-exampleorgid';
    await run();
    const policy = JSON.parse(world.roles.get(ROLE)?.inline.get('cloudtrail-to-cloudwatch-logs') ?? '');
    expect(policy.Statement[0].Resource).toEqual([
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:log-stream:${ACCOUNT}_CloudTrail_${REGION}*`,
      `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}:log-stream:o-exampleorgid_*`,
    ]);
    expect(world.calls.filter((call) => call === 'DescribeOrganization')).toHaveLength(1);
  });

  it('returns the plan and writes nothing on a dry run', async () => {
    const summary = await run({ dryRun: true });
    expect(summary.outcome).toBe('DRY_RUN');
    expect(summary.dryRun).toBe(true);
    expect(summary.actions.map(({ action, status }) => `${action} ${status}`)).toEqual([
      'CreateLogGroup planned',
      'PutRetentionPolicy planned',
      'CreateRole planned',
      'PutRolePolicy planned',
      'UpdateTrail planned',
    ]);
    expect(world.writes).toEqual([]);
  });

  describe('UpdateTrail retries', () => {
    it.each([0, 1, 3, 8])('succeeds after %i propagation errors, one sleep per error', async (failures) => {
      world.propagationFailures = failures;
      const timing = simulatedTiming();
      await run({}, timing);
      expect(world.calls.filter((call) => call === 'UpdateTrail')).toHaveLength(failures + 1);
      // Full jitter with random() = 0.5: half of min(5 s, 1 s * 2^n).
      expect(timing.sleeps).toEqual([500, 1000, 2000, 2500, 2500, 2500, 2500, 2500].slice(0, failures));
    });

    it('retries a ConflictException (trail not ready yet)', async () => {
      failOnce(world, 'UpdateTrail', new ConflictException({ message: 'not ready', $metadata: {} }));
      await run();
      expect(world.calls.filter((call) => call === 'UpdateTrail')).toHaveLength(2);
    });

    it('does not retry a non-transient error', async () => {
      failOnce(
        world,
        'UpdateTrail',
        awsError('InsufficientS3BucketPolicyException', 'Incorrect S3 bucket policy'),
      );
      const error = await rejection(run());
      expect(error).toMatchObject({
        name: 'AwsCallError',
        message:
          `cloudtrail:UpdateTrail on ${TRAIL_ARN} failed: InsufficientS3BucketPolicyException: Incorrect S3 bucket policy. ` +
          'Fix the cause and run the remediation again; finished steps are not repeated.',
      });
      expect(world.calls.filter((call) => call === 'UpdateTrail')).toHaveLength(1);
    });

    it.each<[string, FakeRole | undefined]>([
      ['created by this run', undefined],
      [
        'created 4 minutes ago (an earlier run)',
        { ...OWN_ROLE, created: new Date(FAKE_NOW.getTime() - 4 * MINUTE) },
      ],
      ['created in the future (clock skew)', { ...OWN_ROLE, created: new Date(FAKE_NOW.getTime() + MINUTE) }],
      ['older than 5 minutes but given a new trust policy by this run', { ...OWN_ROLE, trust: '{}' }],
      ['older than 5 minutes but given a new inline policy by this run', { ...OWN_ROLE, inline: new Map() }],
    ])('retries a rejected role %s', async (_, role) => {
      if (role !== undefined) world.roles.set(ROLE, role);
      world.propagationFailures = 1;
      expect((await run()).outcome).toBe('REMEDIATED');
      expect(world.calls.filter((call) => call === 'UpdateTrail')).toHaveLength(2);
    });

    it.each([
      ['created 5 minutes ago', new Date(FAKE_NOW.getTime() - 5 * MINUTE)],
      ['created long ago', new Date('2026-11-01T00:00:00Z')],
    ])(
      'fails at once, without retrying, on an unchanged role %s that CloudTrail rejects',
      async (_, created) => {
        world.roles.set(ROLE, { ...OWN_ROLE, created });
        world.propagationFailures = 1;
        const timing = simulatedTiming();
        const error = await rejection(run({}, timing));
        expect(error).toMatchObject({
          name: 'RoleNotUsableByCloudTrailError',
          message:
            `UpdateTrail on ${TRAIL_ARN} failed with InvalidCloudWatchLogsRoleArnException: role ${ROLE_ARN} exists ` +
            `(created ${created.toISOString()}) and this run did not change it, but CloudTrail cannot use it. Check ` +
            'that its trust policy lets cloudtrail.amazonaws.com assume it, that its permissions (and permissions ' +
            'boundary, and any service control policy) allow logs:CreateLogStream and logs:PutLogEvents on its log ' +
            "group, and that the remediation Lambda's role has iam:PassRole on it; then run the remediation again.",
        });
        expect((error as Error).cause).toMatchObject({ name: 'InvalidCloudWatchLogsRoleArnException' });
        expect(world.calls.filter((call) => call === 'UpdateTrail')).toHaveLength(1);
        expect(timing.sleeps).toEqual([]);
      },
    );

    it('keeps waiting for a role an earlier run created, when it is started again within minutes', async () => {
      world.propagationFailures = Number.POSITIVE_INFINITY;
      await expect(run({}, simulatedTiming(0.999))).rejects.toMatchObject({
        name: 'UpdateTrailRetriesExhaustedError',
      });
      world.propagationFailures = 1;
      const rerun = simulatedTiming(0.5, 3 * MINUTE);
      expect((await run({}, rerun)).outcome).toBe('REMEDIATED');
      expect(rerun.sleeps).toEqual([500]);
      expect(world.writes.filter((entry) => entry.startsWith('CreateRole'))).toHaveLength(1);
    });

    it('gives up within the time bound when IAM never propagates', async () => {
      world.propagationFailures = Number.POSITIVE_INFINITY;
      const timing = simulatedTiming(0.999);
      const error = await rejection(run({}, timing));
      const attempts = world.calls.filter((call) => call === 'UpdateTrail').length;
      expect(error).toMatchObject({
        name: 'UpdateTrailRetriesExhaustedError',
        attempts,
        message:
          `UpdateTrail on ${TRAIL_ARN} still failed with InvalidCloudWatchLogsRoleArnException after ${attempts} ` +
          `attempts within the 120000 ms retry bound. IAM may not have propagated role ${ROLE_ARN} yet, the ` +
          "role cannot be assumed by cloudtrail.amazonaws.com, or the remediation Lambda's role lacks " +
          'iam:PassRole on it: check those, then run the remediation again.',
      });
      expect((error as Error).cause).toMatchObject({ name: 'InvalidCloudWatchLogsRoleArnException' });
      expect(timing.elapsed()).toBeLessThanOrEqual(120_000);
      expect(timing.elapsed()).toBeGreaterThan(100_000);
    });
  });

  it('fails when the trail does not read back the ARNs just written', async () => {
    world.dropUpdates = true;
    await expect(run()).rejects.toMatchObject({
      name: 'VerificationError',
      message:
        `Trail ${TRAIL_ARN} does not read back the CloudWatch Logs settings just written: expected log group ` +
        `${LOG_GROUP_ARN} and role ${ROLE_ARN}, found log group none and role none. Another change may have ` +
        'raced this one; run the remediation again.',
    });
  });

  describe('refusals, with nothing created', () => {
    it.each([
      [
        'a shadow copy of a multi-region trail',
        freshTrail({
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${TRAIL_NAME}`,
        }),
        'TrailNotInHomeRegionError',
        `Trail arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${TRAIL_NAME} is a copy of a multi-region trail in ` +
          `region ${REGION}; its home region is eu-west-1. Nothing was changed: run the remediation in eu-west-1.`,
      ],
      [
        "another account's organization trail",
        freshTrail({
          IsOrganizationTrail: true,
          TrailARN: `arn:aws:cloudtrail:${REGION}:999988887777:trail/${TRAIL_NAME}`,
        }),
        'TrailOfOtherAccountError',
        `Trail arn:aws:cloudtrail:${REGION}:999988887777:trail/${TRAIL_NAME} belongs to account 999988887777, not ` +
          `to account ${ACCOUNT} where the remediation runs (an organization trail seen from a member account). ` +
          'Nothing was changed: run the remediation in account 999988887777.',
      ],
      [
        "another account's organization trail seen outside its home region",
        freshTrail({
          IsOrganizationTrail: true,
          HomeRegion: 'eu-west-1',
          TrailARN: `arn:aws:cloudtrail:eu-west-1:999988887777:trail/${TRAIL_NAME}`,
        }),
        'TrailOfOtherAccountError',
        `Trail arn:aws:cloudtrail:eu-west-1:999988887777:trail/${TRAIL_NAME} belongs to account 999988887777, ` +
          `not to account ${ACCOUNT} where the remediation runs (an organization trail seen from a member ` +
          'account). Nothing was changed: run the remediation in account 999988887777.',
      ],
    ])('refuses %s', async (_, trail, name, message) => {
      world.trails = [trail];
      await expect(run()).rejects.toMatchObject({ name, message });
      expect(world.calls).toEqual(['GetCallerIdentity', 'GetTrail']);
    });

    it('reports an unknown trail', async () => {
      const error = await rejection(run({ trail: 'no-such-trail' }));
      expect(error).toMatchObject({
        name: 'TrailNotFoundError',
        message:
          `Trail no-such-trail was not found in account ${ACCOUNT}, region ${REGION}. Check the name or ARN, and ` +
          'run the remediation in the account and region where the trail was created.',
      });
      expect((error as Error).cause).toMatchObject({ name: 'TrailNotFoundException' });
      expect(world.writes).toEqual([]);
    });

    it.each([
      ['GetCallerIdentity', 'sts:GetCallerIdentity on the caller'],
      ['GetTrail', `cloudtrail:GetTrail on ${TRAIL_NAME}`],
      ['DescribeLogGroups', `logs:DescribeLogGroups on ${LOG_GROUP}`],
      ['GetRole', `iam:GetRole on ${ROLE}`],
    ])('names the missing permission when %s is denied', async (command, what) => {
      failOnce(world, command, awsError('AccessDeniedException', 'User is not authorized'));
      await expect(run()).rejects.toMatchObject({
        name: 'AwsCallError',
        message: `${what} failed: AccessDeniedException: User is not authorized. The remediation Lambda's role needs ${what}.`,
      });
      expect(world.writes).toEqual([]);
    });
  });

  describe('re-run after a failure', () => {
    it.each([
      ['CreateLogGroup', 'logs:CreateLogGroup', LOG_GROUP],
      ['PutRetentionPolicy', 'logs:PutRetentionPolicy', LOG_GROUP],
      ['AssociateKmsKey', 'logs:AssociateKmsKey', LOG_GROUP],
      ['CreateRole', 'iam:CreateRole', ROLE],
      ['PutRolePolicy', 'iam:PutRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`],
      ['UpdateTrail', 'cloudtrail:UpdateTrail', TRAIL_ARN],
      ['GetTrail', 'cloudtrail:GetTrail', TRAIL_ARN],
    ])('completes without duplicates after %s failed', async (command, action, resource) => {
      // GetTrail is read first by the run itself; fail the read-back after UpdateTrail instead.
      if (command === 'GetTrail') failOnce(world, command, () => undefined);
      failOnce(world, command, awsError('ServiceUnavailableException', 'try later'));
      await expect(run({ kmsKeyArn: KEY_ARN })).rejects.toMatchObject({
        name: 'AwsCallError',
        message: `${action} on ${resource} failed: ServiceUnavailableException: try later. Fix the cause and run the remediation again; finished steps are not repeated.`,
      });
      const summary = await run({ kmsKeyArn: KEY_ARN });
      expect(summary.outcome).toBe(command === 'GetTrail' ? 'ALREADY_COMPLIANT' : 'REMEDIATED');
      for (const write of [...FRESH_WRITES, `AssociateKmsKey ${LOG_GROUP} ${KEY_ARN}`]) {
        expect(world.writes.filter((entry) => entry === write)).toHaveLength(1);
      }
      expect(world.logGroups.size).toBe(1);
      expect(world.roles.size).toBe(1);
      expect(world.trails[0]?.CloudWatchLogsRoleArn).toBe(ROLE_ARN);
    });

    it.each([
      ['UpdateAssumeRolePolicy', 'iam:UpdateAssumeRolePolicy', ROLE],
      ['DeleteRolePolicy', 'iam:DeleteRolePolicy', `${ROLE}/extra`],
      ['DetachRolePolicy', 'iam:DetachRolePolicy', `${ROLE}/arn:aws:iam::aws:policy/AdministratorAccess`],
      ['ListRolePolicies', 'iam:ListRolePolicies', ROLE],
      ['ListAttachedRolePolicies', 'iam:ListAttachedRolePolicies', ROLE],
      ['GetRolePolicy', 'iam:GetRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`],
    ])('repairs an existing role without duplicates after %s failed', async (command, action, resource) => {
      world.roles.set(ROLE, {
        path: '/cloudtrail-logs-guard/',
        trust: '{}',
        inline: new Map([
          ['cloudtrail-to-cloudwatch-logs', '{}'],
          ['extra', '{}'],
        ]),
        attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        tags: ROLE_TAGS,
      });
      failOnce(world, command, awsError('ServiceUnavailableException', 'try later'));
      await expect(run()).rejects.toMatchObject({
        message: `${action} on ${resource} failed: ServiceUnavailableException: try later. Fix the cause and run the remediation again; finished steps are not repeated.`,
      });
      await run();
      const role = world.roles.get(ROLE);
      expect(JSON.parse(role?.trust ?? '')).toEqual(cloudTrailTrustPolicy());
      expect([...(role?.inline.entries() ?? [])]).toEqual([
        ['cloudtrail-to-cloudwatch-logs', JSON.stringify(POLICY)],
      ]);
      expect(role?.attached).toEqual([]);
      expect(world.writes.filter((entry) => entry.startsWith('CreateLogGroup'))).toHaveLength(1);
      expect(world.writes.filter((entry) => entry.startsWith('UpdateTrail'))).toHaveLength(1);
    });

    it('completes an organization trail after DescribeOrganization failed', async () => {
      world.trails = [freshTrail({ IsOrganizationTrail: true })];
      world.organizationId = 'o-exampleorgid';
      failOnce(world, 'DescribeOrganization', awsError('AccessDeniedException', 'not authorized'));
      await expect(run()).rejects.toMatchObject({
        message:
          "organizations:DescribeOrganization on the organization failed: AccessDeniedException: not authorized. The remediation Lambda's role needs organizations:DescribeOrganization on the organization.",
      });
      expect(world.writes).toEqual([]);
      expect((await run()).outcome).toBe('REMEDIATED');
    });
  });
});

/** A race: someone creates the resource between the remediation's read and its create. */
describe('remediateTrail when a resource is created between the read and the create', () => {
  const SINK = `arn:aws:logs:${REGION}:444455556666:destination:collector`;
  const foreignGroup = () =>
    world.logGroups.set(LOG_GROUP, {
      tags: {},
      subscriptionFilters: [{ filterName: 'copy', destinationArn: SINK }],
    });
  const foreignRole = (): FakeRole => ({
    path: '/cloudtrail-logs-guard/',
    trust: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    inline: new Map(),
    attached: [],
    tags: [],
  });

  it('refuses a log group without its tag, and points the trail at nothing', async () => {
    failOnce(world, 'CreateLogGroup', foreignGroup);
    const error = await run().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdoptionRefusedError);
    expect((error as Error).message).toBe(
      `Trail ${TRAIL_ARN} was not changed: log group ${LOG_GROUP} exists but was not created by this remediation ` +
        `(subscription filters: copy -> ${SINK}; KMS key: none); it was created while this run was under way. ` +
        'The remediation reuses only what carries its tag managed-by=cloudtrail-logs-guard. Delete or rename what ' +
        'you do not trust and run the remediation again, or, after checking where it sends events, run it with ' +
        'AdoptExisting=true (CLI: --adopt-existing) to use it as it is.',
    );
    expect(world.writes).toEqual([]);
    expect(world.trails[0]?.CloudWatchLogsLogGroupArn).toBeUndefined();
  });

  it('uses a log group created meanwhile that carries its tag (a concurrent run)', async () => {
    failOnce(world, 'CreateLogGroup', () => world.logGroups.set(LOG_GROUP, { tags: { ...TAGS } }));
    expect((await run()).outcome).toBe('REMEDIATED');
    expect(world.writes).toEqual(FRESH_WRITES.slice(1));
  });

  it('adopts a log group created meanwhile without its tag only with AdoptExisting, and lists it', async () => {
    failOnce(world, 'CreateLogGroup', foreignGroup);
    const summary = await run({ adoptExisting: true });
    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.adopted).toEqual([
      { type: 'log-group', name: LOG_GROUP, subscriptionFilters: [{ name: 'copy', destinationArn: SINK }] },
    ]);
    expect(world.trails[0]?.CloudWatchLogsLogGroupArn).toBe(LOG_GROUP_ARN);
  });

  it('refuses a role without its tag, never rewriting its trust, and points the trail at nothing', async () => {
    failOnce(world, 'CreateRole', () => world.roles.set(ROLE, foreignRole()));
    await expect(run()).rejects.toThrow(AdoptionRefusedError);
    expect(world.writes).toEqual([`CreateLogGroup ${LOG_GROUP}`, `PutRetentionPolicy ${LOG_GROUP} 365`]);
    expect(world.roles.get(ROLE)?.trust).toBe(foreignRole().trust);
    expect(world.trails[0]?.CloudWatchLogsRoleArn).toBeUndefined();
  });

  it('writes the documented trust policy on a role created meanwhile that carries its tag', async () => {
    failOnce(world, 'CreateRole', () => world.roles.set(ROLE, { ...foreignRole(), tags: ROLE_TAGS }));
    await run();
    expect(world.writes).toEqual([
      `CreateLogGroup ${LOG_GROUP}`,
      `PutRetentionPolicy ${LOG_GROUP} 365`,
      `UpdateAssumeRolePolicy ${ROLE}`,
      `PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
    expect(JSON.parse(world.roles.get(ROLE)?.trust ?? '')).toEqual(cloudTrailTrustPolicy());
  });

  it('gives up with CreatedMeanwhileError when the same race happens again after the re-read', async () => {
    const createThenDelete = () => {
      world.logGroups.set(LOG_GROUP, { tags: {} });
      // Gone again before the re-read: the new plan creates it once more, and loses the race again.
      failOnce(world, 'DescribeLogGroups', () => world.logGroups.delete(LOG_GROUP));
    };
    failOnce(world, 'CreateLogGroup', createThenDelete);
    failOnce(world, 'CreateLogGroup', () => world.logGroups.set(LOG_GROUP, { tags: {} }));
    await expect(run()).rejects.toThrow(CreatedMeanwhileError);
    expect(world.trails[0]?.CloudWatchLogsLogGroupArn).toBeUndefined();
  });
});

describe('remediateTrail with a permissions boundary', () => {
  const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
  const OTHER_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/operators-boundary`;
  const ROLE_WRITES = [`PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`, `UpdateTrail ${TRAIL_ARN}`];

  beforeEach(() => {
    // The fake IAM answers as the Lambda's policy does: role writes only with this boundary.
    world.enforcedBoundary = BOUNDARY;
  });

  function runWithBoundary(request: Partial<RemediationRequest> = {}) {
    return remediateTrail(
      clients,
      { ...REQUEST, ...request },
      { timing: simulatedTiming(), permissionsBoundaryArn: BOUNDARY },
    );
  }

  function documentedRole(boundary: string | undefined): FakeRole {
    return {
      path: '/cloudtrail-logs-guard/',
      trust: JSON.stringify(cloudTrailTrustPolicy()),
      inline: new Map([['cloudtrail-to-cloudwatch-logs', JSON.stringify(POLICY)]]),
      attached: [],
      tags: ROLE_TAGS,
      ...(boundary === undefined ? {} : { boundary }),
    };
  }

  it('creates the role with the boundary and says so in the summary', async () => {
    const summary = await runWithBoundary();
    expect(world.writes).toEqual(FRESH_WRITES);
    expect(world.roles.get(ROLE)?.boundary).toBe(BOUNDARY);
    expect(summary.actions.find((action) => action.action === 'CreateRole')).toEqual({
      action: 'CreateRole',
      resource: ROLE,
      status: 'applied',
      detail: `role does not exist; created with permissions boundary ${BOUNDARY}`,
    });
  });

  it.each([
    ['without a boundary', undefined, `permissions boundary ${BOUNDARY} set`],
    [
      'with another boundary',
      OTHER_BOUNDARY,
      `permissions boundary ${OTHER_BOUNDARY} replaced with ${BOUNDARY}`,
    ],
  ])('puts the boundary on an existing role %s before writing to it', async (_, boundary, detail) => {
    world.roles.set(ROLE, { ...documentedRole(boundary), trust: '{}', inline: new Map() });
    const summary = await runWithBoundary();
    expect(world.writes.slice(2)).toEqual([
      `PutRolePermissionsBoundary ${ROLE} ${BOUNDARY}`,
      `UpdateAssumeRolePolicy ${ROLE}`,
      ...ROLE_WRITES,
    ]);
    expect(world.roles.get(ROLE)?.boundary).toBe(BOUNDARY);
    expect(summary.actions.find((action) => action.action === 'PutRolePermissionsBoundary')).toEqual({
      action: 'PutRolePermissionsBoundary',
      resource: ROLE,
      status: 'applied',
      detail,
    });
  });

  it('leaves the boundary of a role that already carries it', async () => {
    world.roles.set(ROLE, documentedRole(BOUNDARY));
    const summary = await runWithBoundary();
    expect(world.writes).toEqual([
      `CreateLogGroup ${LOG_GROUP}`,
      `PutRetentionPolicy ${LOG_GROUP} 365`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
    expect(summary.actions.find((action) => action.action === 'PutRolePermissionsBoundary')).toEqual({
      action: 'PutRolePermissionsBoundary',
      resource: ROLE,
      status: 'skipped',
      detail: `permissions boundary ${BOUNDARY} already set`,
    });
  });

  it.each([
    ['a fresh trail', undefined, ['CreateRole planned', 'PutRolePolicy planned']],
    [
      'an existing role without the boundary',
      documentedRole(undefined),
      [
        'CreateRole skipped',
        'PutRolePermissionsBoundary planned',
        'UpdateAssumeRolePolicy skipped',
        'PutRolePolicy skipped',
      ],
    ],
  ])('lists the boundary on a dry run for %s and writes nothing', async (_, role, roleActions) => {
    if (role !== undefined) world.roles.set(ROLE, role);
    const summary = await runWithBoundary({ dryRun: true });
    expect(summary.actions.map(({ action, status }) => `${action} ${status}`)).toEqual([
      'CreateLogGroup planned',
      'PutRetentionPolicy planned',
      ...roleActions,
      'UpdateTrail planned',
    ]);
    expect(summary.actions.map(({ detail }) => detail)).toContain(
      role === undefined
        ? `role does not exist; created with permissions boundary ${BOUNDARY}`
        : `permissions boundary ${BOUNDARY} set`,
    );
    expect(world.writes).toEqual([]);
  });

  it('keeps the boundary of an existing role when none is configured (the CLI)', async () => {
    world.enforcedBoundary = undefined;
    world.roles.set(ROLE, { ...documentedRole(OTHER_BOUNDARY), trust: '{}' });
    await run();
    expect(world.writes.slice(2)).toEqual([`UpdateAssumeRolePolicy ${ROLE}`, `UpdateTrail ${TRAIL_ARN}`]);
    expect(world.roles.get(ROLE)?.boundary).toBe(OTHER_BOUNDARY);
  });

  it('puts the boundary first on a role created since the state was read', async () => {
    failOnce(world, 'CreateRole', () => world.roles.set(ROLE, { ...documentedRole(undefined), trust: '{}' }));
    await runWithBoundary();
    // Read again and planned anew: its documented inline policy is kept, only boundary and trust are written.
    expect(world.writes.slice(2)).toEqual([
      `PutRolePermissionsBoundary ${ROLE} ${BOUNDARY}`,
      `UpdateAssumeRolePolicy ${ROLE}`,
      `UpdateTrail ${TRAIL_ARN}`,
    ]);
    expect(world.roles.get(ROLE)?.boundary).toBe(BOUNDARY);
  });

  it('completes without duplicates after PutRolePermissionsBoundary failed', async () => {
    world.roles.set(ROLE, { ...documentedRole(undefined), inline: new Map() });
    failOnce(world, 'PutRolePermissionsBoundary', awsError('ServiceUnavailableException', 'try later'));
    await expect(runWithBoundary()).rejects.toMatchObject({
      name: 'AwsCallError',
      message: `iam:PutRolePermissionsBoundary on ${ROLE} failed: ServiceUnavailableException: try later. Fix the cause and run the remediation again; finished steps are not repeated.`,
    });
    expect(world.writes.slice(2)).toEqual([]);
    expect((await runWithBoundary()).outcome).toBe('REMEDIATED');
    expect(world.writes.slice(2)).toEqual([`PutRolePermissionsBoundary ${ROLE} ${BOUNDARY}`, ...ROLE_WRITES]);
  });

  it('is denied, and names the action, when the configured boundary is not the one its policy allows', async () => {
    world.enforcedBoundary = OTHER_BOUNDARY;
    await expect(runWithBoundary()).rejects.toMatchObject({
      name: 'AwsCallError',
      message: `iam:CreateRole on ${ROLE} failed: AccessDenied: User: arn:aws:sts::${ACCOUNT}:assumed-role/remediation/fn is not authorized to perform: iam:CreateRole on resource: role ${ROLE} because no identity-based policy allows the iam:CreateRole action. The remediation Lambda's role needs iam:CreateRole on ${ROLE}.`,
    });
    expect(world.roles.size).toBe(0);
  });

  it('refuses a boundary of another account before any write', async () => {
    const foreign = 'arn:aws:iam::999988887777:policy/cloudtrail-logs-guard/delivery-boundary';
    await expect(
      remediateTrail(clients, REQUEST, { timing: simulatedTiming(), permissionsBoundaryArn: foreign }),
    ).rejects.toMatchObject({
      name: 'RemediationConflictError',
      message: `Permissions boundary ${foreign} is not a managed policy of account ${ACCOUNT}, where the role is created: IAM accepts only a policy of the role's own account. Configure the delivery boundary policy of account ${ACCOUNT}.`,
    });
    expect(world.writes).toEqual([]);
  });
});
