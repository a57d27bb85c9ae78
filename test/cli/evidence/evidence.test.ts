import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import {
  DescribeAutomationExecutionsCommand,
  GetAutomationExecutionCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RemediationRun, readRemediationHistory } from '../../../cli/evidence/automation-history.js';
import { buildEvidence, EVIDENCE_FILES, type EvidenceInput, sha256 } from '../../../cli/evidence/evidence.js';
import { exemptionsInForce } from '../../../cli/evidence/exemptions.js';
import { remediationDocumentPrefix } from '../../../cli/evidence/report-evidence.js';
import { EvidenceWriteError, writeEvidence } from '../../../cli/evidence/write-evidence.js';
import { parseExemptions } from '../../../common/exemptions.js';
import { ANNOTATION } from '../../../rule/evaluate.js';
import { aggregatorHolds, MAIN_NOT_CONFIGURED } from '../aggregator-fixtures.js';
import { runInMemory } from '../in-memory.js';
import { serviceError } from '../sdk-errors.js';

const ssm = mockClient(SSMClient);
const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const ACCOUNT = '111111111111';
const DOCUMENT = 'cloudtrail-logs-guard-remediation';
const STARTED = new Date('2026-11-30T08:00:00.000Z');

let directory: string;

beforeEach(() => {
  for (const mock of [ssm, config, sts]) mock.reset();
  directory = mkdtempSync(join(tmpdir(), 'cloudtrail-logs-guard-evidence-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** An execution as DescribeAutomationExecutions lists it (AutomationExecutionMetadata). */
function execution(id: string, status: string, minutes: number) {
  return {
    AutomationExecutionId: id,
    DocumentName: DOCUMENT,
    AutomationExecutionStatus: status as 'Success',
    ExecutionStartTime: new Date(STARTED.getTime() + minutes * 60_000),
    ExecutionEndTime: new Date(STARTED.getTime() + (minutes + 1) * 60_000),
    ExecutedBy: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/remediation.config.amazonaws.com/AWSServiceRoleForConfigRemediation`,
    ...(status === 'Failed' ? { FailureMessage: 'Step fails when it is verifying the result.' } : {}),
  };
}

/** Two pages of history (DescribeAutomationExecutions pages with NextToken), then each execution's parameters. */
function ssmHolds(): void {
  ssm
    .on(DescribeAutomationExecutionsCommand, {
      Filters: [{ Key: 'DocumentNamePrefix', Values: ['cloudtrail-logs-guard'] }],
      MaxResults: 50,
    })
    .resolves({ AutomationExecutionMetadataList: [execution('exec-2', 'Failed', 30)], NextToken: 'page-2' })
    .on(DescribeAutomationExecutionsCommand, { NextToken: 'page-2' })
    .resolves({ AutomationExecutionMetadataList: [execution('exec-1', 'Success', 0)] });
  ssm.on(GetAutomationExecutionCommand, { AutomationExecutionId: 'exec-1' }).resolves({
    AutomationExecution: { AutomationExecutionId: 'exec-1', Parameters: { TrailName: ['main'] } },
  });
  ssm.on(GetAutomationExecutionCommand, { AutomationExecutionId: 'exec-2' }).resolves({
    AutomationExecution: { AutomationExecutionId: 'exec-2', Parameters: { TrailName: ['audit, "eu"'] } },
  });
}

/** exec-1 as readRemediationHistory gives it: the successful run for trail main. */
const MAIN_FIXED: RemediationRun = {
  executionId: 'exec-1',
  documentName: DOCUMENT,
  trail: 'main',
  status: 'Success',
  startedAt: '2026-11-30T08:00:00.000Z',
  endedAt: '2026-11-30T08:01:00.000Z',
  executedBy: execution('exec-1', 'Success', 0).ExecutedBy,
  failureMessage: '',
};

function accessDenied(): Error {
  return serviceError(
    'AccessDeniedException',
    'User is not authorized to perform: ssm:DescribeAutomationExecutions',
  );
}

describe('readRemediationHistory', () => {
  it('reads every page, each execution with the trail it was started for, oldest first', async () => {
    ssmHolds();
    const history = await readRemediationHistory(new SSMClient({}), 'cloudtrail-logs-guard');
    expect(history).toEqual({
      readable: true,
      runs: [
        MAIN_FIXED,
        expect.objectContaining({ executionId: 'exec-2', trail: 'audit, "eu"', status: 'Failed' }),
      ],
    });
  });

  it.each(['DescribeAutomationExecutions', 'GetAutomationExecution'])(
    'says the history is not readable when access is denied (%s)',
    async (operation) => {
      ssmHolds();
      if (operation === 'DescribeAutomationExecutions')
        ssm.on(DescribeAutomationExecutionsCommand).rejects(accessDenied());
      else ssm.on(GetAutomationExecutionCommand).rejects(accessDenied());
      await expect(readRemediationHistory(new SSMClient({}), 'cloudtrail-logs-guard')).resolves.toEqual({
        readable: false,
        reason: 'AccessDeniedException: User is not authorized to perform: ssm:DescribeAutomationExecutions',
      });
    },
  );

  it('throws any other failure', async () => {
    ssm.on(DescribeAutomationExecutionsCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));
    await expect(readRemediationHistory(new SSMClient({}), 'p')).rejects.toThrow('Rate exceeded');
  });
});

describe('remediationDocumentPrefix', () => {
  it.each([
    [RULE, 'cloudtrail-logs-guard'],
    [`prod-${RULE}`, 'prod-cloudtrail-logs-guard'],
    ['a-rule-of-its-own', 'cloudtrail-logs-guard'],
  ])('gives the documents of rule %s the prefix %s', (rule, prefix) => {
    expect(remediationDocumentPrefix(rule)).toBe(prefix);
  });
});

/** What report gathers for the evidence of the caller's account in us-east-1, but what each test gives. */
function evidenceInput(
  gathered: Pick<EvidenceInput, 'generatedAt' | 'evaluations' | 'remediations' | 'exemptions'>,
): EvidenceInput {
  return {
    tool: 'cloudtrail-logs-guard',
    version: '0.1.0',
    aggregator: 'organization',
    rule: RULE,
    account: ACCOUNT,
    region: 'us-east-1',
    ...gathered,
  };
}

function evidenceFiles() {
  return buildEvidence(
    evidenceInput({
      generatedAt: new Date('2026-12-01T10:00:00.000Z'),
      evaluations: [
        {
          accountId: '222222222222',
          region: 'eu-west-1',
          resourceId: 'main',
          compliance: 'NON_COMPLIANT',
          annotation: ANNOTATION.notConfigured,
          evaluatedAt: '2026-12-01T09:00:00.000Z',
          recordedAt: '2026-12-01T09:00:01.000Z',
        },
      ],
      remediations: { readable: true, runs: [{ ...MAIN_FIXED, executedBy: 'config' }] },
      exemptions: exemptionsInForce(new Date('2026-12-01T10:00:00.000Z')),
    }),
  );
}

/** The documented check, run as an auditor would: `sha256sum --check --strict SHA256SUMS` in the directory. */
function verify(dir: string) {
  const run = spawnSync('sha256sum', ['--check', '--strict', EVIDENCE_FILES.checksums], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('evidence files', () => {
  it('hold the compliance of each trail with when it was last evaluated, and the remediations run', () => {
    const files = Object.fromEntries(evidenceFiles().map((file) => [file.name, file.content]));
    expect(files[EVIDENCE_FILES.compliance]).toBe(
      'account_id,region,trail,compliance,reason_code,annotation,last_evaluated_at,recorded_at\r\n' +
        `222222222222,eu-west-1,main,NON_COMPLIANT,notConfigured,${ANNOTATION.notConfigured},2026-12-01T09:00:00.000Z,2026-12-01T09:00:01.000Z\r\n`,
    );
    expect(files[EVIDENCE_FILES.remediations]).toBe(
      'execution_id,document,trail,status,started_at,ended_at,executed_by,failure_message\r\n' +
        `exec-1,${DOCUMENT},main,Success,2026-11-30T08:00:00.000Z,2026-11-30T08:01:00.000Z,config,\r\n`,
    );
    expect(files[EVIDENCE_FILES.exemptions]).toBe('account_id,trail,expires_at,reason,reference\r\n');
  });

  it('list each data file with its SHA-256 in the manifest, and every file but SHA256SUMS in SHA256SUMS', () => {
    const files = evidenceFiles();
    const manifest = JSON.parse(files.find((f) => f.name === EVIDENCE_FILES.manifest)?.content ?? '{}');
    expect(manifest.files).toEqual(
      files.slice(0, 3).map((file, index) => ({
        name: file.name,
        sha256: sha256(file.content),
        bytes: Buffer.byteLength(file.content),
        rows: [1, 1, 0][index],
      })),
    );
    expect(manifest.sources).toEqual({
      compliance: `AWS Config aggregator organization, rule ${RULE}`,
      remediations: `SSM Automation history of account ${ACCOUNT} in us-east-1`,
      exemptions: 'none: no exemptions file was given (report --exemptions FILE), so no exemption is listed',
    });
    expect(files.find((f) => f.name === EVIDENCE_FILES.checksums)?.content).toBe(
      files
        .slice(0, 4)
        .map((file) => `${sha256(file.content)}  ${file.name}\n`)
        .join(''),
    );
  });

  it("list the exemptions file's exemptions in force when it was given, each trail as the entry names it", () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const entry = { reason: 'Data events cost.', approver: 'ciso@example.com', expires: '2027-01-15' };
    const list = parseExemptions(
      JSON.stringify({
        version: 1,
        exemptions: [
          { ...entry, trailArn: 'arn:aws:cloudtrail:eu-west-1:222222222222:trail/data', reference: 'SEC-1' },
          { ...entry, account: '333333333333', reference: 'SEC-2' },
          { ...entry, trailName: 'landing-zone', organizationalUnit: 'ou-ab12-paym0001', reference: 'SEC-3' },
          { ...entry, account: '444444444444', reference: 'SEC-4', expires: '2026-12-01' },
        ],
      }),
      { now, purpose: 'evaluate', organizationalUnits: true, source: 'exemptions.json' },
    );
    const evidence = exemptionsInForce(now, { file: 'deploy/exemptions.json', list });
    expect(evidence.source).toBe(
      'exemptions file deploy/exemptions.json (report --exemptions): 3 of its 4 in force at 2026-12-01T10:00:00.000Z',
    );
    const [, , exemptions] = buildEvidence(
      evidenceInput({
        generatedAt: now,
        evaluations: [],
        remediations: { readable: true, runs: [] },
        exemptions: evidence,
      }),
    );
    expect(exemptions?.content).toBe(
      'account_id,trail,expires_at,reason,reference\r\n' +
        '222222222222,arn:aws:cloudtrail:eu-west-1:222222222222:trail/data,2027-01-15T00:00:00.000Z,Data events cost.,SEC-1\r\n' +
        '333333333333,*,2027-01-15T00:00:00.000Z,Data events cost.,SEC-2\r\n' +
        'ou-ab12-paym0001,landing-zone,2027-01-15T00:00:00.000Z,Data events cost.,SEC-3\r\n',
    );
  });

  it('say when the remediation history could not be read', () => {
    const [, , , manifest] = buildEvidence(
      evidenceInput({
        generatedAt: new Date(0),
        evaluations: [],
        remediations: { readable: false, reason: 'AccessDeniedException: denied' },
        exemptions: exemptionsInForce(new Date(0)),
      }),
    );
    expect(JSON.parse(manifest?.content ?? '{}').sources.remediations).toBe(
      `not readable in account ${ACCOUNT} in us-east-1: AccessDeniedException: denied`,
    );
  });

  it('verify with the documented command as written', async () => {
    await writeEvidence(directory, evidenceFiles());
    expect(verify(directory)).toEqual({
      status: 0,
      output: 'compliance.csv: OK\nremediations.csv: OK\nexemptions.csv: OK\nmanifest.json: OK\n',
    });
  });

  it.each(['compliance.csv', 'remediations.csv', 'exemptions.csv', 'manifest.json'])(
    'fail the documented check when one byte of %s changes',
    async (name) => {
      await writeEvidence(directory, evidenceFiles());
      const path = join(directory, name);
      const bytes = readFileSync(path);
      bytes[10] = (bytes[10] ?? 0) ^ 1;
      writeFileSync(path, bytes);
      const { status, output } = verify(directory);
      expect(status).not.toBe(0);
      expect(output).toContain(`${name}: FAILED`);
    },
  );

  it('never overwrite evidence already in the directory', async () => {
    writeFileSync(join(directory, EVIDENCE_FILES.remediations), 'earlier evidence');
    const write = writeEvidence(directory, evidenceFiles());
    await expect(write).rejects.toThrow(EvidenceWriteError);
    await expect(write).rejects.toThrow(
      `${join(directory, 'remediations.csv')} already exists (compliance.csv were written before it): give --evidence a new or empty directory, so no earlier evidence is overwritten`,
    );
    expect(readFileSync(join(directory, EVIDENCE_FILES.remediations), 'utf8')).toBe('earlier evidence');
  });
});

describe('report --evidence', () => {
  it('writes evidence that verifies, from the aggregator and the SSM history of the caller', async () => {
    aggregatorHolds(
      config,
      [{ account: '222222222222', region: 'eu-west-1' }],
      [{ ...MAIN_NOT_CONFIGURED, ConfigRuleInvokedTime: new Date('2026-12-01T09:00:00.000Z') }],
    );
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor` });
    ssmHolds();
    const evidence = join(directory, 'evidence');
    const run = await runInMemory([
      'report',
      '--aggregator',
      'organization',
      '--output',
      'csv',
      '--evidence',
      evidence,
    ]);
    expect(run.code).toBe(3);
    const manifest = readFileSync(join(evidence, 'manifest.json'), 'utf8');
    expect(run.stderr).toBe(
      `cloudtrail-logs-guard report: evidence written to ${evidence}; manifest.json SHA-256 ${sha256(manifest)} (keep it apart from the files; check them with: cd ${evidence} && sha256sum --check --strict SHA256SUMS)\n`,
    );
    expect(readFileSync(join(evidence, 'compliance.csv'), 'utf8')).toContain(
      `NON_COMPLIANT,notConfigured,${ANNOTATION.notConfigured},2026-12-01T09:00:00.000Z,2026-12-01T09:00:01.000Z`,
    );
    expect(readFileSync(join(evidence, 'remediations.csv'), 'utf8').split('\r\n')).toHaveLength(4);
    expect(verify(evidence).status).toBe(0);
  });
});
