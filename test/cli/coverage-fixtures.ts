import {
  type ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  type DescribeAggregateComplianceByConfigRulesCommandOutput,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  type DescribeConfigurationAggregatorSourcesStatusCommandOutput,
  GetAggregateConfigRuleComplianceSummaryCommand,
  type GetAggregateConfigRuleComplianceSummaryCommandOutput,
  InvalidNextTokenException,
} from '@aws-sdk/client-config-service';
import {
  InvalidInputException,
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import recorded from '../fixtures/cli/coverage/organization.json' with { type: 'json' };

/**
 * The recorded answers of test/fixtures/cli/coverage/organization.json, as the SDK returns them (its
 * timestamps as Date), and a way to serve them page by page as the service does: each call gets the page its
 * NextToken points to, whatever the page sizes, and a token the service never gave is refused.
 */

/** The SDK turns every timestamp of these outputs into a Date. */
function revive<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, field) =>
    /(Time|Timestamp)$/.test(key) && typeof field === 'string' ? new Date(field) : field,
  ) as T;
}

export interface RecordedCoverage {
  DescribeConfigurationAggregatorSourcesStatus: DescribeConfigurationAggregatorSourcesStatusCommandOutput[];
  DescribeAggregateComplianceByConfigRules: DescribeAggregateComplianceByConfigRulesCommandOutput[];
  ListAccounts: ListAccountsCommandOutput[];
  GetAggregateConfigRuleComplianceSummary: GetAggregateConfigRuleComplianceSummaryCommandOutput[];
}

/** A fresh copy of the recording, to change with one edit per test. */
export function recordedCoverage(): RecordedCoverage {
  return revive(recorded) as unknown as RecordedCoverage;
}

/** Serves `pages` by NextToken: the first without one, each next one for the token the page before gave. */
export function byToken<P extends { readonly NextToken?: string | undefined }>(
  pages: readonly P[],
  refuse: (token: string) => Error,
): (input: { readonly NextToken?: string | undefined }) => P {
  const pageFor = new Map<string | undefined, P>();
  let token: string | undefined;
  for (const page of pages) {
    pageFor.set(token, page);
    token = page.NextToken;
  }
  return (input) => {
    const page = pageFor.get(input.NextToken);
    if (page === undefined) throw refuse(String(input.NextToken));
    return page;
  };
}

const badConfigToken = (token: string) =>
  new InvalidNextTokenException({ message: `The nextToken ${token} is invalid.`, $metadata: {} });

/** Serves the recording's Config answers from `config`. */
export function serveConfig(config: AwsClientStub<ConfigServiceClient>, record: RecordedCoverage) {
  config
    .on(DescribeConfigurationAggregatorSourcesStatusCommand)
    .callsFake(byToken(record.DescribeConfigurationAggregatorSourcesStatus, badConfigToken));
  config
    .on(DescribeAggregateComplianceByConfigRulesCommand)
    .callsFake(byToken(record.DescribeAggregateComplianceByConfigRules, badConfigToken));
  config
    .on(GetAggregateConfigRuleComplianceSummaryCommand)
    .callsFake(byToken(record.GetAggregateConfigRuleComplianceSummary, badConfigToken));
}

/** Serves the recording's account list from `organizations`. */
export function serveAccounts(organizations: AwsClientStub<OrganizationsClient>, record: RecordedCoverage) {
  organizations.on(ListAccountsCommand).callsFake(
    byToken(
      record.ListAccounts,
      (token) =>
        new InvalidInputException({
          message: `You provided a value that does not match the required pattern: NextToken ${token}`,
          $metadata: {},
        }),
    ),
  );
}
