import { randomUUID } from 'node:crypto';
import { DOCUMENT_PARAMETER, DOCUMENT_STEP } from '../../remediation/automation-document.js';
import type { ProxiedCall, ProxiedResponse } from './fault-proxy.js';
import { STAND_IN } from './principals.js';

/**
 * Answers, on the wire, the few calls moto 5.2 does not implement but the Lambdas and the CLI make, so the
 * fault proxy can stand in for AWS there and the tier records the calls with the rest: each answer has the
 * shape the API reference gives (JSON 1.1, epoch-second timestamps, a service error as HTTP 400 with its name in
 * `__type`). Everything else stays moto's.
 */

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };

function json(status: number, body: unknown): ProxiedResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function requestBody(call: ProxiedCall): Record<string, unknown> {
  return JSON.parse(call.body) as Record<string, unknown>;
}

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
      return json(400, {
        __type: 'AutomationExecutionNotFoundException',
        message: `Automation execution ${id} not found`,
      });
    }
    const P = DOCUMENT_PARAMETER;
    return json(200, {
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

/** `X-Amz-Target`s of the aggregator reads of `report` (moto 5.2 implements neither). */
export const AGGREGATOR_TARGETS = {
  describe: 'StarlingDoveService.DescribeAggregateComplianceByConfigRules',
  details: 'StarlingDoveService.GetAggregateComplianceDetailsByConfigRule',
} as const;

/** One evaluation an aggregator holds. */
export interface AggregatedEvaluation {
  readonly accountId: string;
  readonly region: string;
  readonly rule: string;
  readonly trail: string;
  readonly compliance: 'COMPLIANT' | 'NON_COMPLIANT';
  readonly annotation?: string;
  readonly recordedAt: Date;
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
  const body = requestBody(call);
  if (body.ConfigurationAggregatorName !== aggregator) {
    return json(400, {
      __type: 'NoSuchConfigurationAggregatorException',
      message: `The configuration aggregator does not exist: ${String(body.ConfigurationAggregatorName)}`,
    });
  }
  if (call.target === AGGREGATOR_TARGETS.describe) {
    const rule = (body.Filters as { ConfigRuleName?: string } | undefined)?.ConfigRuleName;
    const places = new Map<string, AggregatedEvaluation[]>();
    for (const evaluation of evaluations.filter(
      (candidate) => rule === undefined || candidate.rule === rule,
    )) {
      const key = `${evaluation.rule} ${evaluation.accountId} ${evaluation.region}`;
      places.set(key, [...(places.get(key) ?? []), evaluation]);
    }
    return json(200, {
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
  return json(200, {
    AggregateEvaluationResults: evaluations
      .filter(
        (evaluation) =>
          evaluation.rule === body.ConfigRuleName &&
          evaluation.accountId === body.AccountId &&
          evaluation.region === body.AwsRegion,
      )
      .map((evaluation) => ({
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: {
            ConfigRuleName: evaluation.rule,
            ResourceType: 'AWS::CloudTrail::Trail',
            ResourceId: evaluation.trail,
          },
          OrderingTimestamp: evaluation.recordedAt.getTime() / 1000,
        },
        ComplianceType: evaluation.compliance,
        ResultRecordedTime: evaluation.recordedAt.getTime() / 1000,
        ConfigRuleInvokedTime: evaluation.recordedAt.getTime() / 1000,
        ...(evaluation.annotation === undefined ? {} : { Annotation: evaluation.annotation }),
        AccountId: evaluation.accountId,
        AwsRegion: evaluation.region,
      })),
  });
}

/** `X-Amz-Target`s of the reads of `report --coverage` (moto 5.2 implements none of the Config ones). */
export const COVERAGE_TARGETS = {
  sources: 'StarlingDoveService.DescribeConfigurationAggregatorSourcesStatus',
  compliance: 'StarlingDoveService.DescribeAggregateComplianceByConfigRules',
  summary: 'StarlingDoveService.GetAggregateConfigRuleComplianceSummary',
  accounts: 'AWSOrganizationsV20161128.ListAccounts',
} as const;

/** The pages of each coverage read, as test/fixtures/cli/coverage/organization.json records them. */
export type RecordedPages = Readonly<Record<string, readonly Record<string, unknown>[]>>;

/** Timestamps travel as epoch seconds on the JSON protocols; the recording keeps them as ISO strings. */
function onTheWire(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => onTheWire(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, onTheWire(item, name)]));
  }
  if (typeof value === 'string' && /(Time|Timestamp)$/.test(key)) return new Date(value).getTime() / 1000;
  return value;
}

/**
 * One of the coverage reads answered from `pages` (keyed by operation), page by page as the service pages: the
 * first page without a NextToken, each next one for the token the page before gave; a token never given gets
 * InvalidNextTokenException.
 */
export function recordedPageAnswer(call: ProxiedCall, pages: RecordedPages): ProxiedResponse {
  const operation = call.target?.slice(call.target.lastIndexOf('.') + 1) ?? '';
  const list = pages[operation] ?? [];
  const token = requestBody(call).NextToken;
  let expected: unknown;
  for (const page of list) {
    if (expected === token) return json(200, onTheWire(page));
    expected = page.NextToken;
  }
  return json(400, {
    __type: 'InvalidNextTokenException',
    message: `The nextToken ${String(token)} is invalid.`,
  });
}

/** `X-Amz-Target` of SSM's DescribeAutomationExecutions (moto 5.2 does not implement it). */
export const AUTOMATION_LIST_TARGET = 'AmazonSSM.DescribeAutomationExecutions';

/**
 * DescribeAutomationExecutions as SSM answers it, one page: the metadata of the executions `executions` started
 * (API reference, AutomationExecutionMetadataList), each of the spoke's document, ended Success.
 */
export function automationListAnswer(ids: readonly string[]): ProxiedResponse {
  return json(200, {
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
