import type { SdkCredentials } from '../../common/account-clients.js';
import { parseFunctionArn } from '../../common/account-credentials.js';
import { parseKmsKeyArn } from '../arns.js';
import { PROOF_DOCUMENT_ENV, SPOKE_KMS_KEY_ENV } from '../definition.js';
import { InvalidConfigurationError } from '../errors.js';
import type { RemediationRequest } from '../payload.js';
import { automationClient, readAutomationExecution } from './automation-api.js';
import { checkExecutionProof, type ProofExpectation, requireExecutionId } from './execution-proof.js';
import { assertRequestInOwnAccount, assertRequestInScope } from './request-scope.js';

/**
 * The organization hub's gate, between parsing a payload and remediating: first the checks that need no call
 * (key, boundary, an execution id), then the proof read in the target account. The handler runs it only when
 * the hub stack configured it (PROOF_DOCUMENT_ENV); without that configuration it fails closed instead
 * (assertOwnAccountOnly): no account but the function's own, and no proof to read.
 */

/** How the hub stack configured the gate. */
export interface OrganizationMode {
  /** The spoke's Automation document, the only one whose executions may ask the hub to act. */
  readonly documentName: string;
  /** The KMS key the spokes of this region were deployed with; undefined: none. */
  readonly deployedKmsKeyArn: string | undefined;
}

/** What the proof read needs once the request has passed the checks that need no call. */
export interface OrganizationTarget {
  readonly executionId: string;
  readonly expectation: ProofExpectation;
}

// SSM document names: 3-128 of letters, digits, `_`, `-` and `.` (CreateDocument's Name).
const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;

/**
 * The gate's settings from the environment; undefined when PROOF_DOCUMENT_ENV is unset or empty (single-account
 * mode, the CLI). A malformed value throws InvalidConfigurationError before any AWS call.
 */
export function organizationModeFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): OrganizationMode | undefined {
  const documentName = env[PROOF_DOCUMENT_ENV];
  if (documentName === undefined || documentName === '') return undefined;
  if (!DOCUMENT_NAME.test(documentName)) {
    throw new InvalidConfigurationError(
      `Environment variable ${PROOF_DOCUMENT_ENV} is ${JSON.stringify(documentName)}, not an SSM document name ` +
        "(3-128 letters, digits, '_', '-' or '.'). Set it to the spoke's Automation document name, as the hub " +
        'stack does.',
    );
  }
  const key = env[SPOKE_KMS_KEY_ENV];
  if (key !== undefined && key !== '' && parseKmsKeyArn(key) === undefined) {
    throw new InvalidConfigurationError(
      `Environment variable ${SPOKE_KMS_KEY_ENV} is ${JSON.stringify(key)}, not a KMS key ARN. Set it to the ` +
        "key of this region's spokes, or leave it empty for none.",
    );
  }
  return { documentName, deployedKmsKeyArn: key === '' ? undefined : key };
}

/**
 * The checks that need no AWS call: the request's key and boundary lie in the target account (the payload's,
 * or the hub's own without one) and it names an execution. Throws RequestOutOfScopeError or
 * UnprovenRequestError; InvalidConfigurationError without the Lambda context (the hub then cannot tell its
 * own account and region).
 */
export function organizationTarget(
  request: RemediationRequest,
  mode: OrganizationMode,
  invokedFunctionArn: string | undefined,
): OrganizationTarget {
  if (invokedFunctionArn === undefined) {
    throw new InvalidConfigurationError(
      `The remediation Lambda runs as the organization hub (${PROOF_DOCUMENT_ENV} is set) but was called ` +
        'without a Lambda context, so it cannot tell its own account and region. Invoke it through Lambda.',
    );
  }
  const own = parseFunctionArn(invokedFunctionArn);
  const accountId = request.targetAccountId ?? own.accountId;
  assertRequestInScope(request, {
    accountId,
    region: own.region,
    deployedKmsKeyArn: mode.deployedKmsKeyArn,
  });
  return {
    executionId: requireExecutionId(request, accountId),
    expectation: {
      documentName: mode.documentName,
      accountId,
      region: own.region,
      partition: own.partition,
    },
  };
}

/**
 * Without proof configuration (PROOF_DOCUMENT_ENV unset or empty) the function acts only in its own account, as
 * its Lambda context tells it: a payload naming another account, or another account's key or boundary, or any
 * target account without a context, throws ProofNotConfiguredError before any AWS call. A context whose ARN is
 * not a function's throws FunctionArnError.
 */
export function assertOwnAccountOnly(
  request: RemediationRequest,
  invokedFunctionArn: string | undefined,
): void {
  assertRequestInOwnAccount(
    request,
    invokedFunctionArn === undefined ? undefined : parseFunctionArn(invokedFunctionArn),
  );
}

/**
 * Reads the execution with the target account's credentials (undefined: the hub's own account) and accepts
 * only what proves the request; throws UnprovenRequestError otherwise, AwsCallError when SSM fails.
 */
export async function proveOrganizationRequest(
  request: RemediationRequest,
  target: OrganizationTarget,
  credentials: SdkCredentials | undefined,
): Promise<void> {
  const execution = await readAutomationExecution(automationClient(credentials), target.executionId);
  checkExecutionProof(request, execution, target.expectation);
}
