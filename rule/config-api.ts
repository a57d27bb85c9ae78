import {
  type ComplianceType as ApiComplianceType,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandOutput,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { RuleClients } from './clients.js';
import { ConfigurationItemNotFoundError, PutEvaluationsError, translateAwsError } from './errors.js';
import type { ComplianceType } from './evaluate.js';
import { type ConfigurationItem, configurationItemFromApi } from './event.js';

/**
 * The rule's AWS Config calls. IAM actions needed: config:GetResourceConfigHistory, config:PutEvaluations,
 * config:GetComplianceDetailsByConfigRule.
 */

/** PutEvaluations accepts at most this many evaluations a call. */
export const PUT_EVALUATIONS_BATCH_SIZE = 100;

/** The community convention for a test invocation: evaluations are validated but not recorded. */
export const TEST_MODE_RESULT_TOKEN = 'TESTMODE';

export interface RuleEvaluation {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly complianceType: ComplianceType;
  readonly annotation: string;
  readonly orderingTimestamp: Date;
}

/** A resource the rule reported on earlier. */
export interface EvaluatedResource {
  readonly resourceType: string;
  readonly resourceId: string;
}

async function latestApiItem(clients: RuleClients, resourceType: string, resourceId: string) {
  try {
    const output = await clients.config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: resourceType as ResourceType,
        resourceId,
        limit: 1,
      }),
    );
    return output.configurationItems?.[0];
  } catch (error) {
    throw translateAwsError(error, 'config:GetResourceConfigHistory', `${resourceType} ${resourceId}`);
  }
}

/** The latest configuration item of a resource in the event's shape (for oversized notifications). */
export async function getLatestConfigurationItem(
  clients: RuleClients,
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem> {
  const item = await latestApiItem(clients, resourceType, resourceId);
  if (item === undefined) throw new ConfigurationItemNotFoundError(resourceType, resourceId);
  return configurationItemFromApi(item);
}

/**
 * Capture time of a resource's latest configuration item, or undefined when Config has none (never
 * discovered): then no grace period can be granted, which is the strict side.
 */
export async function getLatestCaptureTime(
  clients: RuleClients,
  resourceType: string,
  resourceId: string,
): Promise<Date | undefined> {
  try {
    return (await latestApiItem(clients, resourceType, resourceId))?.configurationItemCaptureTime;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotDiscoveredException') return undefined;
    throw error;
  }
}

/** Every resource the rule last reported COMPLIANT or NON_COMPLIANT (paginated). */
export async function listEvaluatedResources(
  clients: RuleClients,
  ruleName: string,
): Promise<EvaluatedResource[]> {
  const resources: EvaluatedResource[] = [];
  let nextToken: string | undefined;
  do {
    let output: GetComplianceDetailsByConfigRuleCommandOutput;
    try {
      output = await clients.config.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: ruleName,
          ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'] satisfies ApiComplianceType[],
          Limit: 100,
          NextToken: nextToken,
        }),
      );
    } catch (error) {
      throw translateAwsError(error, 'config:GetComplianceDetailsByConfigRule', `rule ${ruleName}`);
    }
    for (const result of output.EvaluationResults ?? []) {
      const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
      if (qualifier?.ResourceType && qualifier.ResourceId) {
        resources.push({ resourceType: qualifier.ResourceType, resourceId: qualifier.ResourceId });
      }
    }
    nextToken = output.NextToken;
  } while (nextToken);
  return resources;
}

function toApi(evaluation: RuleEvaluation): Evaluation {
  return {
    ComplianceResourceType: evaluation.resourceType,
    ComplianceResourceId: evaluation.resourceId,
    ComplianceType: evaluation.complianceType,
    Annotation: evaluation.annotation,
    OrderingTimestamp: evaluation.orderingTimestamp,
  };
}

async function putBatch(clients: RuleClients, ruleName: string, resultToken: string, batch: Evaluation[]) {
  try {
    const output = await clients.config.send(
      new PutEvaluationsCommand({
        Evaluations: batch,
        ResultToken: resultToken,
        ...(resultToken === TEST_MODE_RESULT_TOKEN ? { TestMode: true } : {}),
      }),
    );
    return output.FailedEvaluations ?? [];
  } catch (error) {
    throw translateAwsError(error, 'config:PutEvaluations', `rule ${ruleName}`);
  }
}

/**
 * Reports evaluations to Config in batches of {@link PUT_EVALUATIONS_BATCH_SIZE}. Evaluations Config
 * rejects are sent once more; if any fail again, {@link PutEvaluationsError} names them.
 */
export async function putEvaluations(
  clients: RuleClients,
  ruleName: string,
  resultToken: string,
  evaluations: readonly RuleEvaluation[],
): Promise<void> {
  const all = evaluations.map(toApi);
  for (let start = 0; start < all.length; start += PUT_EVALUATIONS_BATCH_SIZE) {
    const batch = all.slice(start, start + PUT_EVALUATIONS_BATCH_SIZE);
    const failed = await putBatch(clients, ruleName, resultToken, batch);
    if (failed.length === 0) continue;
    const failedAgain = await putBatch(clients, ruleName, resultToken, failed);
    if (failedAgain.length > 0) {
      throw new PutEvaluationsError(
        ruleName,
        failedAgain.map((evaluation) => String(evaluation.ComplianceResourceId)),
      );
    }
  }
}
