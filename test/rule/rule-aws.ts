import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { integrationResources } from './integration-resources.js';

/**
 * The AWS of the rule handler's tests: Config and CloudTrail through the real SDK clients, mocked at the client.
 * Each test starts from {@link freshRuleAws}.
 */

export const config = mockClient(ConfigServiceClient);
export const cloudTrail = mockClient(CloudTrailClient);

/**
 * Forgets every answer and call, then serves a rule with no stored results (GetComplianceDetailsByConfigRule:
 * no EvaluationResults) that takes every evaluation (PutEvaluations: no FailedEvaluations), and the log groups
 * and roles of {@link integrationResources}. A test adds or overrides answers after it.
 */
export function freshRuleAws(): void {
  integrationResources();
  config.reset();
  cloudTrail.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
}

/** The input of each PutEvaluations call, in order. */
export const putInputs = () => config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input);
