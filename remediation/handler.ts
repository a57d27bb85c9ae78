import { remediationClients } from './clients.js';
import { parseRemediationPayload } from './payload.js';
import type { RemediationSummary } from './plan.js';
import { remediateTrail } from './remediate.js';

/**
 * Lambda entry point, invoked by the SSM Automation document with
 * `{ TrailName, RetentionInDays?, KmsKeyArn?, DryRun? }`. Returns the summary the SSM step outputs; every
 * failure throws, so the Automation execution fails and Config records the remediation as failed.
 */
export async function handler(payload: unknown): Promise<RemediationSummary> {
  return remediateTrail(remediationClients(), parseRemediationPayload(payload));
}
