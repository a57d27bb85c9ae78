import {
  type AggregateEvaluationResult,
  type ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  GetAggregateConfigRuleComplianceSummaryCommand,
} from '@aws-sdk/client-config-service';
import { AggregatorReadError } from './errors.js';

/**
 * The reads of a Config aggregator that `report` and `report --coverage` share, each to its last page. Every
 * call needs its `config:` action on the aggregator (resource type ConfigurationAggregator) in the
 * aggregator's account and region. The three list calls below document that "the results can return an
 * empty result page, but if you have a nextToken, the results are displayed on the next page" (Config API
 * reference), so each loop follows NextToken, never the size of a page.
 */

/** The rule's compliance in one account and region, as the aggregator holds it. */
export interface RuleCompliance {
  readonly accountId: string;
  readonly region: string;
  /** COMPLIANT, NON_COMPLIANT or INSUFFICIENT_DATA (the Compliance data type); undefined when Config gave none. */
  readonly compliance?: string;
}

/** One row of the aggregator's source status: an account (or the organization) in one region. */
export interface SourceStatus {
  /** The account id, or the organization for an organization source. */
  readonly sourceId: string;
  /** ACCOUNT or ORGANIZATION. */
  readonly sourceType?: string;
  readonly region: string;
  /** SUCCEEDED, FAILED or OUTDATED. */
  readonly status?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** DescribeAggregateComplianceByConfigRules: "Valid Range: Minimum value of 0. Maximum value of 1000." */
const COMPLIANCE_PAGE_SIZE = 1000;
/** GetAggregateComplianceDetailsByConfigRule accepts at most 100 results a page. */
const DETAILS_PAGE_SIZE = 100;
/** DescribeConfigurationAggregatorSourcesStatus: "Valid Range: Minimum value of 0. Maximum value of 100." */
const SOURCES_PAGE_SIZE = 100;
/** GetAggregateConfigRuleComplianceSummary: "You cannot specify a number greater than 1000." */
const SUMMARY_PAGE_SIZE = 1000;

/**
 * The error of a failed read of `aggregator`: the call and its error, told as every failed call is
 * (cli/error-report.ts), with advice of its own for an aggregator that does not exist.
 */
export function aggregatorReadError(aggregator: string, action: string, error: unknown): AggregatorReadError {
  const name = error instanceof Error ? error.name : '';
  const advice =
    name === 'NoSuchConfigurationAggregatorException'
      ? "Aggregators are listed by aws configservice describe-configuration-aggregators; run report with the credentials and --region of the aggregator's account."
      : undefined;
  return new AggregatorReadError(aggregator, `config:${action}`, error, advice);
}

/** Calls `read` page after page until no NextToken comes back; any failure becomes an {@link AggregatorReadError}. */
async function everyPage<T>(
  aggregator: string,
  action: string,
  read: (nextToken: string | undefined) => Promise<{ readonly items: readonly T[]; readonly next?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await read(nextToken);
      items.push(...page.items);
      nextToken = page.next;
    } while (nextToken);
  } catch (error) {
    throw aggregatorReadError(aggregator, action, error);
  }
  return items;
}

/**
 * Where the aggregator holds compliance of `rule`, one entry per account and region, from
 * DescribeAggregateComplianceByConfigRules filtered on the rule name. That call "does not display rules that
 * do not have compliance results" (Config API reference), so an account and region missing here has none.
 */
export async function readRuleCompliance(
  client: ConfigServiceClient,
  aggregator: string,
  rule: string,
): Promise<RuleCompliance[]> {
  const entries = await everyPage(aggregator, 'DescribeAggregateComplianceByConfigRules', async (token) => {
    const page = await client.send(
      new DescribeAggregateComplianceByConfigRulesCommand({
        ConfigurationAggregatorName: aggregator,
        Filters: { ConfigRuleName: rule },
        Limit: COMPLIANCE_PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: page.AggregateComplianceByConfigRules ?? [], ...nextOf(page.NextToken) };
  });
  const byPlace = new Map<string, RuleCompliance>();
  for (const entry of entries) {
    // The filter is the service's; an entry of another rule or without a place is not this rule's result.
    if (entry.ConfigRuleName !== rule || entry.AccountId === undefined || entry.AwsRegion === undefined) {
      continue;
    }
    const compliance = entry.Compliance?.ComplianceType;
    byPlace.set(`${entry.AccountId}/${entry.AwsRegion}`, {
      accountId: entry.AccountId,
      region: entry.AwsRegion,
      ...(compliance === undefined ? {} : { compliance }),
    });
  }
  return [...byPlace.values()];
}

/**
 * Every source status row of the aggregator (DescribeConfigurationAggregatorSourcesStatus, all update
 * statuses): one per account or organization source and region.
 */
export async function readSourceStatuses(
  client: ConfigServiceClient,
  aggregator: string,
): Promise<SourceStatus[]> {
  const rows = await everyPage(aggregator, 'DescribeConfigurationAggregatorSourcesStatus', async (token) => {
    const page = await client.send(
      new DescribeConfigurationAggregatorSourcesStatusCommand({
        ConfigurationAggregatorName: aggregator,
        Limit: SOURCES_PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: page.AggregatedSourceStatusList ?? [], ...nextOf(page.NextToken) };
  });
  return rows.flatMap((row): SourceStatus[] =>
    row.SourceId === undefined || row.AwsRegion === undefined
      ? []
      : [
          {
            sourceId: row.SourceId,
            region: row.AwsRegion,
            ...(row.SourceType === undefined ? {} : { sourceType: row.SourceType }),
            ...(row.LastUpdateStatus === undefined ? {} : { status: row.LastUpdateStatus }),
            ...(row.LastErrorCode === undefined ? {} : { errorCode: row.LastErrorCode }),
            ...(row.LastErrorMessage === undefined ? {} : { errorMessage: row.LastErrorMessage }),
          },
        ],
  );
}

/**
 * The accounts in which the aggregator holds results of any Config rule (GetAggregateConfigRuleComplianceSummary
 * grouped by ACCOUNT_ID, whose GroupName is "the 12-digit account ID"): the accounts it knows beyond its
 * account sources, for when the organization's account list cannot be read.
 */
export async function readAccountsWithRuleResults(
  client: ConfigServiceClient,
  aggregator: string,
): Promise<string[]> {
  const groups = await everyPage(aggregator, 'GetAggregateConfigRuleComplianceSummary', async (token) => {
    const page = await client.send(
      new GetAggregateConfigRuleComplianceSummaryCommand({
        ConfigurationAggregatorName: aggregator,
        GroupByKey: 'ACCOUNT_ID',
        Limit: SUMMARY_PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: page.AggregateComplianceCounts ?? [], ...nextOf(page.NextToken) };
  });
  return groups.flatMap((group) => (group.GroupName === undefined ? [] : [group.GroupName]));
}

/**
 * Every result of `rule` the aggregator holds for one account and region (GetAggregateComplianceDetailsByConfigRule
 * wants one account and region per call), the trails' and the account-level ones alike.
 */
export async function readRuleResults(
  client: ConfigServiceClient,
  aggregator: string,
  rule: string,
  { accountId, region }: { readonly accountId: string; readonly region: string },
): Promise<AggregateEvaluationResult[]> {
  return everyPage(aggregator, 'GetAggregateComplianceDetailsByConfigRule', async (token) => {
    const page = await client.send(
      new GetAggregateComplianceDetailsByConfigRuleCommand({
        ConfigurationAggregatorName: aggregator,
        ConfigRuleName: rule,
        AccountId: accountId,
        AwsRegion: region,
        Limit: DETAILS_PAGE_SIZE,
        ...(token === undefined ? {} : { NextToken: token }),
      }),
    );
    return { items: page.AggregateEvaluationResults ?? [], ...nextOf(page.NextToken) };
  });
}

function nextOf(token: string | undefined): { next?: string } {
  return token === undefined ? {} : { next: token };
}
