import {
  type ComplianceType as ApiComplianceType,
  type ConfigurationItem as ApiConfigurationItem,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandOutput,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import type { RuleClients } from './clients.js';
import {
  ConfigurationItemNotFoundError,
  PutEvaluationsError,
  translateAwsError,
  UnexpectedResponseError,
} from './errors.js';
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

async function recentApiItems(clients: RuleClients, resourceType: string, resourceId: string, limit: number) {
  try {
    // Newest first: GetResourceConfigHistory lists in reverse chronological order by default.
    const output = await clients.config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: resourceType as ResourceType,
        resourceId,
        limit,
      }),
    );
    return output.configurationItems ?? [];
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
  const [item] = await recentApiItems(clients, resourceType, resourceId, 1);
  if (item === undefined) throw new ConfigurationItemNotFoundError(resourceType, resourceId);
  return configurationItemFromApi(item);
}

/** A configuration item reduced to what the grace rule reads. */
export interface RecordedState {
  readonly capturedAt: Date;
  /** The item's configuration; null when it has none (a deleted or unrecorded resource). */
  readonly configuration: Readonly<Record<string, unknown>> | null;
}

function recordedState(item: ApiConfigurationItem, resource: string): RecordedState {
  const action = 'config:GetResourceConfigHistory';
  if (item.configurationItemCaptureTime === undefined) {
    throw new UnexpectedResponseError(action, `a configuration item of ${resource} has no capture time.`);
  }
  let configuration: unknown = null;
  if (item.configuration) {
    try {
      configuration = JSON.parse(item.configuration);
    } catch (error) {
      throw new UnexpectedResponseError(action, `the configuration of ${resource} is not valid JSON.`, {
        cause: error,
      });
    }
  }
  return {
    capturedAt: item.configurationItemCaptureTime,
    configuration:
      typeof configuration === 'object' && configuration !== null && !Array.isArray(configuration)
        ? (configuration as Record<string, unknown>)
        : null,
  };
}

/**
 * The resource's latest two recorded states, newest first: enough to tell what its latest change changed.
 * Empty when Config never discovered the resource (then no grace can be granted, which is the strict side).
 */
export async function getLatestTwoStates(
  clients: RuleClients,
  resourceType: string,
  resourceId: string,
): Promise<RecordedState[]> {
  let items: ApiConfigurationItem[];
  try {
    items = await recentApiItems(clients, resourceType, resourceId, 2);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotDiscoveredException') return [];
    throw error;
  }
  return items.map((item) => recordedState(item, `${resourceType} ${resourceId}`));
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
