import { RULE_NAME } from '../../rule/definition.js';
import recorded from '../fixtures/cli/coverage/organization.json' with { type: 'json' };
import { type FaultProxy, type ProxiedResponse, startFaultProxy } from './fault-proxy.js';

/**
 * A Config aggregator and an organization for `report` and `report --coverage`, which moto does not implement:
 * a fault proxy in front of moto answers their calls over the wire, page by page as the services do, from the
 * recording test/cli/coverage-run.test.ts runs on (test/fixtures/cli/coverage/organization.json, whose README
 * gives each shape's source), and forwards every other call to moto. The recording has no evaluation details;
 * `DETAILS` gives the trails behind each account-region's recorded compliance (as many NON_COMPLIANT trails as
 * its ComplianceContributorCount).
 */

export const AGGREGATOR = 'organization';

const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';
const NO_ROLE =
  'Configured without a role: the trail names log group /x but no role for CloudTrail to write to it.';

interface Evaluation {
  readonly account: string;
  readonly region: string;
  readonly trail: string;
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
  readonly annotation?: string;
}

/** GetAggregateComplianceDetailsByConfigRule's results, one per evaluated trail. */
const DETAILS: readonly Evaluation[] = [
  { account: '111111111111', region: 'us-east-1', trail: 'management-events', compliance: 'COMPLIANT' },
  {
    account: '111111111111',
    region: 'eu-west-1',
    trail: 'logs',
    compliance: 'NON_COMPLIANT',
    annotation: NO_ROLE,
  },
  { account: '222222222222', region: 'us-east-1', trail: 'audit', compliance: 'COMPLIANT' },
  { account: '222222222222', region: 'eu-west-1', trail: 'audit-eu', compliance: 'COMPLIANT' },
  {
    account: '333333333333',
    region: 'us-east-1',
    trail: 'app-events',
    compliance: 'NON_COMPLIANT',
    annotation: NOT_CONFIGURED,
  },
  {
    account: '333333333333',
    region: 'us-east-1',
    trail: 'data-events',
    compliance: 'NON_COMPLIANT',
    annotation: NOT_CONFIGURED,
  },
  { account: '333333333333', region: 'eu-west-1', trail: 'prod-eu', compliance: 'COMPLIANT' },
  { account: '333333333333', region: 'eu-west-1', trail: 'organization-wide', compliance: 'NOT_APPLICABLE' },
];

type Page = { readonly NextToken?: string } & Record<string, unknown>;

/** The JSON protocols send timestamps as epoch seconds: the recording's ISO strings, converted. */
function onTheWire(page: Page): Page {
  return JSON.parse(JSON.stringify(page), (key, value) =>
    /(Time|Timestamp)$/.test(key) && typeof value === 'string' ? Date.parse(value) / 1000 : value,
  ) as Page;
}

/** A JSON-protocol answer (Content-Type application/x-amz-json-1.1). */
function answer(status: number, body: object): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

/** The page `token` points to, as the service serves them: the first without a token. */
function pageFor(pages: readonly Page[], token: unknown): Page | undefined {
  let expected: string | undefined;
  for (const page of pages) {
    if (token === expected) return page;
    expected = page.NextToken;
  }
  return undefined;
}

function paged(pages: readonly Page[], input: Record<string, unknown>, keep?: (page: Page) => Page) {
  const page = pageFor(pages, input.NextToken);
  if (page === undefined) {
    return answer(400, {
      __type: 'InvalidNextTokenException',
      message: `The nextToken ${input.NextToken} is invalid.`,
    });
  }
  return answer(200, onTheWire(keep === undefined ? page : keep(page)));
}

/** DescribeAggregateComplianceByConfigRules honours its ConfigRuleName filter: another rule matches nothing. */
function ofRule(input: Record<string, unknown>) {
  const rule = (input.Filters as { ConfigRuleName?: string } | undefined)?.ConfigRuleName;
  return (page: Page): Page => ({
    ...page,
    AggregateComplianceByConfigRules: (
      page.AggregateComplianceByConfigRules as { ConfigRuleName?: string }[]
    ).filter((entry) => rule === undefined || entry.ConfigRuleName === rule),
  });
}

function details(input: Record<string, unknown>): ProxiedResponse {
  return answer(200, {
    AggregateEvaluationResults: DETAILS.filter(
      (e) =>
        input.ConfigRuleName === RULE_NAME && e.account === input.AccountId && e.region === input.AwsRegion,
    ).map((e) => ({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: RULE_NAME,
          ResourceType: 'AWS::CloudTrail::Trail',
          ResourceId: e.trail,
        },
      },
      ComplianceType: e.compliance,
      ...(e.annotation === undefined ? {} : { Annotation: e.annotation }),
      AccountId: e.account,
      AwsRegion: e.region,
    })),
  });
}

const CONFIG_CALLS = new Set([
  'DescribeConfigurationAggregatorSourcesStatus',
  'DescribeAggregateComplianceByConfigRules',
  'GetAggregateComplianceDetailsByConfigRule',
  'GetAggregateConfigRuleComplianceSummary',
]);

/** Starts the proxy in front of moto at `upstream`. Any aggregator but `organization` does not exist. */
export function startConfigAggregator(upstream: string): Promise<FaultProxy> {
  return startFaultProxy(upstream, async (call, forward) => {
    const input = () => (call.body === '' ? {} : (JSON.parse(call.body) as Record<string, unknown>));
    if (call.target === 'AWSOrganizationsV20161128.ListAccounts')
      return paged(recorded.ListAccounts, input());
    if (call.operation === undefined || !CONFIG_CALLS.has(call.operation)) return forward();
    const request = input();
    if (request.ConfigurationAggregatorName !== AGGREGATOR) {
      return answer(400, {
        __type: 'NoSuchConfigurationAggregatorException',
        message:
          'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
      });
    }
    switch (call.operation) {
      case 'DescribeConfigurationAggregatorSourcesStatus':
        return paged(recorded.DescribeConfigurationAggregatorSourcesStatus, request);
      case 'DescribeAggregateComplianceByConfigRules':
        return paged(recorded.DescribeAggregateComplianceByConfigRules, request, ofRule(request));
      case 'GetAggregateConfigRuleComplianceSummary':
        return paged(recorded.GetAggregateConfigRuleComplianceSummary, request);
      default:
        return details(request);
    }
  });
}
