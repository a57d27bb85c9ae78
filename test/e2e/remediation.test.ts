/**
 * End-to-end: the bundled remediation Lambda (remediation/handler.ts, built from infra/bundling.ts) against
 * moto_server. Results are read back from the emulator with the AWS APIs (GetTrail, DescribeLogGroups,
 * ListTagsForResource, GetRole, ListRolePolicies, GetRolePolicy); what the handler sent is read from moto's
 * request recorder (a dry run, a second run and a refused run must send no write).
 *
 * Not covered by this tier (moto 5.2 does not implement or enforce it; the SDK-mocked tests in
 * test/remediation cover it, and nothing here fakes it):
 * - SSM Automation: the document invoking the Lambda (aws:invokeLambdaFunction) is not executed.
 * - logs:AssociateKmsKey (HTTP 500 NotImplemented): the last block's fault proxy answers it as AWS does (HTTP 200,
 *   empty body), so the KmsKeyArn payload key is run up to the call, and the key is not really associated.
 * - UpdateTrail's checks: moto accepts any log group or role ARN and never raises
 *   InvalidCloudWatchLogsRoleArnException (so the IAM-propagation retry is not run here), answers
 *   TrailNotFoundException instead of InvalidHomeRegionException outside the home region, and neither
 *   CreateTrail nor UpdateTrail checks organization-trail permissions.
 * - Value checks: moto accepts any PutRetentionPolicy days and any trust policy grammar.
 * - IAM authorization (not enforced): the Lambda role's permissions are checked by the infra tests, and every call
 *   recorded here by the least-privilege check (test/privilege).
 * - The permissions boundary's effect: moto stores a role's PermissionsBoundary (CreateRole,
 *   PutRolePermissionsBoundary, GetRole) but evaluates no policy; the infra tests evaluate the boundary.
 * - GetTrailStatus's CloudWatch Logs fields (LatestCloudWatchLogsDeliveryError, ...Time): moto never reports a
 *   delivery error, so "CloudTrail reports a delivery error" is covered by the mocked tier only; here the status
 *   is read and is clean.
 * - A role that no longer trusts CloudTrail is not refused by moto's UpdateTrail, so the re-sent UpdateTrail of a
 *   repair proves nothing about the role here (the mocked tier covers the rejection).
 * - A subscription filter's destination: moto accepts a log group ARN as destination (AWS needs a destination,
 *   Kinesis, Firehose or Lambda); the filter here only has to exist to be named and refused.
 * Known deviation: moto's GetTrail omits HomeRegion; the remediation takes the home region from the trail ARN.
 */
import { CloudTrailClient, GetTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleBehindProxy, bundleHandler } from './bundles.js';
import { isReadOnly, recordedRequests, resetRecording } from './emulator.js';
import { STAND_IN } from './principals.js';
import { ASSOCIATE_KMS_KEY_TARGET, associateKmsKeyAnswer, kmsKeyArn } from './stand-in-services.js';
import { createTrail, tamperWithOwnRole } from './trails.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const TRAIL = 'fresh-trail';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL}`;
const LOG_GROUP = `/cloudtrail-logs-guard/${TRAIL}`;
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${LOG_GROUP}`;
const ROLE = `CloudTrailToLogs-${REGION}-${TRAIL}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`;
const PROJECT_TAGS = { 'managed-by': 'cloudtrail-logs-guard', 'cloudtrail-logs-guard:trail-arn': TRAIL_ARN };

/** The trust policy remediation/integration/policies.ts documents: CloudTrail, with no confused-deputy condition. */
const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};

/** The permissions policy remediation/integration/policies.ts documents: the CloudTrail User Guide's, on this log group. */
const STREAMS = [`${LOG_GROUP_ARN}:log-stream:${ACCOUNT}_CloudTrail_${REGION}*`];
const LOGS_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AWSCloudTrailCreateLogStream',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream'],
      Resource: STREAMS,
    },
    { Sid: 'AWSCloudTrailPutLogEvents', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: STREAMS },
  ],
};

const cloudTrail = new CloudTrailClient({});
const logs = new CloudWatchLogsClient({});
const iam = new IAMClient({});

/** IAM returns policy documents URL-encoded. */
function decoded(document: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(document ?? ''));
}

async function trailIntegration() {
  const { Trail } = await cloudTrail.send(new GetTrailCommand({ Name: TRAIL_ARN }));
  return { logGroupArn: Trail?.CloudWatchLogsLogGroupArn, roleArn: Trail?.CloudWatchLogsRoleArn };
}

async function logGroupsOfProject() {
  const { logGroups } = await logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cloudtrail-logs-guard/' }),
  );
  return (logGroups ?? []).map(({ logGroupName, retentionInDays }) => ({ logGroupName, retentionInDays }));
}

async function rolesOfProject() {
  const { Roles } = await iam.send(new ListRolesCommand({ PathPrefix: '/cloudtrail-logs-guard/' }));
  return (Roles ?? []).map((role) => role.RoleName);
}

async function writesSent(endpoint: string) {
  return (await recordedRequests(endpoint))
    .filter((request) => !isReadOnly(request.operation))
    .map((request) => request.operation);
}

describe('remediation Lambda bundle against moto', () => {
  const endpoint = inject('motoEndpoint');
  let remediation: BundledHandler;

  beforeAll(async () => {
    remediation = await bundleHandler('remediation');
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  it.each([
    { given: 'name', trailName: TRAIL },
    { given: 'ARN', trailName: TRAIL_ARN },
  ])(
    'integrates a fresh trail given by $given: log group, role, both ARNs on the trail',
    async ({ trailName }) => {
      await createTrail(endpoint, { name: TRAIL, region: REGION });

      const summary = await remediation.run({ TrailName: trailName });

      expect(summary).toMatchObject({
        trail: TRAIL_ARN,
        logGroupArn: `${LOG_GROUP_ARN}:*`,
        roleArn: ROLE_ARN,
        outcome: 'REMEDIATED',
        dryRun: false,
      });
      expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
      expect(await logGroupsOfProject()).toEqual([{ logGroupName: LOG_GROUP, retentionInDays: 365 }]);
      expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: LOG_GROUP_ARN }))).tags).toEqual(
        PROJECT_TAGS,
      );
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: ROLE }));
      expect({ arn: Role?.Arn, path: Role?.Path, tags: Role?.Tags }).toEqual({
        arn: ROLE_ARN,
        path: '/cloudtrail-logs-guard/',
        tags: Object.entries(PROJECT_TAGS).map(([Key, Value]) => ({ Key, Value })),
      });
      expect(decoded(Role?.AssumeRolePolicyDocument)).toEqual(TRUST_POLICY);
      expect((await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames).toEqual([
        'cloudtrail-to-cloudwatch-logs',
      ]);
      const { PolicyDocument } = await iam.send(
        new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'cloudtrail-to-cloudwatch-logs' }),
      );
      expect(decoded(PolicyDocument)).toEqual(LOGS_POLICY);
      expect(
        (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }))).AttachedPolicies,
      ).toEqual([]);
    },
  );

  it("also allows the organization's streams for an organization trail, from DescribeOrganization", async () => {
    const { Organization } = await new OrganizationsClient({}).send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' }),
    );
    await createTrail(endpoint, { name: TRAIL, region: REGION, organization: true });

    await remediation.run({ TrailName: TRAIL });

    const { PolicyDocument } = await iam.send(
      new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'cloudtrail-to-cloudwatch-logs' }),
    );
    const streams = [...STREAMS, `${LOG_GROUP_ARN}:log-stream:${Organization?.Id}_*`];
    expect(decoded(PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailCreateLogStream',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream'],
          Resource: streams,
        },
        {
          Sid: 'AWSCloudTrailPutLogEvents',
          Effect: 'Allow',
          Action: ['logs:PutLogEvents'],
          Resource: streams,
        },
      ],
    });
    expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
  });

  it('changes nothing on a second run: it reads the trail and what it names, finds them whole and stops', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await remediation.run({ TrailName: TRAIL });
    await resetRecording(endpoint);

    const summary = await remediation.run({ TrailName: TRAIL });

    expect(summary).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: `${LOG_GROUP_ARN}:*`,
      roleArn: ROLE_ARN,
      outcome: 'ALREADY_COMPLIANT',
      actions: [],
      dryRun: false,
    });
    const operations = (await recordedRequests(endpoint)).map((request) => request.operation);
    expect(operations.slice(0, 2)).toEqual(['GetCallerIdentity', 'GetTrail']);
    expect(operations.slice(2).sort()).toEqual([
      'DescribeLogGroups',
      'GetRole',
      'GetRolePolicy',
      'GetTrailStatus',
      'ListAttachedRolePolicies',
      'ListRolePolicies',
    ]);
    expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
  });

  it('repairs an integration whose log group was deleted, never reporting it fixed while it is broken', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await remediation.run({ TrailName: TRAIL });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: LOG_GROUP }));

    const summary = await remediation.run({ TrailName: TRAIL, RetentionInDays: 731 });

    expect(summary).toMatchObject({ trail: TRAIL_ARN, outcome: 'REPAIRED' });
    expect((summary as { actions: { action: string; status: string }[] }).actions).toEqual([
      expect.objectContaining({ action: 'CreateLogGroup', status: 'applied' }),
      expect.objectContaining({ action: 'PutRetentionPolicy', status: 'applied' }),
      expect.objectContaining({ action: 'UpdateTrail', status: 'applied' }),
    ]);
    expect(await logGroupsOfProject()).toEqual([{ logGroupName: LOG_GROUP, retentionInDays: 731 }]);
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: LOG_GROUP_ARN }))).tags).toEqual(
      PROJECT_TAGS,
    );
    expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
  });

  it('refuses an integration whose operator log group was deleted, and writes nothing', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION, logGroup: true, role: true });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: `/e2e/${TRAIL}` }));
    await resetRecording(endpoint);

    const invocation = await remediation.invoke({ TrailName: TRAIL });

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'IntegrationBrokenError',
        message:
          `Trail ${TRAIL_ARN} names a CloudWatch Logs integration that is broken, and nothing was changed: log group ` +
          `/e2e/${TRAIL} does not exist: create it again (aws logs create-log-group --log-group-name /e2e/${TRAIL}) ` +
          "or remove the trail's CloudWatch Logs settings so the remediation creates its own.",
      },
    });
    expect(await writesSent(endpoint)).toEqual([]);
  });

  describe('a log group prepared under its name by someone else, with a subscription filter', () => {
    const SINK_GROUP = '/e2e/someone-elses-sink';
    const SINK_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${SINK_GROUP}:*`;

    async function prepareGroup(): Promise<void> {
      await createTrail(endpoint, { name: TRAIL, region: REGION });
      await logs.send(new CreateLogGroupCommand({ logGroupName: SINK_GROUP }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
      await logs.send(
        new PutSubscriptionFilterCommand({
          logGroupName: LOG_GROUP,
          filterName: 'copy-everything',
          filterPattern: '',
          destinationArn: SINK_ARN,
        }),
      );
      await resetRecording(endpoint);
    }

    it('is refused without the opt-in, naming the filter, and nothing is written', async () => {
      await prepareGroup();

      const invocation = await remediation.invoke({ TrailName: TRAIL });

      expect(invocation).toMatchObject({
        ok: false,
        error: {
          name: 'AdoptionRefusedError',
          message: expect.stringContaining(
            `log group ${LOG_GROUP} exists but was not created by this remediation (subscription filters: ` +
              `copy-everything -> ${SINK_ARN}; KMS key: none)`,
          ),
        },
      });
      expect(await writesSent(endpoint)).toEqual([]);
      expect(await trailIntegration()).toEqual({ logGroupArn: undefined, roleArn: undefined });
      expect(await rolesOfProject()).toEqual([]);
    });

    it('is adopted with AdoptExisting, and the summary lists where its events also go', async () => {
      await prepareGroup();

      const summary = await remediation.run({ TrailName: TRAIL, AdoptExisting: true });

      expect(summary).toMatchObject({
        outcome: 'REMEDIATED',
        adopted: [
          {
            type: 'log-group',
            name: LOG_GROUP,
            subscriptionFilters: [{ name: 'copy-everything', destinationArn: SINK_ARN }],
          },
        ],
      });
      expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
    });
  });

  it('names the home region of a multi-region trail given by name in another region', async () => {
    await createTrail(endpoint, { name: TRAIL, region: 'eu-west-1', multiRegion: true });
    await resetRecording(endpoint);

    const invocation = await remediation.invoke({ TrailName: TRAIL }, REGION);

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'TrailNotFoundError',
        message:
          `Trail ${TRAIL} was not created in account ${ACCOUNT}, region ${REGION}: this region only sees a copy of ` +
          `multi-region trail arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${TRAIL}: run the remediation in region ` +
          'eu-west-1. Nothing was changed.',
      },
    });
    expect(await writesSent(endpoint)).toEqual([]);
  });

  it('writes nothing on a dry run and reports the planned actions', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const summary = await remediation.run({ TrailName: TRAIL, DryRun: true });

    expect(summary).toMatchObject({ trail: TRAIL_ARN, outcome: 'DRY_RUN', dryRun: true });
    expect(await writesSent(endpoint)).toEqual([]);
    expect(await trailIntegration()).toEqual({ logGroupArn: undefined, roleArn: undefined });
    expect(await logGroupsOfProject()).toEqual([]);
    expect(await rolesOfProject()).toEqual([]);
  });

  it('fails on an unknown trail and creates nothing', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const invocation = await remediation.invoke({ TrailName: 'no-such-trail' });

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'TrailNotFoundError',
        message:
          'Trail no-such-trail was not found in account 123456789012, region us-east-1. Check the name or ARN, and run the remediation in the account and region where the trail was created.',
      },
    });
    expect(await writesSent(endpoint)).toEqual([]);
    expect(await logGroupsOfProject()).toEqual([]);
    expect(await rolesOfProject()).toEqual([]);
  });
});

describe('remediation Lambda bundle with a permissions boundary configured, against moto', () => {
  const endpoint = inject('motoEndpoint');
  const boundaryPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/cloudtrail-logs-guard/*:log-stream:*`,
      },
    ],
  };
  /** The boundary the stack gives the Lambda (PERMISSIONS_BOUNDARY_ARN), under CloudFormation's name stand-in. */
  const BOUNDARY = STAND_IN.deliveryBoundaryArn(ACCOUNT);
  let remediation: BundledHandler;

  beforeAll(async () => {
    remediation = await bundleHandler('remediation');
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  async function createBoundaryPolicy(): Promise<void> {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'delivery-boundary',
        Path: '/cloudtrail-logs-guard/',
        PolicyDocument: JSON.stringify(boundaryPolicy),
      }),
    );
    expect(Policy?.Arn).toBe(BOUNDARY);
  }

  async function boundaryOfRole() {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: ROLE }));
    return Role?.PermissionsBoundary;
  }

  it('creates the role with the boundary the environment names', async () => {
    await createBoundaryPolicy();
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const summary = await remediation.run({ TrailName: TRAIL });

    expect(summary).toMatchObject({ trail: TRAIL_ARN, roleArn: ROLE_ARN, outcome: 'REMEDIATED' });
    expect(await boundaryOfRole()).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: BOUNDARY,
    });
    expect(await writesSent(endpoint)).toEqual([
      'CreateLogGroup',
      'PutRetentionPolicy',
      'CreateRole',
      'PutRolePolicy',
      'UpdateTrail',
    ]);
    expect(await trailIntegration()).toEqual({ logGroupArn: `${LOG_GROUP_ARN}:*`, roleArn: ROLE_ARN });
  });

  it('puts the boundary on an existing role without one before writing to it', async () => {
    await createBoundaryPolicy();
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    // A role an earlier version created (tagged as the remediation's), before the boundary existed.
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE,
        Path: '/cloudtrail-logs-guard/',
        AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY),
        Tags: Object.entries(PROJECT_TAGS).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    await resetRecording(endpoint);

    await remediation.run({ TrailName: TRAIL });

    expect(await boundaryOfRole()).toEqual({
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: BOUNDARY,
    });
    expect(await writesSent(endpoint)).toEqual([
      'CreateLogGroup',
      'PutRetentionPolicy',
      'PutRolePermissionsBoundary',
      'PutRolePolicy',
      'UpdateTrail',
    ]);
  });

  it('lists the boundary on a dry run and writes nothing', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await resetRecording(endpoint);

    const summary = await remediation.run({ TrailName: TRAIL, DryRun: true });

    expect(summary).toMatchObject({ outcome: 'DRY_RUN' });
    expect((summary as { actions: { action: string; detail: string }[] }).actions).toContainEqual({
      action: 'CreateRole',
      resource: ROLE,
      status: 'planned',
      detail: `role does not exist; created with permissions boundary ${BOUNDARY}`,
    });
    expect(await writesSent(endpoint)).toEqual([]);
  });
});

describe('remediation Lambda bundle against moto, when a log group is created between its read and its create', () => {
  const endpoint = inject('motoEndpoint');
  const logs = new CloudWatchLogsClient({ region: REGION });
  let remediation: BundledHandler;
  let tagsOfTheIntruder: Record<string, string> | undefined;

  beforeAll(async () => {
    // Just before moto receives the remediation's CreateLogGroup, someone else creates the group: moto then answers
    // ResourceAlreadyExistsException, as AWS does.
    remediation = await bundleBehindProxy(
      'remediation',
      'single-account',
      endpoint,
      async (call, forward) => {
        if (call.target?.endsWith('.CreateLogGroup') === true && tagsOfTheIntruder !== undefined) {
          const tags = tagsOfTheIntruder;
          tagsOfTheIntruder = undefined;
          await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP, tags }));
        }
        return forward();
      },
    );
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  it('does not adopt it: refuses, and points the trail at nothing', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    tagsOfTheIntruder = {};

    const invocation = await remediation.invoke({ TrailName: TRAIL });

    expect(invocation.ok).toBe(false);
    if (invocation.ok) return;
    expect(invocation.error.name).toBe('AdoptionRefusedError');
    expect(invocation.error.message).toContain(
      `log group ${LOG_GROUP} exists but was not created by this remediation (subscription filters: none; KMS key: none); it was created while this run was under way`,
    );
    const { Trail } = await new CloudTrailClient({ region: REGION }).send(
      new GetTrailCommand({ Name: TRAIL }),
    );
    expect(Trail?.CloudWatchLogsLogGroupArn).toBeUndefined();
    const { tags } = await logs.send(new ListTagsForResourceCommand({ resourceArn: LOG_GROUP_ARN }));
    expect(tags).toEqual({});
  });

  it('goes on with one that carries its tag (another run of its own)', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    tagsOfTheIntruder = PROJECT_TAGS;

    const summary = (await remediation.run({ TrailName: TRAIL })) as { outcome: string; logGroupArn: string };

    expect(summary.outcome).toBe('REMEDIATED');
    const { Trail } = await new CloudTrailClient({ region: REGION }).send(
      new GetTrailCommand({ Name: TRAIL }),
    );
    expect(Trail?.CloudWatchLogsLogGroupArn).toBe(`${LOG_GROUP_ARN}:*`);
  });
});

describe('remediation Lambda bundle behind a fault proxy, against moto', () => {
  const endpoint = inject('motoEndpoint');
  let remediation: BundledHandler;

  beforeAll(async () => {
    // moto 5.2 answers AssociateKmsKey with NotImplemented; the proxy answers as AWS does (stand-in-services.ts).
    remediation = await bundleBehindProxy('remediation', 'single-account', endpoint, async (call, forward) =>
      call.target === ASSOCIATE_KMS_KEY_TARGET ? associateKmsKeyAnswer() : forward(),
    );
  });

  afterAll(async () => {
    await remediation?.dispose();
  });

  it('repairs the role it created after someone widened its trust and gave it policies of their own', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await remediation.run({ TrailName: TRAIL });
    await tamperWithOwnRole(TRAIL, REGION);

    const summary = (await remediation.run({ TrailName: TRAIL })) as {
      outcome: string;
      actions: { action: string; status: string }[];
    };

    expect(summary.outcome).toBe('REPAIRED');
    expect(
      summary.actions.filter((action) => action.status === 'applied').map((action) => action.action),
    ).toEqual(expect.arrayContaining(['UpdateAssumeRolePolicy', 'DeleteRolePolicy', 'DetachRolePolicy']));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: ROLE }));
    expect(decoded(Role?.AssumeRolePolicyDocument)).toEqual(TRUST_POLICY);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames).toEqual([
      'cloudtrail-to-cloudwatch-logs',
    ]);
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ROLE }))).AttachedPolicies,
    ).toEqual([]);
  });

  it('associates the KMS key it is given with the log group it creates', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    const key = kmsKeyArn(REGION, ACCOUNT);

    const summary = (await remediation.run({ TrailName: TRAIL, KmsKeyArn: key })) as {
      outcome: string;
      actions: { action: string; status: string; detail: string }[];
    };

    expect(summary.outcome).toBe('REMEDIATED');
    expect(summary.actions).toContainEqual(
      expect.objectContaining({ action: 'AssociateKmsKey', status: 'applied', detail: 'key associated' }),
    );
  });
});
