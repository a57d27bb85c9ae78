import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderSummary } from '../../cli/remediation.js';
import { CREATED_BY_TAGS } from '../../common/project.js';
import { remediationRoleArn, trailLogGroupArn } from '../../remediation/arns.js';
import { logGroupNameFor, roleNameFor } from '../../remediation/definition.js';
import { cloudTrailLogsPolicy, cloudTrailTrustPolicy } from '../../remediation/integration/policies.js';
import type { RemediationSummary } from '../../remediation/remediate.js';
import { FakeInterrupts, runInMemory } from './in-memory.js';
import { serviceError } from './sdk-errors.js';

const cloudTrail = mockClient(CloudTrailClient);
const logs = mockClient(CloudWatchLogsClient);
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const organizations = mockClient(OrganizationsClient);
const mocks = [cloudTrail, logs, iam, sts, organizations];

const ME = '111122223333';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ME}:trail/plain`;
const LOG_GROUP_ARN = trailLogGroupArn('aws', 'us-east-1', ME, logGroupNameFor('plain'));
const ROLE_ARN = remediationRoleArn('aws', ME, roleNameFor('plain', 'us-east-1'));
const PLAIN = { Name: 'plain', TrailARN: TRAIL_ARN, HomeRegion: 'us-east-1', IsOrganizationTrail: false };
const INTEGRATED = { ...PLAIN, CloudWatchLogsLogGroupArn: LOG_GROUP_ARN, CloudWatchLogsRoleArn: ROLE_ARN };

function writeCount(): number {
  return [
    logs.commandCalls(CreateLogGroupCommand),
    logs.commandCalls(PutRetentionPolicyCommand),
    iam.commandCalls(CreateRoleCommand),
    iam.commandCalls(PutRolePolicyCommand),
    cloudTrail.commandCalls(UpdateTrailCommand),
  ].reduce((total, calls) => total + calls.length, 0);
}

function awsCalls(): number {
  return mocks.reduce((total, mock) => total + mock.calls().length, 0);
}

/** A fresh trail: no log group, no role; the writes succeed and the trail then reads back integrated. */
function freshTrail(): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
  cloudTrail.on(GetTrailCommand).resolves({ Trail: PLAIN });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
  iam.on(GetRoleCommand).rejects(serviceError('NoSuchEntityException', 'no such role'));
  cloudTrail.on(UpdateTrailCommand).callsFake(() => {
    cloudTrail.on(GetTrailCommand).resolves({ Trail: INTEGRATED });
    return {};
  });
}

/** An integrated trail whose log group and role (the remediation's own) are whole, and no delivery error. */
function wholeIntegration(): void {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
  cloudTrail.on(GetTrailCommand).resolves({ Trail: INTEGRATED });
  cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: logGroupNameFor('plain') }] });
  const policy = cloudTrailLogsPolicy({
    partition: 'aws',
    region: 'us-east-1',
    account: ME,
    logGroupName: logGroupNameFor('plain'),
    organizationId: undefined,
  });
  iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: roleNameFor('plain', 'us-east-1'),
      RoleId: 'AROAEXAMPLE',
      Arn: ROLE_ARN,
      Path: '/cloudtrail-logs-guard/',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(cloudTrailTrustPolicy())),
      Tags: Object.entries(CREATED_BY_TAGS).map(([Key, Value]) => ({ Key, Value })),
    },
  });
  iam
    .on(ListRolePoliciesCommand)
    .resolves({ PolicyNames: ['cloudtrail-to-cloudwatch-logs'], IsTruncated: false });
  iam.on(GetRolePolicyCommand).resolves({
    RoleName: roleNameFor('plain', 'us-east-1'),
    PolicyName: 'cloudtrail-to-cloudwatch-logs',
    PolicyDocument: encodeURIComponent(JSON.stringify(policy)),
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [], IsTruncated: false });
}

const PLANNED = [
  ['CreateLogGroup', 'planned'],
  ['PutRetentionPolicy', 'planned'],
  ['CreateRole', 'planned'],
  ['PutRolePolicy', 'planned'],
  ['UpdateTrail', 'planned'],
];
const APPLIED = PLANNED.map(([action]) => [action, 'applied']);

function actions(summary: RemediationSummary): string[][] {
  return summary.actions.map((action) => [action.action, action.status]);
}

beforeEach(() => {
  for (const mock of mocks) mock.reset();
});

describe('plan', () => {
  it.each([
    ['changes pending', () => freshTrail(), ['--detailed-exitcode'], 3],
    ['changes pending, without --detailed-exitcode', () => freshTrail(), [], 0],
    ['nothing to change', () => wholeIntegration(), ['--detailed-exitcode'], 0],
  ])('exits as the plan says with %s', async (_name, arrange, flags, code) => {
    arrange();
    const run = await runInMemory(['plan', 'plain', ...flags]);
    expect(run.code).toBe(code);
    expect(run.stderr).toBe('');
  });

  it("prints the remediation's dry run and writes nothing", async () => {
    freshTrail();
    const run = await runInMemory(['plan', 'plain', '--output', 'json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as RemediationSummary;
    expect({ ...summary, actions: actions(summary) }).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'DRY_RUN',
      actions: PLANNED,
      dryRun: true,
    });
    expect(writeCount()).toBe(0);
  });

  it('works in the region of a trail ARN', async () => {
    freshTrail();
    await runInMemory(['plan', 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/plain']);
    const regions = await Promise.all(
      cloudTrail
        .commandCalls(GetTrailCommand)
        .map((call) => (call.thisValue as CloudTrailClient).config.region()),
    );
    expect(regions).toEqual(['eu-west-1']);
  });

  it('tells to add --region when the trail seen is a copy of a multi-region trail', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
    cloudTrail.on(GetTrailCommand).resolves({ Trail: { ...PLAIN, HomeRegion: 'eu-west-1' } });
    await expect(runInMemory(['plan', 'plain'])).resolves.toEqual({
      code: 1,
      stdout: '',
      stderr: `cloudtrail-logs-guard plan: Trail ${TRAIL_ARN} is a copy of a multi-region trail in region us-east-1; its home region is eu-west-1. Nothing was changed: run it with --region eu-west-1, or give the trail ARN.\n`,
    });
  });
});

describe('plan and fix name what to change on the command line', () => {
  it.each([
    [
      'an unknown trail',
      () =>
        cloudTrail
          .on(GetTrailCommand)
          .rejects(serviceError('TrailNotFoundException', 'not found'))
          .on(DescribeTrailsCommand)
          .resolves({ trailList: [] }),
      `Trail plain was not found in account ${ME}, region us-east-1. Check the name or ARN, and run it with the credentials (--profile) and --region of the account and region where the trail was created.`,
    ],
    [
      'a trail this region sees only as a copy of a multi-region trail',
      () =>
        cloudTrail
          .on(GetTrailCommand)
          .rejects(serviceError('TrailNotFoundException', 'not found'))
          .on(DescribeTrailsCommand)
          .resolves({
            trailList: [
              {
                ...PLAIN,
                TrailARN: `arn:aws:cloudtrail:eu-west-1:${ME}:trail/plain`,
                HomeRegion: 'eu-west-1',
              },
            ],
          }),
      `Trail plain was not created in account ${ME}, region us-east-1: this region only sees a copy of multi-region trail arn:aws:cloudtrail:eu-west-1:${ME}:trail/plain: run it with --region eu-west-1, or give the trail ARN. Nothing was changed.`,
    ],
    [
      "another account's organization trail",
      () =>
        cloudTrail.on(GetTrailCommand).resolves({
          Trail: {
            ...PLAIN,
            TrailARN: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/plain',
            IsOrganizationTrail: true,
          },
        }),
      `Trail arn:aws:cloudtrail:us-east-1:999988887777:trail/plain belongs to account 999988887777, not to account ${ME} whose credentials you run with (an organization trail seen from a member account). Nothing was changed: run it with the credentials of account 999988887777 (--profile).`,
    ],
  ])('for %s', async (_name, arrange, message) => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: ME });
    arrange();
    for (const argv of [
      ['plan', 'plain'],
      ['fix', 'plain', '--yes'],
    ]) {
      await expect(runInMemory(argv)).resolves.toEqual({
        code: 1,
        stdout: '',
        stderr: `cloudtrail-logs-guard ${argv[0]}: ${message}\n`,
      });
    }
    expect(writeCount()).toBe(0);
  });
});

describe('fix', () => {
  it('refuses without --yes when stdin is not a terminal, before any AWS call', async () => {
    freshTrail();
    await expect(runInMemory(['fix', 'plain'], { stdinIsTTY: false })).resolves.toEqual({
      code: 2,
      stdout: '',
      stderr:
        "cloudtrail-logs-guard fix: refusing to change trail plain without --yes: stdin is not a terminal to confirm on (run 'cloudtrail-logs-guard fix --help')\n",
    });
    expect(awsCalls()).toBe(0);
  });

  it.each(['n\n', '\n', ''])('changes nothing when the operator answers %j', async (answer) => {
    freshTrail();
    const run = await runInMemory(['fix', 'plain'], { stdinIsTTY: true, stdin: answer });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`Trail ${TRAIL_ARN}: 5 changes planned (dry run: nothing was changed).`);
    expect(run.stderr).toContain(`Apply 5 changes to trail ${TRAIL_ARN}? [y/N] `);
    expect(
      run.stderr.endsWith(
        `cloudtrail-logs-guard fix: nothing was changed: the changes to trail ${TRAIL_ARN} were not confirmed\n`,
      ),
    ).toBe(true);
    expect(writeCount()).toBe(0);
  });

  it('applies the plan it showed once the operator answers y, and verifies it', async () => {
    freshTrail();
    const run = await runInMemory(['fix', 'plain', '--output', 'json'], { stdinIsTTY: true, stdin: 'y\n' });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as RemediationSummary;
    expect({ outcome: summary.outcome, actions: actions(summary) }).toEqual({
      outcome: 'REMEDIATED',
      actions: APPLIED,
    });
    expect(cloudTrail.commandCalls(UpdateTrailCommand).map((call) => call.args[0].input)).toEqual([
      { Name: TRAIL_ARN, CloudWatchLogsLogGroupArn: LOG_GROUP_ARN, CloudWatchLogsRoleArn: ROLE_ARN },
    ]);
    expect(logs.commandCalls(PutRetentionPolicyCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupName: '/cloudtrail-logs-guard/plain', retentionInDays: 365 },
    ]);
  });

  it('applies without asking with --yes, with the retention asked for', async () => {
    freshTrail();
    const run = await runInMemory(['fix', 'plain', '--yes', '--retention-days', '731']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe(
      `Trail ${TRAIL_ARN}: 5 changes applied; the trail now sends to CloudWatch Logs.`,
    );
    expect(
      logs.commandCalls(PutRetentionPolicyCommand).map((call) => call.args[0].input.retentionInDays),
    ).toEqual([731]);
  });

  it('does nothing and asks nothing for a trail that already sends to CloudWatch Logs', async () => {
    wholeIntegration();
    await expect(runInMemory(['fix', 'plain'], { stdinIsTTY: true })).resolves.toEqual({
      code: 0,
      stdout: `Trail ${TRAIL_ARN} already sends to CloudWatch Logs, and its log group, role and delivery are whole: nothing to do.\n\nLog group: ${LOG_GROUP_ARN}\nRole:      ${ROLE_ARN}\n`,
      stderr: '',
    });
    expect(writeCount()).toBe(0);
  });

  it('repairs an integration whose log group was deleted and exits 0', async () => {
    wholeIntegration();
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    const run = await runInMemory(['fix', 'plain', '--yes']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(
      `Trail ${TRAIL_ARN}: 3 repairs applied; the log group and role it names are whole again.`,
    );
    expect(logs.commandCalls(CreateLogGroupCommand).map((call) => call.args[0].input.logGroupName)).toEqual([
      logGroupNameFor('plain'),
    ]);
  });

  it.each([
    ['plan', ['plan', 'plain']],
    ['fix', ['fix', 'plain', '--yes']],
  ])('%s refuses a log group it did not create, exits 1 and writes nothing', async (_, argv) => {
    freshTrail();
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: logGroupNameFor('plain') }] });
    logs.on(ListTagsForResourceCommand).resolves({ tags: {} });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({
      subscriptionFilters: [
        { filterName: 'all', destinationArn: 'arn:aws:logs:us-east-1:999988887777:destination:d' },
      ],
    });
    const run = await runInMemory(argv);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `cloudtrail-logs-guard ${argv[0]}: Trail ${TRAIL_ARN} was not changed: log group /cloudtrail-logs-guard/plain exists but was not created by this remediation (subscription filters: all -> arn:aws:logs:us-east-1:999988887777:destination:d; KMS key: none). The remediation reuses only what carries its tag managed-by=cloudtrail-logs-guard. Delete or rename what you do not trust and run the same command again, or, after checking where it sends events, run it with --adopt-existing to use it as it is.\n`,
    });
    expect(writeCount()).toBe(0);
  });

  it('adopts it with --adopt-existing and prints where its events also go', async () => {
    freshTrail();
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [{ logGroupName: logGroupNameFor('plain'), retentionInDays: 365 }],
    });
    logs.on(ListTagsForResourceCommand).resolves({ tags: {} });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({
      subscriptionFilters: [
        { filterName: 'all', destinationArn: 'arn:aws:logs:us-east-1:999988887777:destination:d' },
      ],
    });
    const run = await runInMemory(['fix', 'plain', '--yes', '--adopt-existing']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Adopted log group /cloudtrail-logs-guard/plain (not created by the fix): events also go to subscription filters all -> arn:aws:logs:us-east-1:999988887777:destination:d; KMS key none.\n',
    );
    expect(logs.commandCalls(CreateLogGroupCommand)).toHaveLength(0);
  });

  it('prints where the events of a reused tagged log group also go (a tag can be forged)', async () => {
    freshTrail();
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [{ logGroupName: logGroupNameFor('plain'), retentionInDays: 365 }],
    });
    logs.on(ListTagsForResourceCommand).resolves({ tags: { ...CREATED_BY_TAGS } });
    logs.on(DescribeSubscriptionFiltersCommand).resolves({
      subscriptionFilters: [
        { filterName: 'all', destinationArn: 'arn:aws:logs:us-east-1:999988887777:destination:d' },
      ],
    });
    const run = await runInMemory(['plan', 'plain']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Reused log group /cloudtrail-logs-guard/plain (it carries the fix's tag managed-by=cloudtrail-logs-guard, which anyone allowed to tag it can set): events also go to subscription filters all -> arn:aws:logs:us-east-1:999988887777:destination:d; KMS key none.\n",
    );
  });

  it("names the permission the operator's credentials lack", async () => {
    freshTrail();
    logs.on(CreateLogGroupCommand).rejects(serviceError('AccessDeniedException', 'User is not authorized'));
    await expect(runInMemory(['fix', 'plain', '--yes'])).resolves.toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'cloudtrail-logs-guard fix: logs:CreateLogGroup on /cloudtrail-logs-guard/plain in us-east-1 failed: AccessDeniedException: User is not authorized. Grant logs:CreateLogGroup on /cloudtrail-logs-guard/plain to the credentials you run with, or check that no SCP denies it in this region.',
        'Applied before the failure:',
        '  (none)',
        'Remaining:',
        '  CreateLogGroup /cloudtrail-logs-guard/plain',
        '  PutRetentionPolicy /cloudtrail-logs-guard/plain',
        '  CreateRole CloudTrailToLogs-us-east-1-plain',
        '  PutRolePolicy CloudTrailToLogs-us-east-1-plain/cloudtrail-to-cloudwatch-logs',
        `  UpdateTrail ${TRAIL_ARN}`,
        'Run the same fix again to finish: steps already applied are not repeated.',
        '',
      ].join('\n'),
    });
  });

  it('lists what a fix that failed partway applied and what remains, and a re-run finishes it', async () => {
    freshTrail();
    // The log group is created; then the role cannot be.
    logs.on(CreateLogGroupCommand).callsFake(() => {
      logs.on(DescribeLogGroupsCommand).resolves({
        logGroups: [
          {
            logGroupName: '/cloudtrail-logs-guard/plain',
            arn: LOG_GROUP_ARN,
            retentionInDays: 365,
          },
        ],
      });
      logs.on(ListTagsForResourceCommand).resolves({ tags: { ...CREATED_BY_TAGS } });
      logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
      return {};
    });
    iam.on(CreateRoleCommand).rejects(serviceError('Throttling', 'Rate exceeded', 400));
    const failed = await runInMemory(['fix', 'plain', '--yes']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr.split('\n').slice(1)).toEqual([
      'Applied before the failure:',
      '  CreateLogGroup /cloudtrail-logs-guard/plain',
      '  PutRetentionPolicy /cloudtrail-logs-guard/plain',
      'Remaining:',
      '  CreateRole CloudTrailToLogs-us-east-1-plain',
      '  PutRolePolicy CloudTrailToLogs-us-east-1-plain/cloudtrail-to-cloudwatch-logs',
      `  UpdateTrail ${TRAIL_ARN}`,
      'Run the same fix again to finish: steps already applied are not repeated.',
      '',
    ]);

    iam.on(CreateRoleCommand).resolves({});
    const rerun = await runInMemory(['fix', 'plain', '--yes', '--output', 'json']);
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as RemediationSummary;
    expect(actions(summary).filter(([, status]) => status === 'applied')).toEqual([
      ['CreateRole', 'applied'],
      ['PutRolePolicy', 'applied'],
      ['UpdateTrail', 'applied'],
    ]);
    expect(logs.commandCalls(CreateLogGroupCommand)).toHaveLength(1);
  });

  it('prints a failed fix as a JSON error object with what it applied and what remains, with --output json', async () => {
    freshTrail();
    logs.on(CreateLogGroupCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded', 400));
    const run = await runInMemory(['fix', 'plain', '--yes', '--output', 'json']);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as {
      error: object;
      applied: unknown[];
      remaining: { action: string }[];
    };
    expect(output.error).toEqual({
      command: 'fix',
      message:
        'logs:CreateLogGroup on /cloudtrail-logs-guard/plain in us-east-1 failed: HTTP 400 ThrottlingException: Rate exceeded. AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.',
      exitCode: 1,
      operation: 'logs:CreateLogGroup',
      resource: '/cloudtrail-logs-guard/plain',
      region: 'us-east-1',
      cause: 'throttling',
      code: 'ThrottlingException',
      httpStatus: 400,
    });
    expect(output.applied).toEqual([]);
    expect(output.remaining.map((action) => action.action)).toEqual(PLANNED.map(([action]) => action));
  });

  it('says what was applied is unknown when the trail cannot be read again after the failure', async () => {
    freshTrail();
    logs.on(CreateLogGroupCommand).callsFake(() => {
      cloudTrail.on(GetTrailCommand).rejects(Object.assign(new Error('gone'), { code: 'ECONNRESET' }));
      throw Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
    });
    const run = await runInMemory(['fix', 'plain', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').slice(1, 3)).toEqual([
      'Applied before the failure: unknown (the trail could not be read again).',
      'Planned:',
    ]);
  });
});

describe('fix, interrupted', () => {
  const ERASE = '\r\u001b[2K';

  /** The writes of a fresh trail succeed, the role's after `onCreateRole` ran. */
  function interruptedAtCreateRole(onCreateRole: () => void): void {
    freshTrail();
    logs.on(CreateLogGroupCommand).resolves({});
    logs.on(PutRetentionPolicyCommand).resolves({});
    iam.on(CreateRoleCommand).callsFake(() => {
      onCreateRole();
      return {};
    });
  }

  it('lists what was applied, what was under way and what remains when SIGINT comes during CreateRole', async () => {
    const interrupts = new FakeInterrupts();
    interruptedAtCreateRole(() => interrupts.send('SIGINT'));
    const run = await runInMemory(['fix', 'plain', '--yes'], { interrupts });
    expect(run.stderr).toBe(
      [
        `cloudtrail-logs-guard fix: interrupted (SIGINT) while changing trail ${TRAIL_ARN}.`,
        'Applied before the interrupt:',
        '  CreateLogGroup /cloudtrail-logs-guard/plain',
        '  PutRetentionPolicy /cloudtrail-logs-guard/plain',
        'In progress when interrupted (it may or may not have taken effect):',
        '  CreateRole CloudTrailToLogs-us-east-1-plain',
        'Remaining:',
        '  PutRolePolicy CloudTrailToLogs-us-east-1-plain/cloudtrail-to-cloudwatch-logs',
        `  UpdateTrail ${TRAIL_ARN}`,
        'Run the same fix again to finish: steps already applied are not repeated.',
        '',
      ].join('\n'),
    );
    // main.ts ends the process after the report; in memory the fix goes on, and the trap is released after it.
    expect(interrupts.send('SIGINT')).toBe(false);
  });

  it('prints the same as a JSON error object on stdout with --output json, with the exit code of the signal', async () => {
    const interrupts = new FakeInterrupts();
    interruptedAtCreateRole(() => interrupts.send('SIGTERM'));
    const run = await runInMemory(['fix', 'plain', '--yes', '--output', 'json'], { interrupts });
    const action = (name: string, resource: string) => expect.objectContaining({ action: name, resource });
    const [interrupted] = run.stdout.split(/(?<=^\})\n/m);
    expect(JSON.parse(interrupted ?? '')).toEqual({
      error: {
        command: 'fix',
        message: `interrupted (SIGTERM) while changing trail ${TRAIL_ARN}.`,
        exitCode: 143,
      },
      applied: [
        action('CreateLogGroup', '/cloudtrail-logs-guard/plain'),
        action('PutRetentionPolicy', '/cloudtrail-logs-guard/plain'),
      ],
      inProgress: [action('CreateRole', 'CloudTrailToLogs-us-east-1-plain')],
      remaining: [
        action('PutRolePolicy', 'CloudTrailToLogs-us-east-1-plain/cloudtrail-to-cloudwatch-logs'),
        action('UpdateTrail', TRAIL_ARN),
      ],
    });
  });

  it('says nothing was changed when the signal comes while the trail is read', async () => {
    const interrupts = new FakeInterrupts();
    freshTrail();
    cloudTrail.on(GetTrailCommand).callsFake(() => {
      interrupts.send('SIGINT');
      return { Trail: PLAIN };
    });
    logs.on(CreateLogGroupCommand).resolves({});
    const run = await runInMemory(['fix', 'plain', '--yes'], { interrupts });
    expect(run.stderr).toBe(
      'cloudtrail-logs-guard fix: interrupted (SIGINT) before any change to trail plain: nothing was changed.\n',
    );
  });

  it('leaves plan to end as any program does on a signal: it changes nothing', async () => {
    const interrupts = new FakeInterrupts();
    let trapped: boolean | undefined;
    freshTrail();
    cloudTrail.on(GetTrailCommand).callsFake(() => {
      trapped = interrupts.send('SIGINT');
      return { Trail: PLAIN };
    });
    await runInMemory(['plan', 'plain'], { interrupts });
    expect(trapped).toBe(false);
  });

  it('says, on a terminal, that it waits for IAM to propagate the new role, and for how long at most', async () => {
    freshTrail();
    logs.on(CreateLogGroupCommand).resolves({});
    cloudTrail
      .on(UpdateTrailCommand)
      .rejectsOnce(
        serviceError(
          'InvalidCloudWatchLogsRoleArnException',
          'Access denied. Verify in IAM that the role has adequate permissions.',
        ),
      )
      .callsFake(() => {
        cloudTrail.on(GetTrailCommand).resolves({ Trail: INTEGRATED });
        return {};
      });
    const run = await runInMemory(['fix', 'plain', '--yes'], { stderrIsTTY: true });
    expect(run.code).toBe(0);
    const lines = run.stderr
      .split(ERASE)
      .flatMap((part) => part.split('\n'))
      .filter((line) => line !== '');
    expect(lines).toContain(
      `Waiting for IAM to make role ${ROLE_ARN} usable by CloudTrail (UpdateTrail is retried for at most 120 s)...`,
    );
    expect(run.stderr.match(/Waiting for IAM/g)).toHaveLength(1);
  });
});

describe('renderSummary', () => {
  const summary: RemediationSummary = {
    trail: TRAIL_ARN,
    logGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:/g:*',
    roleArn: 'arn:aws:iam::111122223333:role/r',
    outcome: 'DRY_RUN',
    actions: [
      { action: 'CreateLogGroup', resource: '/g', status: 'planned', detail: 'log group does not exist' },
      { action: 'PutRetentionPolicy', resource: '/g', status: 'skipped', detail: 'kept' },
    ],
    dryRun: true,
  };

  it('prints a headline, the actions and the ARNs', () => {
    expect(renderSummary(summary, 'table')).toBe(
      [
        `Trail ${TRAIL_ARN}: 1 change planned (dry run: nothing was changed).`,
        '',
        'STATUS   ACTION              RESOURCE  DETAIL',
        'planned  CreateLogGroup      /g        log group does not exist',
        'skipped  PutRetentionPolicy  /g        kept',
        '',
        'Log group: arn:aws:logs:us-east-1:111122223333:log-group:/g:*',
        'Role:      arn:aws:iam::111122223333:role/r',
        '',
      ].join('\n'),
    );
  });

  it('prints the summary itself as JSON', () => {
    expect(JSON.parse(renderSummary(summary, 'json'))).toEqual(summary);
  });
});
