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
  type FailedBatch,
  InvalidEventError,
  PutEvaluationsError,
  translateAwsError,
  UnexpectedResponseError,
} from './errors.js';
import { type ComplianceType, truncateAnnotation } from './evaluate.js';
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

/**
 * A resource the rule reported on earlier, with what Config stored for it: each of those is absent when
 * Config's result lacks it (nothing is then known about the stored verdict, so it is taken as unknown).
 */
export interface EvaluatedResource {
  readonly resourceType: string;
  readonly resourceId: string;
  /** The stored ComplianceType, as Config returned it. */
  readonly complianceType?: string;
  /** The stored annotation (PutEvaluations' 256-character cut applied). */
  readonly annotation?: string;
  /** When Config recorded the result (`ResultRecordedTime`). */
  readonly recordedAt?: Date;
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

/**
 * A fetched configuration item that fails the event's checks is AWS's response at fault, not the event:
 * {@link InvalidEventError} becomes {@link UnexpectedResponseError} naming the item; anything else is returned
 * unchanged.
 */
export function malformedItemError(error: unknown, resourceType: string, resourceId: string): unknown {
  return error instanceof InvalidEventError
    ? new UnexpectedResponseError(
        'config:GetResourceConfigHistory',
        `the configuration item of ${resourceType} ${resourceId} is malformed: ${error.detail}`,
        { cause: error },
      )
    : error;
}

/** The latest configuration item of a resource in the event's shape (for oversized notifications). */
export async function getLatestConfigurationItem(
  clients: RuleClients,
  resourceType: string,
  resourceId: string,
): Promise<ConfigurationItem> {
  const [item] = await recentApiItems(clients, resourceType, resourceId, 1);
  if (item === undefined) throw new ConfigurationItemNotFoundError(resourceType, resourceId);
  try {
    return configurationItemFromApi(item);
  } catch (error) {
    throw malformedItemError(error, resourceType, resourceId);
  }
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
 * The resource's latest `limit` recorded states, newest first: enough to find the latest change of its
 * integration. Empty when Config never discovered the resource (then no change is known and no grace can be
 * granted, which is the strict side).
 */
export async function getRecentStates(
  clients: RuleClients,
  resourceType: string,
  resourceId: string,
  limit: number,
): Promise<RecordedState[]> {
  let items: ApiConfigurationItem[];
  try {
    items = await recentApiItems(clients, resourceType, resourceId, limit);
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotDiscoveredException') return [];
    throw error;
  }
  return items.map((item) => recordedState(item, `${resourceType} ${resourceId}`));
}

/**
 * Every resource the rule last reported COMPLIANT or NON_COMPLIANT (paginated), with the stored verdict, its
 * annotation and when Config recorded it.
 */
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
        resources.push({
          resourceType: qualifier.ResourceType,
          resourceId: qualifier.ResourceId,
          ...(result.ComplianceType === undefined ? {} : { complianceType: result.ComplianceType }),
          ...(result.Annotation === undefined ? {} : { annotation: result.Annotation }),
          ...(result.ResultRecordedTime === undefined ? {} : { recordedAt: result.ResultRecordedTime }),
        });
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
    Annotation: truncateAnnotation(evaluation.annotation),
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

const idsOf = (evaluations: readonly Evaluation[]) =>
  evaluations.map((evaluation) => String(evaluation.ComplianceResourceId));

/**
 * Reports evaluations to Config in batches of {@link PUT_EVALUATIONS_BATCH_SIZE}. Evaluations Config rejects are
 * sent once more. Every batch is attempted even when an earlier one failed; then the failed call of a single
 * batch is rethrown as it came, and anything else not recorded is named by one {@link PutEvaluationsError}.
 */
export async function putEvaluations(
  clients: RuleClients,
  ruleName: string,
  resultToken: string,
  evaluations: readonly RuleEvaluation[],
): Promise<void> {
  const all = evaluations.map(toApi);
  const rejected: string[] = [];
  const failedBatches: FailedBatch[] = [];
  for (let start = 0; start < all.length; start += PUT_EVALUATIONS_BATCH_SIZE) {
    const batch = all.slice(start, start + PUT_EVALUATIONS_BATCH_SIZE);
    try {
      const failed = await putBatch(clients, ruleName, resultToken, batch);
      if (failed.length > 0) {
        rejected.push(...idsOf(await putBatch(clients, ruleName, resultToken, failed)));
      }
    } catch (error) {
      failedBatches.push({ resourceIds: idsOf(batch), error });
    }
  }
  const [onlyFailure] = failedBatches;
  // All of one batch failed in one call: its error already says everything (AccessDenied names the permission).
  if (onlyFailure !== undefined && all.length <= PUT_EVALUATIONS_BATCH_SIZE) throw onlyFailure.error;
  if (rejected.length > 0 || failedBatches.length > 0) {
    throw new PutEvaluationsError(ruleName, rejected, failedBatches);
  }
}
