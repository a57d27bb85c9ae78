import { remediationClients } from './clients.js';
import { permissionsBoundaryFromEnvironment } from './environment.js';
import { parseRemediationPayload } from './payload.js';
import type { RemediationSummary } from './plan.js';
import { remediateTrail } from './remediate.js';

/**
 * Lambda entry point, invoked by the SSM Automation document with
 * `{ TrailName, RetentionInDays?, KmsKeyArn?, DryRun? }`. Returns the summary the SSM step outputs; every
 * failure throws, so the Automation execution fails and Config records the remediation as failed. Roles get
 * the permissions boundary named by PERMISSIONS_BOUNDARY_ENV, when set.
 */
export async function handler(payload: unknown): Promise<RemediationSummary> {
  const request = parseRemediationPayload(payload);
  const permissionsBoundaryArn = permissionsBoundaryFromEnvironment();
  return remediateTrail(remediationClients(), request, { permissionsBoundaryArn });
}
