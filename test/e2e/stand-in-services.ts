import { randomUUID } from 'node:crypto';
import { DOCUMENT_PARAMETER, DOCUMENT_STEP } from '../../remediation/automation-document.js';
import type { ProxiedCall, ProxiedResponse } from './fault-proxy.js';
import { JSON_HEADERS, jsonAnswer, requestBody } from './json-protocol.js';
import { STAND_IN } from './principals.js';

/**
 * Answers, on the wire, the few SSM and CloudWatch Logs calls (and CloudTrail fields) moto 5.2 does not implement
 * but the Lambdas and the CLI need, so the fault proxy can stand in for AWS there and the tier records the calls with the rest: each
 * answer has the shape the API reference gives (json-protocol.ts: JSON 1.1, epoch-second timestamps, a service
 * error as HTTP 400 with its name in `__type`). The Config aggregator's reads are config-aggregator.ts's.
 * Everything else stays moto's.
 */

/** `X-Amz-Target` of SSM's GetAutomationExecution (moto 5.2: an HTML error page). */
export const AUTOMATION_TARGET = 'AmazonSSM.GetAutomationExecution';

/** The remediation parameters an Automation execution of the spoke's document was started with. */
export interface ExecutionParameters {
  readonly trailName: string;
  readonly retentionInDays: number;
  readonly kmsKeyArn?: string;
  readonly adoptExisting?: boolean;
}

/**
 * Running executions of the spoke's document, as SSM's GetAutomationExecution returns them: "InProgress" at the
 * step that invokes the hub (DOCUMENT_STEP.invoke), with the parameters they were started with as lists of
 * strings (GetAutomationExecution API reference, AutomationExecution). An unknown id gets
 * AutomationExecutionNotFoundException.
 */
export class AutomationExecutions {
  private readonly executions = new Map<string, ExecutionParameters>();

  /** A new running execution; returns its id (a UUID, as SSM's are). */
  start(parameters: ExecutionParameters): string {
    const id = randomUUID();
    this.executions.set(id, parameters);
    return id;
  }

  answer(call: ProxiedCall): ProxiedResponse {
    const id = String(requestBody(call).AutomationExecutionId);
    const parameters = this.executions.get(id);
    if (parameters === undefined) {
      return jsonAnswer(400, {
        __type: 'AutomationExecutionNotFoundException',
        message: `Automation execution ${id} not found`,
      });
    }
    const P = DOCUMENT_PARAMETER;
    return jsonAnswer(200, {
      AutomationExecution: {
        AutomationExecutionId: id,
        DocumentName: STAND_IN.remediationDocumentName,
        DocumentVersion: '1',
        ExecutionStartTime: Date.now() / 1000 - 5,
        AutomationExecutionStatus: 'InProgress',
        CurrentStepName: DOCUMENT_STEP.invoke,
        Mode: 'Auto',
        Parameters: {
          [P.trailName]: [parameters.trailName],
          [P.retentionInDays]: [String(parameters.retentionInDays)],
          [P.kmsKeyArn]: [parameters.kmsKeyArn ?? ''],
          [P.dryRun]: ['false'],
          [P.adoptExisting]: [String(parameters.adoptExisting === true)],
          [P.monitoring]: ['false'],
          [P.monitoringTopicArn]: [''],
        },
      },
    });
  }
}

/** A trail's last delivery to CloudWatch Logs, and the error CloudTrail reports with it, if any. */
export interface Delivery {
  readonly at: Date;
  readonly error?: string | undefined;
}

/**
 * moto's `answer` to `call` with, for a successful GetTrailStatus, the delivery fields moto 5.2 never returns
 * (LatestCloudWatchLogsDeliveryTime in epoch seconds as on the wire, and LatestCloudWatchLogsDeliveryError when
 * `delivery` has one); every other answer unchanged.
 */
export function withDelivery(
  call: ProxiedCall,
  answer: ProxiedResponse,
  delivery: Delivery,
): ProxiedResponse {
  if (!call.target?.endsWith('.GetTrailStatus') || answer.status !== 200) return answer;
  const status = JSON.parse(answer.body) as Record<string, unknown>;
  status.LatestCloudWatchLogsDeliveryTime = delivery.at.getTime() / 1000;
  if (delivery.error !== undefined) status.LatestCloudWatchLogsDeliveryError = delivery.error;
  return { ...answer, body: JSON.stringify(status) };
}

/** `X-Amz-Target` of CloudWatch Logs' AssociateKmsKey (moto 5.2: HTTP 500 NotImplemented). */
export const ASSOCIATE_KMS_KEY_TARGET = 'Logs_20140328.AssociateKmsKey';

/** AssociateKmsKey's success: "HTTP 200 response with an empty HTTP body" (API reference). */
export function associateKmsKeyAnswer(): ProxiedResponse {
  return { status: 200, headers: JSON_HEADERS, body: '' };
}

/** A KMS key ARN of `region` and `account`, for the KmsKeyArn parameter. */
export function kmsKeyArn(region: string, account: string): string {
  return `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
}

/** `X-Amz-Target` of SSM's DescribeAutomationExecutions (moto 5.2 does not implement it). */
export const AUTOMATION_LIST_TARGET = 'AmazonSSM.DescribeAutomationExecutions';

/**
 * DescribeAutomationExecutions as SSM answers it, one page: the metadata of the executions `executions` started
 * (API reference, AutomationExecutionMetadataList), each of the spoke's document, ended Success.
 */
export function automationListAnswer(ids: readonly string[]): ProxiedResponse {
  return jsonAnswer(200, {
    AutomationExecutionMetadataList: ids.map((id) => ({
      AutomationExecutionId: id,
      DocumentName: STAND_IN.remediationDocumentName,
      AutomationExecutionStatus: 'Success',
      ExecutionStartTime: Date.parse('2026-11-28T10:00:00.000Z') / 1000,
      ExecutionEndTime: Date.parse('2026-11-28T10:00:30.000Z') / 1000,
      ExecutedBy: 'arn:aws:sts::123456789012:assumed-role/cloudtrail-logs-guard-ssm-us-east-1/config',
      Mode: 'Auto',
    })),
  });
}
