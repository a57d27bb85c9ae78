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
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
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
