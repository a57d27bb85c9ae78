import { createHash } from 'node:crypto';
import { reasonCode } from '../../rule/reason-code.js';
import { renderCsv, renderJson } from '../render.js';
import type { AggregateEvaluation } from '../report.js';
import type { RemediationHistory } from './automation-history.js';
import type { ExemptionsEvidence } from './exemptions.js';

/**
 * The evidence `report --evidence DIR` writes for an auditor: compliance per trail with when it was last
 * evaluated, the remediations that ran, the exemptions in force, each a CSV (RFC 4180), and manifest.json with
 * the SHA-256 of each, plus SHA256SUMS, the same hashes in the format `sha256sum --check` reads. Pure: contents
 * in, file names and bytes out.
 */

export const EVIDENCE_FILES = {
  compliance: 'compliance.csv',
  remediations: 'remediations.csv',
  exemptions: 'exemptions.csv',
  manifest: 'manifest.json',
  checksums: 'SHA256SUMS',
} as const;

export interface EvidenceFile {
  readonly name: string;
  readonly content: string;
}

export interface EvidenceInput {
  readonly tool: string;
  readonly version: string;
  readonly generatedAt: Date;
  readonly aggregator: string;
  readonly rule: string;
  /** The account and region the remediation history was read in. */
  readonly account: string;
  readonly region: string;
  readonly evaluations: readonly AggregateEvaluation[];
  readonly remediations: RemediationHistory;
  readonly exemptions: ExemptionsEvidence;
}

export function sha256(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

function complianceCsv(evaluations: readonly AggregateEvaluation[]): string {
  return renderCsv(
    [
      'account_id',
      'region',
      'trail',
      'compliance',
      'reason_code',
      'annotation',
      'last_evaluated_at',
      'recorded_at',
    ],
    evaluations.map((e) => [
      e.accountId,
      e.region,
      e.resourceId,
      e.compliance,
      e.annotation === undefined ? '' : reasonCode(e.annotation),
      e.annotation ?? '',
      e.evaluatedAt ?? '',
      e.recordedAt ?? '',
    ]),
  );
}

function remediationsCsv(history: RemediationHistory): string {
  return renderCsv(
    [
      'execution_id',
      'document',
      'trail',
      'status',
      'started_at',
      'ended_at',
      'executed_by',
      'failure_message',
    ],
    (history.readable ? history.runs : []).map((run) => [
      run.executionId,
      run.documentName,
      run.trail,
      run.status,
      run.startedAt,
      run.endedAt,
      run.executedBy,
      run.failureMessage,
    ]),
  );
}

function exemptionsCsv(evidence: ExemptionsEvidence): string {
  return renderCsv(
    ['account_id', 'trail', 'expires_at', 'reason', 'reference'],
    evidence.exemptions.map((e) => [e.account, e.trail, e.expiresAt, e.reason, e.reference]),
  );
}

/** Every evidence file, the manifest and SHA256SUMS last (they hash the others). */
export function buildEvidence(input: EvidenceInput): EvidenceFile[] {
  const data: (EvidenceFile & { rows: number })[] = [
    {
      name: EVIDENCE_FILES.compliance,
      content: complianceCsv(input.evaluations),
      rows: input.evaluations.length,
    },
    {
      name: EVIDENCE_FILES.remediations,
      content: remediationsCsv(input.remediations),
      rows: input.remediations.readable ? input.remediations.runs.length : 0,
    },
    {
      name: EVIDENCE_FILES.exemptions,
      content: exemptionsCsv(input.exemptions),
      rows: input.exemptions.exemptions.length,
    },
  ];
  const manifest = renderJson({
    tool: input.tool,
    version: input.version,
    generatedAt: input.generatedAt.toISOString(),
    aggregator: input.aggregator,
    rule: input.rule,
    sources: {
      compliance: `AWS Config aggregator ${input.aggregator}, rule ${input.rule}`,
      remediations: input.remediations.readable
        ? `SSM Automation history of account ${input.account} in ${input.region}`
        : `not readable in account ${input.account} in ${input.region}: ${input.remediations.reason}`,
      exemptions: input.exemptions.source,
    },
    files: data.map(({ name, content, rows }) => ({
      name,
      sha256: sha256(content),
      bytes: Buffer.byteLength(content, 'utf8'),
      rows,
    })),
    verify: `sha256sum --check --strict ${EVIDENCE_FILES.checksums}`,
  });
  const files: EvidenceFile[] = [
    ...data.map(({ name, content }) => ({ name, content })),
    { name: EVIDENCE_FILES.manifest, content: manifest },
  ];
  const checksums = files.map((file) => `${sha256(file.content)}  ${file.name}\n`).join('');
  return [...files, { name: EVIDENCE_FILES.checksums, content: checksums }];
}
