import type { DescribeTrailsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { RuleClients } from './clients.js';
import type { DeliveryStatus } from './delivery.js';
import { TrailNotFoundError, translateAwsError, UnexpectedResponseError } from './errors.js';
import { accountOfArn, type Trail } from './evaluate.js';

/**
 * The rule's CloudTrail calls. IAM actions needed: cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus. The SDK
 * package is imported dynamically, like the client (see LazyCloudTrailClient), so only these paths load it.
 */
const cloudTrailSdk = () => import('./cloudtrail-sdk.js');

/** A DescribeTrails entry that lacks what every trail has: that trail's failure, not the listing's. */
export interface MalformedTrail {
  /** The entry's name, else its ARN, else its position in the list. */
  readonly label: string;
  /** The ids Config may know it by (its name and ARN, when present), so its stored result is not cleaned up. */
  readonly ids: readonly string[];
  readonly error: UnexpectedResponseError;
}

export interface TrailListing {
  readonly trails: Trail[];
  readonly malformed: MalformedTrail[];
}

/**
 * Every trail visible in this account and region, copies (shadow trails) included so the sweep can report
 * them NOT_APPLICABLE. DescribeTrails has no pagination: one call returns every trail. An entry without Name,
 * an ARN with an account or HomeRegion is returned apart, so that one bad entry costs only its own verdict.
 */
export async function describeTrails(clients: RuleClients): Promise<TrailListing> {
  const [client, { DescribeTrailsCommand }] = await Promise.all([clients.cloudTrail(), cloudTrailSdk()]);
  let trailList: DescribeTrailsCommandOutput['trailList'];
  try {
    ({ trailList } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
  } catch (error) {
    throw translateAwsError(error, 'cloudtrail:DescribeTrails', 'the trails of this account and region');
  }
  const listing: TrailListing = { trails: [], malformed: [] };
  for (const [index, trail] of (trailList ?? []).entries()) {
    const { Name: name, TrailARN: arn, HomeRegion: homeRegion } = trail;
    if (!name || !arn || !homeRegion || accountOfArn(arn) === undefined) {
      listing.malformed.push({
        label: name || arn || `#${index + 1} of the list`,
        ids: [name, arn].filter((id): id is string => Boolean(id)),
        error: new UnexpectedResponseError(
          'cloudtrail:DescribeTrails',
          `a trail lacks Name, a TrailARN with an account or HomeRegion (${JSON.stringify({ name, arn, homeRegion })}).`,
        ),
      });
      continue;
    }
    listing.trails.push({
      // Config's resourceId for a trail is its name in AWS's sample items (AWS-FACTS: UNCLEAR for organization
      // and shadow trails); the sweep also matches stored results by ARN and reports under the stored id.
      resourceId: name,
      name,
      arn,
      homeRegion,
      isMultiRegionTrail: trail.IsMultiRegionTrail === true,
      isOrganizationTrail: trail.IsOrganizationTrail === true,
      ...(trail.CloudWatchLogsLogGroupArn
        ? { cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn }
        : {}),
      ...(trail.CloudWatchLogsRoleArn ? { cloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn } : {}),
    });
  }
  return listing;
}

/**
 * CloudWatch Logs delivery of a trail, by ARN. The caller only asks for trails whose home region is the
 * clients' region, which is where GetTrailStatus must be called. A trail deleted since it was listed raises
 * {@link TrailNotFoundError}.
 */
export async function getTrailStatus(clients: RuleClients, trailArn: string): Promise<DeliveryStatus> {
  const [client, { GetTrailStatusCommand, TrailNotFoundException }] = await Promise.all([
    clients.cloudTrail(),
    cloudTrailSdk(),
  ]);
  try {
    const output = await client.send(new GetTrailStatusCommand({ Name: trailArn }));
    return {
      ...(output.LatestCloudWatchLogsDeliveryTime
        ? { latestDeliveryTime: output.LatestCloudWatchLogsDeliveryTime }
        : {}),
      ...(output.LatestCloudWatchLogsDeliveryError
        ? { latestDeliveryError: output.LatestCloudWatchLogsDeliveryError }
        : {}),
    };
  } catch (error) {
    if (error instanceof TrailNotFoundException) throw new TrailNotFoundError(trailArn, { cause: error });
    throw translateAwsError(error, 'cloudtrail:GetTrailStatus', `trail ${trailArn}`);
  }
}
