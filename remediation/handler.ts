import type { Context } from 'aws-lambda';
import { credentialsForInvocation } from '../common/account-credentials.js';
import { remediationClients } from './clients.js';
import { permissionsBoundaryFromEnvironment } from './environment.js';
import {
  organizationModeFromEnvironment,
  organizationTarget,
  proveOrganizationRequest,
} from './organization-mode.js';
import { parseRemediationPayload } from './payload.js';
import type { RemediationSummary } from './plan.js';
import { remediateTrail } from './remediate.js';

/**
 * Lambda entry point, invoked by the SSM Automation document with
 * `{ TrailName, RetentionInDays?, KmsKeyArn?, DryRun? }`. Returns the summary the SSM step outputs; every
 * failure throws, so the Automation execution fails and Config records the remediation as failed. Roles get
 * the permissions boundary named by PERMISSIONS_BOUNDARY_ENV, when set.
 *
 * Organization mode adds `TargetAccountId`, `ExecutionRoleName` and `PermissionsBoundaryArn`: for another
 * account than its own the Lambda assumes that role there and gives new roles that account's boundary (its
 * own boundary exists only in its own account); for its own account it acts as in single-account mode.
 * As the hub (PROOF_DOCUMENT_ENV set) it acts only on proof: the payload's `AutomationExecutionId` must be a
 * running execution of the spoke's document in that account, for this very request (organization-mode.ts).
 */
export async function handler(
  payload: unknown,
  context?: Pick<Context, 'invokedFunctionArn'>,
): Promise<RemediationSummary> {
  const request = parseRemediationPayload(payload);
  const organization = organizationModeFromEnvironment();
  // Refused before any call when the request names another account's key or boundary, or no execution.
  const target =
    organization === undefined
      ? undefined
      : organizationTarget(request, organization, context?.invokedFunctionArn);
  const credentials =
    request.targetAccountId === undefined
      ? undefined
      : credentialsForInvocation({
          invokedFunctionArn: context?.invokedFunctionArn,
          targetAccountId: request.targetAccountId,
          roleName: request.executionRoleName,
        });
  // Assumed up front, so a refused role is reported as such rather than as the first call's failure.
  await credentials?.();
  if (target !== undefined) await proveOrganizationRequest(request, target, credentials);
  const permissionsBoundaryArn =
    credentials === undefined ? permissionsBoundaryFromEnvironment() : request.permissionsBoundaryArn;
  return remediateTrail(remediationClients(credentials), request, { permissionsBoundaryArn });
}
