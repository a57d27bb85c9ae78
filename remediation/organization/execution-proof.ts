import { DOCUMENT_PARAMETER, DOCUMENT_PARAMETER_DEFAULTS, DOCUMENT_STEP } from '../automation-document.js';
import { ORGANIZATION_PAYLOAD_KEY } from '../definition.js';
import type { RemediationRequest } from '../payload.js';
import type { AutomationExecutionRecord } from './state.js';

/**
 * The organization hub's proof that a request comes from the account it names. A Lambda invocation carries no
 * caller identity the function can read (AWS-FACTS), so the payload's TargetAccountId is only a claim. What
 * AWS vouches for is the Automation execution that sent it: the hub reads that execution in the target account
 * (through the spoke role, so only that account's executions are visible) and acts only when it is running the
 * spoke's document, is at the step that invokes the hub, and was started for exactly this request. Pure: the
 * read is automation-api.ts.
 */

/** Where the hub acts and which document may ask it to. */
export interface ProofExpectation {
  /** Name of the spoke's Automation document (the same in every account and region). */
  readonly documentName: string;
  /** The account the request names, where the execution must be running. */
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** The status of an execution whose step is running now. */
export const RUNNING_STATUS = 'InProgress';

/**
 * The hub refused a request because AWS does not vouch for it: nothing was written in the target account (and
 * only GetAutomationExecution was read there).
 */
export class UnprovenRequestError extends Error {
  readonly accountId: string;

  constructor(accountId: string, reason: string) {
    super(
      `Refused to remediate in account ${accountId}: ${reason}. The organization hub acts in an account only for ` +
        "a running Automation execution of the spoke's document in that account, for the same trail and " +
        "parameters; start the remediation from that account's AWS Config rule (Remediate) or run the document " +
        'there. Nothing was changed.',
    );
    this.name = 'UnprovenRequestError';
    this.accountId = accountId;
  }
}

/**
 * The execution id the request must carry; throws UnprovenRequestError before any AWS call when it has none.
 */
export function requireExecutionId(request: RemediationRequest, accountId: string): string {
  if (request.automationExecutionId === undefined) {
    throw new UnprovenRequestError(
      accountId,
      `the request carries no ${ORGANIZATION_PAYLOAD_KEY.automationExecutionId}`,
    );
  }
  return request.automationExecutionId;
}

/**
 * Accepts (returns) only when `execution` proves `request`: it exists in the target account, runs the spoke's
 * document (by name, or by its ARN in that account and region, never a document shared from elsewhere), is
 * InProgress at the step that invokes the hub, and was started for the same trail, retention, key, dry-run,
 * adoption and monitoring settings (an absent parameter counts as the document's default). Anything else throws UnprovenRequestError.
 */
export function checkExecutionProof(
  request: RemediationRequest,
  execution: AutomationExecutionRecord | undefined,
  expected: ProofExpectation,
): void {
  const { accountId, region } = expected;
  const id = requireExecutionId(request, accountId);
  const refuse = (reason: string) => new UnprovenRequestError(accountId, reason);
  if (execution === undefined) {
    throw refuse(`Automation execution ${id} does not exist in account ${accountId}, region ${region}`);
  }
  const documentArn = `arn:${expected.partition}:ssm:${region}:${accountId}:document/${expected.documentName}`;
  if (execution.documentName !== expected.documentName && execution.documentName !== documentArn) {
    throw refuse(
      `Automation execution ${id} runs document ${execution.documentName ?? '(none)'}, not ${expected.documentName}`,
    );
  }
  if (execution.status !== RUNNING_STATUS) {
    throw refuse(
      `Automation execution ${id} is ${execution.status ?? 'of unknown status'}, not ${RUNNING_STATUS}`,
    );
  }
  // Documented as "the name of the step that is currently running"; when SSM leaves it out the status alone
  // decides (assumed rather than refusing every remediation on an undocumented absence).
  if (execution.currentStepName !== undefined && execution.currentStepName !== DOCUMENT_STEP.invoke) {
    throw refuse(
      `Automation execution ${id} is at step ${execution.currentStepName}, not ${DOCUMENT_STEP.invoke}`,
    );
  }
  const mismatches = parameterMismatches(request, execution.parameters);
  if (mismatches.length > 0) {
    throw refuse(`Automation execution ${id} was started with ${mismatches.join(', ')}`);
  }
}

/** Each parameter whose value in the execution differs from the request, as `<name> <execution's>, not <request's>`. */
function parameterMismatches(
  request: RemediationRequest,
  parameters: Readonly<Record<string, readonly string[]>>,
): string[] {
  const P = DOCUMENT_PARAMETER;
  const D = DOCUMENT_PARAMETER_DEFAULTS;
  const given = (name: string, fallback: string | undefined) => parameters[name]?.[0] ?? fallback;
  const compared: [string, string | undefined, string][] = [
    [P.trailName, given(P.trailName, undefined), request.trail],
    [
      P.retentionInDays,
      given(P.retentionInDays, String(D[P.retentionInDays])),
      String(request.retentionInDays),
    ],
    [P.kmsKeyArn, given(P.kmsKeyArn, D[P.kmsKeyArn]), request.kmsKeyArn ?? ''],
    [P.dryRun, given(P.dryRun, String(D[P.dryRun]))?.toLowerCase(), String(request.dryRun)],
    // Adopting a group or role the remediation did not create is the operator's choice in that account.
    [
      P.adoptExisting,
      given(P.adoptExisting, String(D[P.adoptExisting]))?.toLowerCase(),
      String(request.adoptExisting === true),
    ],
    // The monitoring writes alarms notifying a topic: both must be what the execution was started with.
    [
      P.monitoring,
      given(P.monitoring, String(D[P.monitoring]))?.toLowerCase(),
      String(request.monitoring === true),
    ],
    [
      P.monitoringTopicArn,
      given(P.monitoringTopicArn, D[P.monitoringTopicArn]),
      request.monitoringTopicArn ?? '',
    ],
  ];
  return compared
    .filter(([, actual, wanted]) => actual !== wanted)
    .map(
      ([name, actual, wanted]) =>
        `${name} ${actual === undefined ? '(none)' : JSON.stringify(actual)}, not ${JSON.stringify(wanted)}`,
    );
}
