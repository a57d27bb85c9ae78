import type { DescribeLogGroupsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import type { RuleClients } from './clients.js';
import { translateAwsError } from './errors.js';
import { accountOfArn, logGroupNameOfArn } from './evaluate.js';

/**
 * When the log group and the role a trail names were created, where AWS gives it in one call: DescribeLogGroups'
 * `creationTime` and GetRole's `CreateDate`. A log group or role deleted and created again under the same name
 * keeps the trail's ARNs unchanged, so Config's history cannot show it; its creation time can. IAM actions
 * needed: logs:DescribeLogGroups, iam:GetRole. The SDK packages load on first use (see rule/clients.ts).
 */

/** DescribeLogGroups' `creationTime` of the log group of that exact name; undefined when it does not exist. */
async function logGroupCreatedAt(clients: RuleClients, logGroupArn: string): Promise<Date | undefined> {
  const name = logGroupNameOfArn(logGroupArn);
  const [client, { DescribeLogGroupsCommand }] = await Promise.all([clients.logs(), import('./logs-sdk.js')]);
  let nextToken: string | undefined;
  do {
    let page: DescribeLogGroupsCommandOutput;
    try {
      // A prefix also matches longer names; at most one group has this exact name.
      page = await client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }));
    } catch (error) {
      throw translateAwsError(error, 'logs:DescribeLogGroups', `log group ${name}`);
    }
    const group = page.logGroups?.find((candidate) => candidate.logGroupName === name);
    if (group !== undefined)
      return group.creationTime === undefined ? undefined : new Date(group.creationTime);
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/** GetRole's `CreateDate`; undefined when the role does not exist. */
async function roleCreatedAt(clients: RuleClients, roleArn: string): Promise<Date | undefined> {
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const [client, { GetRoleCommand, NoSuchEntityException }] = await Promise.all([
    clients.iam(),
    import('./iam-sdk.js'),
  ]);
  try {
    return (await client.send(new GetRoleCommand({ RoleName: roleName }))).Role?.CreateDate;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return undefined;
    throw translateAwsError(error, 'iam:GetRole', `role ${roleArn}`);
  }
}

/**
 * The creation times of the trail's log group and role that AWS reports, for those in the trail's own account
 * (the clients' account: CloudTrail takes a log group and role of the trail's account); a resource that does not
 * exist has none.
 */
export async function integrationCreatedAt(
  clients: RuleClients,
  trail: {
    readonly arn: string;
    readonly cloudWatchLogsLogGroupArn: string;
    readonly cloudWatchLogsRoleArn: string;
  },
): Promise<Date[]> {
  const account = accountOfArn(trail.arn);
  const own = (arn: string) => accountOfArn(arn) === account;
  const times = await Promise.all([
    own(trail.cloudWatchLogsLogGroupArn)
      ? logGroupCreatedAt(clients, trail.cloudWatchLogsLogGroupArn)
      : undefined,
    own(trail.cloudWatchLogsRoleArn) ? roleCreatedAt(clients, trail.cloudWatchLogsRoleArn) : undefined,
  ]);
  return times.filter((time): time is Date => time !== undefined);
}
