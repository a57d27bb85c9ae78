import {
  type AggregateEvaluationResult,
  type ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { ANNOTATION } from '../../rule/evaluate.js';

const RULE = 'cloudtrail-cloudwatch-logs-integrated';

/** An account and region the aggregator holds results of the rule for. */
export interface RuleLocation {
  readonly account: string;
  readonly region: string;
}

/**
 * Serves an aggregator whose answers fit on one page (no NextToken): DescribeAggregateComplianceByConfigRules
 * lists the rule in each of `locations`, and GetAggregateComplianceDetailsByConfigRule answers `results`.
 */
export function aggregatorHolds(
  config: AwsClientStub<ConfigServiceClient>,
  locations: readonly RuleLocation[],
  results: readonly AggregateEvaluationResult[],
): void {
  config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
    AggregateComplianceByConfigRules: locations.map(({ account, region }) => ({
      ConfigRuleName: RULE,
      AccountId: account,
      AwsRegion: region,
    })),
  });
  config
    .on(GetAggregateComplianceDetailsByConfigRuleCommand)
    .resolves({ AggregateEvaluationResults: [...results] });
}

/** Trail main of account 222222222222, home region eu-west-1, as the aggregator records it NON_COMPLIANT. */
export const MAIN_NOT_CONFIGURED: AggregateEvaluationResult = {
  EvaluationResultIdentifier: { EvaluationResultQualifier: { ResourceId: 'main' } },
  ComplianceType: 'NON_COMPLIANT',
  Annotation: ANNOTATION.notConfigured,
  ResultRecordedTime: new Date('2026-12-01T09:00:01.000Z'),
  AccountId: '222222222222',
  AwsRegion: 'eu-west-1',
};
