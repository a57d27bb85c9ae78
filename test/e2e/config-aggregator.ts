import { RULE_NAME } from '../../rule/definition.js';
import { type FaultProxy, type ProxiedResponse, startFaultProxy } from './fault-proxy.js';

/**
 * A Config aggregator for `report`, which moto does not implement: a fault proxy in front of moto answers the two
 * calls `report` makes with recorded answers in the shapes of the AWS Config API reference, and forwards every
 * other call to moto. The aggregator `organization` holds the rule's evaluations of five trails in two accounts
 * (the example of docs/cli.md).
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

const EVALUATIONS: readonly Evaluation[] = [
  { account: '111111111111', region: 'us-east-1', trail: 'main', compliance: 'COMPLIANT' },
  {
    account: '111111111111',
    region: 'us-east-1',
    trail: 'audit',
    compliance: 'NON_COMPLIANT',
    annotation: NOT_CONFIGURED,
  },
  { account: '111111111111', region: 'us-east-1', trail: 'old', compliance: 'NOT_APPLICABLE' },
  {
    account: '111111111111',
    region: 'eu-west-1',
    trail: 'logs',
    compliance: 'NON_COMPLIANT',
    annotation: NO_ROLE,
  },
  { account: '222222222222', region: 'eu-west-1', trail: 'eu', compliance: 'COMPLIANT' },
];

/** A JSON-protocol answer as AWS Config sends it (Content-Type application/x-amz-json-1.1). */
function answer(status: number, body: object): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

/** DescribeAggregateComplianceByConfigRules, filtered on the rule name: one item per account and region. */
function compliance(input: Record<string, unknown>): ProxiedResponse {
  const rule = (input.Filters as { ConfigRuleName?: string } | undefined)?.ConfigRuleName;
  const places = new Map<string, Evaluation>();
  if (rule === RULE_NAME) for (const e of EVALUATIONS) places.set(`${e.account}/${e.region}`, e);
  return answer(200, {
    AggregateComplianceByConfigRules: [...places.values()].map((e) => ({
      ConfigRuleName: RULE_NAME,
      Compliance: {
        ComplianceType: EVALUATIONS.some(
          (other) =>
            other.account === e.account && other.region === e.region && other.compliance === 'NON_COMPLIANT',
        )
          ? 'NON_COMPLIANT'
          : 'COMPLIANT',
      },
      AccountId: e.account,
      AwsRegion: e.region,
    })),
  });
}

/** GetAggregateComplianceDetailsByConfigRule for one account and region. */
function details(input: Record<string, unknown>): ProxiedResponse {
  return answer(200, {
    AggregateEvaluationResults: EVALUATIONS.filter(
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

/** Starts the proxy in front of moto at `upstream`. Any aggregator but `organization` does not exist. */
export function startConfigAggregator(upstream: string): Promise<FaultProxy> {
  return startFaultProxy(upstream, async (call, forward) => {
    if (
      call.operation !== 'DescribeAggregateComplianceByConfigRules' &&
      call.operation !== 'GetAggregateComplianceDetailsByConfigRule'
    ) {
      return forward();
    }
    const input = JSON.parse(call.body) as Record<string, unknown>;
    if (input.ConfigurationAggregatorName !== AGGREGATOR) {
      return answer(400, {
        __type: 'NoSuchConfigurationAggregatorException',
        message:
          'The configuration aggregator does not exist. Check the configuration aggregator name and try again.',
      });
    }
    return call.operation === 'DescribeAggregateComplianceByConfigRules' ? compliance(input) : details(input);
  });
}
