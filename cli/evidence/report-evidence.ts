import { SSMClient } from '@aws-sdk/client-ssm';
import { PROJECT_NAME } from '../../common/project.js';
import { RULE_NAME } from '../../rule/definition.js';
import { type CliClientSettings, clientPerRegion, type SdkOptions } from '../clients.js';
import type { AggregateEvaluation } from '../report.js';
import { readRemediationHistory } from './automation-history.js';
import { buildEvidence, EVIDENCE_FILES, sha256 } from './evidence.js';
import { type ExemptionsFile, exemptionsInForce } from './exemptions.js';
import { writeEvidence } from './write-evidence.js';

/**
 * The SSM Automation documents of a deployment whose rule is `rule`: the project name, behind the same name
 * prefix (`P-cloudtrail-cloudwatch-logs-integrated` -> `P-cloudtrail-logs-guard`), which starts the single-account
 * stack's generated document name and the organization spoke's fixed one alike.
 */
export function remediationDocumentPrefix(rule: string): string {
  return rule.endsWith(RULE_NAME) ? `${rule.slice(0, -RULE_NAME.length)}${PROJECT_NAME}` : PROJECT_NAME;
}

export interface ReportEvidenceRequest {
  readonly directory: string;
  readonly aggregator: string;
  readonly rule: string;
  readonly account: string;
  readonly evaluations: readonly AggregateEvaluation[];
  readonly version: string;
  readonly now: Date;
  readonly sdk: SdkOptions;
  /** The region to read SSM in; undefined: the SDK's. */
  readonly region?: string;
  /** For tests: the SSM client to read with. */
  readonly ssm?: SSMClient;
  /** The deployment's exemptions file (`--exemptions`), whose exemptions in force the evidence lists. @default none */
  readonly exemptions?: ExemptionsFile;
}

/**
 * `report --evidence DIR`: reads the remediation history, builds the files and writes them. Loaded only when asked,
 * so a plain report never loads the SSM SDK. Returns the SHA-256 of the manifest, for the operator to keep apart.
 */
export async function writeReportEvidence(request: ReportEvidenceRequest): Promise<string> {
  const ssm =
    request.ssm ??
    clientPerRegion('ssm', (c: CliClientSettings) => new SSMClient(c), request.sdk)(request.region);
  const region = await ssm.config.region();
  const remediations = await readRemediationHistory(ssm, remediationDocumentPrefix(request.rule));
  const files = buildEvidence({
    tool: PROJECT_NAME,
    version: request.version,
    generatedAt: request.now,
    aggregator: request.aggregator,
    rule: request.rule,
    account: request.account,
    region,
    evaluations: request.evaluations,
    remediations,
    exemptions: exemptionsInForce(request.now, request.exemptions),
  });
  await writeEvidence(request.directory, files);
  return sha256(files.find((file) => file.name === EVIDENCE_FILES.manifest)?.content ?? '');
}
