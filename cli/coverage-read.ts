import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { readAccountsWithRuleResults, readRuleCompliance, readSourceStatuses } from './aggregator-api.js';
import type { AccountList, CoverageInput } from './coverage.js';
import { classifyAwsError, describeFailure } from './failure.js';
import { isAccountListRefused, listOrganizationAccounts } from './organization-accounts.js';

export interface CoverageClients {
  /** Config in the aggregator's account and region. */
  readonly config: ConfigServiceClient;
  readonly organizations: OrganizationsClient;
}

export interface CoverageRequest {
  readonly aggregator: string;
  readonly rule: string;
  /** `--region`; undefined takes the regions of the aggregator's sources. */
  readonly regions?: readonly string[];
}

/**
 * The organization's accounts, or, when these credentials may not list them, the accounts the aggregator
 * knows in rule results (GetAggregateConfigRuleComplianceSummary), with the refusal kept for the report to say.
 */
async function accountList(clients: CoverageClients, aggregator: string): Promise<AccountList> {
  try {
    return { source: 'organizations', accounts: await listOrganizationAccounts(clients.organizations) };
  } catch (error) {
    if (!isAccountListRefused(error)) throw error;
    return {
      source: 'aggregator',
      accountIds: await readAccountsWithRuleResults(clients.config, aggregator),
      refusal: describeFailure(classifyAwsError(error)),
    };
  }
}

/**
 * Everything `report --coverage` judges, read once: the aggregator's source status first (an aggregator that
 * does not exist fails there, before anything else is read), the rule's compliance, then the accounts.
 */
export async function readCoverageInput(
  clients: CoverageClients,
  request: CoverageRequest,
): Promise<CoverageInput> {
  const sources = await readSourceStatuses(clients.config, request.aggregator);
  const compliance = await readRuleCompliance(clients.config, request.aggregator, request.rule);
  const accounts = await accountList(clients, request.aggregator);
  return {
    aggregator: request.aggregator,
    rule: request.rule,
    accounts,
    ...(request.regions === undefined ? {} : { regions: request.regions }),
    sources,
    compliance,
  };
}
