import { RULE_NAME } from '../../rule/definition.js';
import recorded from '../fixtures/cli/coverage/organization.json' with { type: 'json' };
import { type FaultProxy, type ProxiedCall, type ProxiedResponse, startFaultProxy } from './fault-proxy.js';
import { jsonAnswer, requestBody } from './json-protocol.js';

/**
 * A Config aggregator and an organization for `report` and `report --coverage`, which moto 5.2 does not
 * implement, answered on the wire by a fault proxy in front of moto as the services answer them (AWS Config and
 * Organizations API references: JSON 1.1, epoch-second timestamps, pages joined by NextToken). A test either
 * serves evaluations of its own (`aggregatorAnswer`) or the recorded pages test/cli/coverage-run.test.ts runs on
 * (`recordedPageAnswer`, test/fixtures/cli/coverage/organization.json, whose README gives each shape's source);
 * `startConfigAggregator` serves the recording whole, with `DETAILS` as its evaluation details.
 */

/** The aggregator `startConfigAggregator` serves; any other does not exist. */
export const AGGREGATOR = 'organization';

/** `X-Amz-Target`s of the aggregator reads of `report`. */
export const AGGREGATOR_TARGETS = {
  describe: 'StarlingDoveService.DescribeAggregateComplianceByConfigRules',
  details: 'StarlingDoveService.GetAggregateComplianceDetailsByConfigRule',
} as const;

/** `X-Amz-Target`s of the reads of `report --coverage`. */
export const COVERAGE_TARGETS = {
  sources: 'StarlingDoveService.DescribeConfigurationAggregatorSourcesStatus',
  compliance: 'StarlingDoveService.DescribeAggregateComplianceByConfigRules',
  summary: 'StarlingDoveService.GetAggregateConfigRuleComplianceSummary',
  accounts: 'AWSOrganizationsV20161128.ListAccounts',
} as const;

/** One evaluation an aggregator holds. */
export interface AggregatedEvaluation {
  readonly accountId: string;
  readonly region: string;
  readonly rule: string;
  readonly trail: string;
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';
  readonly annotation?: string;
  /** When Config recorded it; without it the result carries no timestamps, as the recording's details have none. */
  readonly recordedAt?: Date;
}

/** The pages of each recorded read, keyed by operation, as test/fixtures/cli/coverage/organization.json holds them. */
export type RecordedPages = Readonly<Record<string, readonly Record<string, unknown>[]>>;

const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';
const NO_ROLE =
  'Configured without a role: the trail names log group /x but no role for CloudTrail to write to it.';

/**
 * The evaluation details behind the recording's compliance of each account-region (the recording has none): as
 * many NON_COMPLIANT trails as its ComplianceContributorCount.
 */
const RECORDED_TRAILS: readonly Omit<AggregatedEvaluation, 'rule'>[] = [
  { accountId: '111111111111', region: 'us-east-1', trail: 'management-events', compliance: 'COMPLIANT' },
  {
    accountId: '111111111111',
    region: 'eu-west-1',
    trail: 'logs',
    compliance: 'NON_COMPLIANT',
    annotation: NO_ROLE,
  },
  { accountId: '222222222222', region: 'us-east-1', trail: 'audit', compliance: 'COMPLIANT' },
  { accountId: '222222222222', region: 'eu-west-1', trail: 'audit-eu', compliance: 'COMPLIANT' },
  {
    accountId: '333333333333',
    region: 'us-east-1',
    trail: 'app-events',
    compliance: 'NON_COMPLIANT',
    annotation: NOT_CONFIGURED,
  },
  {
    accountId: '333333333333',
    region: 'us-east-1',
    trail: 'data-events',
    compliance: 'NON_COMPLIANT',
    annotation: NOT_CONFIGURED,
  },
  { accountId: '333333333333', region: 'eu-west-1', trail: 'prod-eu', compliance: 'COMPLIANT' },
  {
    accountId: '333333333333',
    region: 'eu-west-1',
    trail: 'organization-wide',
    compliance: 'NOT_APPLICABLE',
  },
];
const DETAILS = RECORDED_TRAILS.map((evaluation) => ({ ...evaluation, rule: RULE_NAME }));

/** NoSuchConfigurationAggregatorException for a call naming another aggregator than `aggregator`, else undefined. */
function unknownAggregatorAnswer(call: ProxiedCall, aggregator: string): ProxiedResponse | undefined {
  if (requestBody(call).ConfigurationAggregatorName === aggregator) return undefined;
  return jsonAnswer(400, {
    __type: 'NoSuchConfigurationAggregatorException',
    message:
      'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
  });
}

/** The ConfigRuleName filter of DescribeAggregateComplianceByConfigRules: a rule it names, or undefined for all. */
function filteredRule(call: ProxiedCall): string | undefined {
  return (requestBody(call).Filters as { ConfigRuleName?: string } | undefined)?.ConfigRuleName;
}

/** DescribeAggregateComplianceByConfigRules from `evaluations`: (rule, account, region) with their compliance. */
function complianceByRuleAnswer(
  call: ProxiedCall,
  evaluations: readonly AggregatedEvaluation[],
): ProxiedResponse {
  const rule = filteredRule(call);
  const places = new Map<string, AggregatedEvaluation[]>();
  for (const evaluation of evaluations.filter((candidate) => rule === undefined || candidate.rule === rule)) {
    const key = `${evaluation.rule} ${evaluation.accountId} ${evaluation.region}`;
    places.set(key, [...(places.get(key) ?? []), evaluation]);
  }
  return jsonAnswer(200, {
    AggregateComplianceByConfigRules: [...places.values()].map((group) => {
      const [first] = group as [AggregatedEvaluation];
      return {
        ConfigRuleName: first.rule,
        AccountId: first.accountId,
        AwsRegion: first.region,
        Compliance: {
          ComplianceType: group.some((item) => item.compliance === 'NON_COMPLIANT')
            ? 'NON_COMPLIANT'
            : 'COMPLIANT',
        },
      };
    }),
  });
}

/** GetAggregateComplianceDetailsByConfigRule from `evaluations`: those of the rule, account and region asked for. */
function detailsAnswer(call: ProxiedCall, evaluations: readonly AggregatedEvaluation[]): ProxiedResponse {
  const body = requestBody(call);
  return jsonAnswer(200, {
    AggregateEvaluationResults: evaluations
      .filter(
        (evaluation) =>
          evaluation.rule === body.ConfigRuleName &&
          evaluation.accountId === body.AccountId &&
          evaluation.region === body.AwsRegion,
      )
      .map((evaluation) => {
        const recordedAt =
          evaluation.recordedAt === undefined ? undefined : evaluation.recordedAt.getTime() / 1000;
        return {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: evaluation.rule,
              ResourceType: 'AWS::CloudTrail::Trail',
              ResourceId: evaluation.trail,
            },
            ...(recordedAt === undefined ? {} : { OrderingTimestamp: recordedAt }),
          },
          ComplianceType: evaluation.compliance,
          ...(recordedAt === undefined
            ? {}
            : { ResultRecordedTime: recordedAt, ConfigRuleInvokedTime: recordedAt }),
          ...(evaluation.annotation === undefined ? {} : { Annotation: evaluation.annotation }),
          AccountId: evaluation.accountId,
          AwsRegion: evaluation.region,
        };
      }),
  });
}

/**
 * An organization aggregator's stored results of the rule, one page per call: DescribeAggregateComplianceByConfigRules
 * lists (rule, account, region) with a compliance summary, GetAggregateComplianceDetailsByConfigRule the
 * evaluations of one account and region (AWS Config API reference, both operations). An unknown aggregator gets
 * NoSuchConfigurationAggregatorException.
 */
export function aggregatorAnswer(
  call: ProxiedCall,
  aggregator: string,
  evaluations: readonly AggregatedEvaluation[],
): ProxiedResponse {
  return (
    unknownAggregatorAnswer(call, aggregator) ??
    (call.target === AGGREGATOR_TARGETS.describe
      ? complianceByRuleAnswer(call, evaluations)
      : detailsAnswer(call, evaluations))
  );
}

/** Timestamps travel as epoch seconds on the JSON protocols; the recording keeps them as ISO strings. */
function onTheWire(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => onTheWire(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, onTheWire(item, name)]));
  }
  if (typeof value === 'string' && /(Time|Timestamp)$/.test(key)) return new Date(value).getTime() / 1000;
  return value;
}

/** DescribeAggregateComplianceByConfigRules honours its ConfigRuleName filter: another rule matches nothing. */
function ofFilteredRule(call: ProxiedCall, page: Record<string, unknown>): Record<string, unknown> {
  if (call.target !== COVERAGE_TARGETS.compliance) return page;
  const rule = filteredRule(call);
  return {
    ...page,
    AggregateComplianceByConfigRules: (
      page.AggregateComplianceByConfigRules as { ConfigRuleName?: string }[]
    ).filter((entry) => rule === undefined || entry.ConfigRuleName === rule),
  };
}

/**
 * One of the recorded reads answered from `pages` (keyed by operation), page by page as the service pages: the
 * first page without a NextToken, each next one for the token the page before gave; a token never given gets
 * InvalidNextTokenException.
 */
export function recordedPageAnswer(call: ProxiedCall, pages: RecordedPages): ProxiedResponse {
  const operation = call.target?.slice(call.target.lastIndexOf('.') + 1) ?? '';
  const token = requestBody(call).NextToken;
  let expected: unknown;
  for (const page of pages[operation] ?? []) {
    if (expected === token) return jsonAnswer(200, onTheWire(ofFilteredRule(call, page)));
    expected = page.NextToken;
  }
  return jsonAnswer(400, {
    __type: 'InvalidNextTokenException',
    message: `The nextToken ${String(token)} is invalid.`,
  });
}

const RECORDED_CONFIG_TARGETS: readonly string[] = [
  COVERAGE_TARGETS.sources,
  COVERAGE_TARGETS.compliance,
  COVERAGE_TARGETS.summary,
];

/**
 * Starts the proxy in front of moto at `upstream`, serving the recording whole: the organization's accounts, the
 * aggregator `AGGREGATOR`'s sources, compliance and summary, and `DETAILS` as its evaluation details. Every other
 * call goes to moto.
 */
export function startConfigAggregator(upstream: string): Promise<FaultProxy> {
  return startFaultProxy(upstream, async (call, forward) => {
    if (call.target === COVERAGE_TARGETS.accounts) return recordedPageAnswer(call, recorded);
    if (call.target === AGGREGATOR_TARGETS.details) return aggregatorAnswer(call, AGGREGATOR, DETAILS);
    if (call.target === undefined || !RECORDED_CONFIG_TARGETS.includes(call.target)) return forward();
    return unknownAggregatorAnswer(call, AGGREGATOR) ?? recordedPageAnswer(call, recorded);
  });
}
