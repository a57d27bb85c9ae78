import {
  CloudTrailClient,
  CreateTrailCommand,
  DescribeTrailsCommand,
  GetTrailCommand,
  type Trail,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CREATED_BY_TAGS } from '../../common/project.js';
import { logGroupNameFor, ROLE_PATH, roleNameFor, TRAIL_TAG_KEY } from '../../remediation/definition.js';
import { ACCOUNT_ID } from './config-events.js';
import { createBucket, EmulatorError } from './emulator.js';

/**
 * Arranges trails in the emulator through the real APIs (S3 bucket, CreateTrail, UpdateTrail), with a real
 * log group and role behind the ARNs a trail is given, and reads them back as CloudTrail reports them.
 */

export const TRAIL_BUCKET = 'e2e-trail-bucket';

export interface TrailSetup {
  readonly name: string;
  readonly region: string;
  readonly multiRegion?: boolean;
  /** An organization trail (moto does not check that the account manages an organization). */
  readonly organization?: boolean;
  /** Integration to set with UpdateTrail after CreateTrail. */
  readonly logGroup?: boolean;
  readonly role?: boolean;
}

export function logGroupArnOf(name: string, region: string): string {
  return `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:/e2e/${name}:*`;
}

export function roleArnOf(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/e2e-${name}`;
}

/** The trust policy of the roles made for trails: CloudTrail may assume them. */
export const CLOUDTRAIL_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

/** Creates the bucket (once per clean emulator is enough; repeated creation is accepted) and the trail. */
export async function createTrail(endpoint: string, setup: TrailSetup): Promise<void> {
  await createBucket(endpoint, TRAIL_BUCKET);
  const cloudTrail = new CloudTrailClient({ region: setup.region });
  await cloudTrail.send(
    new CreateTrailCommand({
      Name: setup.name,
      S3BucketName: TRAIL_BUCKET,
      IsMultiRegionTrail: setup.multiRegion ?? false,
      IsOrganizationTrail: setup.organization ?? false,
    }),
  );
  if (!setup.logGroup && !setup.role) return;
  if (setup.logGroup) {
    await new CloudWatchLogsClient({ region: setup.region }).send(
      new CreateLogGroupCommand({ logGroupName: `/e2e/${setup.name}` }),
    );
  }
  if (setup.role) {
    await new IAMClient({}).send(
      new CreateRoleCommand({ RoleName: `e2e-${setup.name}`, AssumeRolePolicyDocument: CLOUDTRAIL_TRUST }),
    );
  }
  await cloudTrail.send(
    new UpdateTrailCommand({
      Name: setup.name,
      ...(setup.logGroup ? { CloudWatchLogsLogGroupArn: logGroupArnOf(setup.name, setup.region) } : {}),
      ...(setup.role ? { CloudWatchLogsRoleArn: roleArnOf(setup.name) } : {}),
    }),
  );
}

/** The trail as DescribeTrails in `region` returns it (a shadow copy when `region` is not its home). */
export async function describeTrail(name: string, homeRegion: string, region: string): Promise<Trail> {
  const trailArn = `arn:aws:cloudtrail:${homeRegion}:${ACCOUNT_ID}:trail/${name}`;
  const { trailList } = await new CloudTrailClient({ region }).send(
    new DescribeTrailsCommand({ includeShadowTrails: true }),
  );
  const trail = trailList?.find((candidate) => candidate.TrailARN === trailArn);
  if (trail === undefined) throw new EmulatorError(`the emulator lists no trail ${trailArn} in ${region}`);
  return trail;
}

/**
 * What a remediation can have written for a trail: the trail's two ARNs, and the project's log groups and roles
 * (read back with GetTrail, DescribeLogGroups and ListRoles).
 */
export async function remediationState(trailArn: string) {
  const { Trail } = await new CloudTrailClient({}).send(new GetTrailCommand({ Name: trailArn }));
  const { logGroups } = await new CloudWatchLogsClient({}).send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cloudtrail-logs-guard/' }),
  );
  const { Roles } = await new IAMClient({}).send(
    new ListRolesCommand({ PathPrefix: '/cloudtrail-logs-guard/' }),
  );
  return {
    logGroupArn: Trail?.CloudWatchLogsLogGroupArn,
    roleArn: Trail?.CloudWatchLogsRoleArn,
    logGroups: logGroups ?? [],
    roles: Roles ?? [],
  };
}

/** {@link remediationState} of an unintegrated trail on which the remediation wrote nothing. */
export const NOTHING_WRITTEN = { logGroupArn: undefined, roleArn: undefined, logGroups: [], roles: [] };

/** Where a subscription filter of a prepared log group sends its events (moto accepts a log group ARN). */
function sinkArnOf(region: string): string {
  return `arn:aws:logs:${region}:${ACCOUNT_ID}:log-group:/e2e/someone-elses-sink:*`;
}

/**
 * The log group the remediation would create for `trail`, created first by someone else, with a subscription
 * filter that copies every event to their sink: what the remediation must refuse to adopt.
 */
export async function prepareForeignLogGroup(trail: string, region: string): Promise<void> {
  const logs = new CloudWatchLogsClient({ region });
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/e2e/someone-elses-sink' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: logGroupNameFor(trail) }));
  await logs.send(
    new PutSubscriptionFilterCommand({
      logGroupName: logGroupNameFor(trail),
      filterName: 'copy-everything',
      filterPattern: '',
      destinationArn: sinkArnOf(region),
    }),
  );
}

/**
 * The remediation's role for `trail` as an earlier version created it: under its path, tagged as the
 * remediation's, without a permissions boundary.
 */
export async function createOwnRoleWithoutBoundary(
  trailArn: string,
  trail: string,
  region: string,
): Promise<void> {
  await new IAMClient({}).send(
    new CreateRoleCommand({
      RoleName: roleNameFor(trail, region),
      Path: ROLE_PATH,
      AssumeRolePolicyDocument: CLOUDTRAIL_TRUST,
      Tags: Object.entries({ ...CREATED_BY_TAGS, [TRAIL_TAG_KEY]: trailArn }).map(([Key, Value]) => ({
        Key,
        Value,
      })),
    }),
  );
}

/**
 * Someone changes the remediation's role for `trail`: a trust policy that also lets EC2 assume it, an inline
 * policy of their own and an attached managed policy. The remediation must undo all three.
 */
export async function tamperWithOwnRole(trail: string, region: string): Promise<void> {
  const iam = new IAMClient({});
  const RoleName = roleNameFor(trail, region);
  await iam.send(
    new UpdateAssumeRolePolicyCommand({
      RoleName,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['cloudtrail.amazonaws.com', 'ec2.amazonaws.com'] },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
  const everything = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
  });
  await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'e2e-extra', PolicyDocument: everything }));
  const { Policy } = await iam.send(
    new CreatePolicyCommand({ PolicyName: 'e2e-attached', PolicyDocument: everything }),
  );
  await iam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: Policy?.Arn }));
}
