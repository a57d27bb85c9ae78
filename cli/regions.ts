import { type AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import type { RegionSelection } from './args.js';
import { describeError, RegionListError } from './errors.js';

/** ListRegions returns at most 50 regions a page. */
const LIST_REGIONS_PAGE_SIZE = 50;

/**
 * The account's enabled regions (opted in, or enabled by default), sorted. account:ListRegions answers
 * exactly that question; EC2's DescribeRegions would too, but through a much larger SDK client.
 */
export async function listEnabledRegions(client: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  let nextToken: string | undefined;
  try {
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
  } catch (error) {
    throw new RegionListError(
      `--all-regions could not list the account's enabled regions (account:ListRegions): ${describeError(error)}. Grant account:ListRegions or name the regions with --region.`,
      { cause: error },
    );
  }
  return regions.sort();
}

/**
 * The regions a scan covers. `defaultRegion` reads the SDK's configured region (AWS_REGION, the profile);
 * it is asked only when no region was named.
 */
export async function resolveRegions(
  selection: RegionSelection,
  account: () => AccountClient,
  defaultRegion: () => Promise<string>,
): Promise<string[]> {
  switch (selection.kind) {
    case 'list':
      return [...selection.regions];
    case 'all':
      return listEnabledRegions(account());
    case 'default':
      try {
        return [await defaultRegion()];
      } catch (error) {
        throw new RegionListError(
          'no region to scan: pass --region REGION (repeatable) or --all-regions, or set AWS_REGION or a region in your profile',
          { cause: error },
        );
      }
  }
}
