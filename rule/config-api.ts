import {
  type ComplianceType as ApiComplianceType,
  type Evaluation,
  GetComplianceDetailsByConfigRuleCommand,
  type GetComplianceDetailsByConfigRuleCommandOutput,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import type { RuleClients } from './clients.js';
import { type FailedBatch, PutEvaluationsError, translateAwsError } from './errors.js';
import { type ComplianceType, truncateAnnotation } from './evaluate.js';

/**
 * The rule's AWS Config calls for its evaluations (the history reads are in history-api.ts). IAM actions needed:
 * config:PutEvaluations, config:GetComplianceDetailsByConfigRule.
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
 * Reports evaluations to Config in batches of {@link PUT_EVALUATIONS_BATCH_SIZE}, then those `apart` in a batch of
 * their own (up to the same size), so that a call Config refuses for one of them costs none of the others.
 * Evaluations Config rejects are sent once more. Every batch is attempted even when an earlier one failed; then the
 * failed call of a single batch is rethrown as it came, and anything else not recorded is named by one
 * {@link PutEvaluationsError}.
 */
export async function putEvaluations(
  clients: RuleClients,
  ruleName: string,
  resultToken: string,
  evaluations: readonly RuleEvaluation[],
  apart: readonly RuleEvaluation[] = [],
): Promise<void> {
  const batches: Evaluation[][] = [];
  for (const group of [evaluations, apart]) {
    for (let start = 0; start < group.length; start += PUT_EVALUATIONS_BATCH_SIZE) {
      batches.push(group.slice(start, start + PUT_EVALUATIONS_BATCH_SIZE).map(toApi));
    }
  }
  const rejected: string[] = [];
  const failedBatches: FailedBatch[] = [];
  for (const batch of batches) {
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
  if (onlyFailure !== undefined && batches.length === 1) throw onlyFailure.error;
  if (rejected.length > 0 || failedBatches.length > 0) {
    throw new PutEvaluationsError(ruleName, rejected, failedBatches);
  }
}
