import {
  DescribeTrailsCommand,
  GetTrailCommand,
  type GetTrailCommandOutput,
  GetTrailStatusCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import type { CallerContext } from '../actions.js';
import { parseTrailArn } from '../arns.js';
import { awsCall, isAwsError } from '../aws-call.js';
import type { RemediationClients } from '../clients.js';
import { AwsCallError, type TrailElsewhere, TrailNotFoundError } from '../errors.js';
import type { UpdateTrailOperation } from './operations.js';
import type { DeliveryState, TrailState } from './state.js';

/**
 * The trail's AWS I/O: one function per read or write, each naming the IAM action and the resource when it
 * fails. The remediation Lambda's role needs exactly these actions for it (with log-group-api.ts, role-api.ts
 * and sts:GetCallerIdentity in remediation/clients.ts, the whole list infra grants):
 *
 * - reads: cloudtrail:GetTrail, and for organization trails only organizations:DescribeOrganization;
 *   cloudtrail:GetTrailStatus for an integrated trail; cloudtrail:DescribeTrails when a trail given by name is
 *   not found (to name its home region);
 * - writes: cloudtrail:UpdateTrail + iam:PassRole (on the role, to cloudtrail.amazonaws.com).
 */

/** GetTrail by name or ARN; TrailNotFoundError when this account and region do not know it. */
export async function readTrail(
  clients: RemediationClients,
  trail: string,
  caller: CallerContext,
): Promise<TrailState> {
  let response: GetTrailCommandOutput;
  try {
    response = await clients.cloudTrail.send(new GetTrailCommand({ Name: trail }));
  } catch (error) {
    if (isAwsError(error, 'TrailNotFoundException')) {
      const elsewhere = trail.startsWith('arn:') ? [] : await findTrailCopies(clients, trail, caller);
      throw new TrailNotFoundError(trail, caller.account, caller.region, { cause: error, elsewhere });
    }
    throw new AwsCallError('cloudtrail:GetTrail', trail, error);
  }
  const found = response.Trail;
  // HomeRegion is optional in GetTrail's model and some AWS-compatible endpoints (moto) leave it out; a trail
  // ARN always names the home region, so it is the fallback.
  const homeRegion = found?.HomeRegion ?? parseTrailArn(found?.TrailARN ?? '')?.region;
  if (found?.Name === undefined || found.TrailARN === undefined || homeRegion === undefined) {
    throw new TrailNotFoundError(trail, caller.account, caller.region);
  }
  return {
    name: found.Name,
    arn: found.TrailARN,
    homeRegion,
    isOrganizationTrail: found.IsOrganizationTrail === true,
    cloudWatchLogsLogGroupArn: found.CloudWatchLogsLogGroupArn || undefined,
    cloudWatchLogsRoleArn: found.CloudWatchLogsRoleArn || undefined,
  };
}

/**
 * The trails named `name` that this region sees only as copies (DescribeTrails with shadow trails: a multi-region
 * trail of another region, or an organization trail of another account), with where each lives.
 */
export async function findTrailCopies(
  clients: RemediationClients,
  name: string,
  caller: CallerContext,
): Promise<TrailElsewhere[]> {
  const response = await awsCall('cloudtrail:DescribeTrails', `trails named ${name}`, () =>
    clients.cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  return (response.trailList ?? []).flatMap((found) => {
    const arn = parseTrailArn(found.TrailARN ?? '');
    const homeRegion = found.HomeRegion ?? arn?.region;
    if (found.Name !== name || arn === undefined || homeRegion === undefined) return [];
    if (homeRegion === caller.region && arn.account === caller.account) return [];
    return [
      {
        arn: found.TrailARN ?? '',
        homeRegion,
        account: arn.account,
        isOrganizationTrail: found.IsOrganizationTrail === true,
      },
    ];
  });
}

/**
 * CloudTrail's last delivery to CloudWatch Logs for a trail (GetTrailStatus, called in the trail's home region).
 */
export async function readDeliveryStatus(
  clients: RemediationClients,
  trailArn: string,
): Promise<DeliveryState> {
  const response = await awsCall('cloudtrail:GetTrailStatus', trailArn, () =>
    clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trailArn })),
  );
  return {
    latestDeliveryError: response.LatestCloudWatchLogsDeliveryError || undefined,
    latestDeliveryTime: response.LatestCloudWatchLogsDeliveryTime,
  };
}

/** The organization id (o-...), for an organization trail's `<org id>_*` stream pattern. */
export async function readOrganizationId(clients: RemediationClients): Promise<string> {
  const response = await awsCall('organizations:DescribeOrganization', 'the organization', () =>
    clients.organizations.send(new DescribeOrganizationCommand({})),
  );
  const id = response.Organization?.Id;
  if (id === undefined) {
    throw new AwsCallError(
      'organizations:DescribeOrganization',
      'the organization',
      new Error('the response has no Id'),
    );
  }
  return id;
}

/**
 * The log group and role the trail names now (GetTrail by ARN), read back after UpdateTrail to verify it.
 */
export async function readTrailIntegration(
  clients: RemediationClients,
  trailArn: string,
): Promise<{ readonly logGroupArn: string | undefined; readonly roleArn: string | undefined }> {
  const response = await awsCall('cloudtrail:GetTrail', trailArn, () =>
    clients.cloudTrail.send(new GetTrailCommand({ Name: trailArn })),
  );
  return {
    logGroupArn: response.Trail?.CloudWatchLogsLogGroupArn,
    roleArn: response.Trail?.CloudWatchLogsRoleArn,
  };
}

/** UpdateTrail's error for a role CloudTrail cannot use: not propagated yet, or wrong trust or permissions. */
export function isRoleArnRejected(error: unknown): boolean {
  return isAwsError(error, 'InvalidCloudWatchLogsRoleArnException');
}

/**
 * The errors of UpdateTrail worth retrying; the SDK's standard retry mode already covers throttling and 5xx.
 * `rolePropagating` (see mayAwaitRolePropagation) says whether a rejected role may yet become usable.
 */
export function isTransientUpdateTrailError(error: unknown, rolePropagating: boolean): boolean {
  // InvalidCloudWatchLogsRoleArnException: a role created or changed recently has not propagated through IAM.
  // ConflictException: CloudTrail's reference says the trail is not ready yet or another change is under way,
  // "wait a few minutes, and then try the operation again".
  return (rolePropagating && isRoleArnRejected(error)) || isAwsError(error, 'ConflictException');
}

/** Sends UpdateTrail once; errors propagate unwrapped so the caller can decide to retry. */
export async function sendUpdateTrail(
  clients: RemediationClients,
  operation: UpdateTrailOperation,
): Promise<void> {
  await clients.cloudTrail.send(
    new UpdateTrailCommand({
      Name: operation.trailArn,
      CloudWatchLogsLogGroupArn: operation.logGroupArn,
      CloudWatchLogsRoleArn: operation.roleArn,
    }),
  );
}
