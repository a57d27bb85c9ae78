import { type AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { RegionSelection } from './args.js';
import { RegionListError } from './errors.js';
import { classifyAwsError, describeFailure } from './failure.js';

/** ListRegions returns at most 50 regions a page. */
const LIST_REGIONS_PAGE_SIZE = 50;

/**
 * The account's enabled regions (opted in, or enabled by default) from account:ListRegions, which answers
 * exactly that question.
 */
export async function listEnabledRegions(client: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListRegionsCommand({
        RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
        MaxResults: LIST_REGIONS_PAGE_SIZE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const region of page.Regions ?? []) {
      if (region.RegionName !== undefined) regions.push(region.RegionName);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return regions;
}

/**
 * The same list from ec2:DescribeRegions, which without `AllRegions` "describes the Regions that are enabled
 * for your account" (EC2 API reference, DescribeRegions): the fallback for credentials that may not call
 * account:ListRegions, which many read-only roles predate.
 */
export async function describeEnabledRegions(client: EC2Client): Promise<string[]> {
  // The EC2 SDK is loaded only for this fallback: most scans never need it (see cli/aws-clients.ts).
  const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const { Regions } = await client.send(new DescribeRegionsCommand({}));
  return (Regions ?? []).flatMap((region) => (region.RegionName === undefined ? [] : [region.RegionName]));
}

/** The clients region discovery may use, created only when asked for. */
export interface RegionSources {
  readonly account: () => Promise<AccountClient>;
  readonly ec2: () => Promise<EC2Client>;
}

/**
 * The regions a scan covers, sorted: the named ones, else every enabled region of the account
 * (account:ListRegions, falling back to ec2:DescribeRegions). When both fail, the error names each call and
 * why it failed.
 */
export async function resolveRegions(selection: RegionSelection, sources: RegionSources): Promise<string[]> {
  if (selection.kind === 'list') return [...selection.regions];
  let listError: unknown;
  try {
    return (await listEnabledRegions(await sources.account())).sort();
  } catch (error) {
    listError = error;
  }
  if (classifyAwsError(listError).cause === 'region') {
    throw new RegionListError(
      "could not list the account's enabled regions: no region is configured to ask in. Set AWS_REGION, AWS_DEFAULT_REGION or a region in your profile, or name the regions with --region.",
      { cause: listError },
    );
  }
  try {
    return (await describeEnabledRegions(await sources.ec2())).sort();
  } catch (error) {
    throw new RegionListError(
      `could not list the account's enabled regions: account:ListRegions failed (${describeFailure(classifyAwsError(listError))}) and ec2:DescribeRegions failed (${describeFailure(classifyAwsError(error))}). Grant either action, or name the regions with --region.`,
      { cause: error },
    );
  }
}
