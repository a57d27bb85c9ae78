import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  buildAutomationDocument,
  CHECK_SCRIPT,
  DOCUMENT_OUTPUT,
  DOCUMENT_PARAMETER,
  DOCUMENT_STEP,
} from '../../remediation/automation-document.js';
import { parseRemediationPayload } from '../../remediation/payload.js';

const FUNCTION = 'cloudtrail-logs-guard-remediation';
const document = buildAutomationDocument(FUNCTION);
const parameters = document.parameters as Record<
  string,
  { type: string; default?: unknown; allowedPattern?: string }
>;
const steps = document.mainSteps as {
  name: string;
  action: string;
  onFailure: string;
  inputs: Record<string, unknown>;
}[];
const payloadTemplate = steps[0]?.inputs.Payload as string;

/** Substitutes parameters the way Automation does: the value's text in place of `{{Name}}`. */
function substitute(template: string, values: Record<string, string | number | boolean>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name] ?? parameters[name]?.default;
    if (value === undefined) throw new Error(`no value for ${name}`);
    return String(value);
  });
}

describe('buildAutomationDocument', () => {
  it('is a schemaVersion 0.3 document assuming AutomationAssumeRole and outputting the summary', () => {
    expect(document.schemaVersion).toBe('0.3');
    expect(document.assumeRole).toBe('{{AutomationAssumeRole}}');
    expect(document.outputs).toEqual(['InvokeRemediationFunction.Payload']);
    expect(DOCUMENT_OUTPUT).toBe('InvokeRemediationFunction.Payload');
  });

  it('declares the parameters with their types and defaults', () => {
    expect(
      Object.fromEntries(Object.entries(parameters).map(([name, p]) => [name, [p.type, p.default]])),
    ).toEqual({
      TrailName: ['String', undefined],
      AutomationAssumeRole: ['String', undefined],
      RetentionInDays: ['Integer', 365],
      KmsKeyArn: ['String', ''],
      DryRun: ['Boolean', false],
      AdoptExisting: ['Boolean', false],
    });
    expect(DOCUMENT_PARAMETER).toEqual({
      trailName: 'TrailName',
      automationAssumeRole: 'AutomationAssumeRole',
      retentionInDays: 'RetentionInDays',
      kmsKeyArn: 'KmsKeyArn',
      dryRun: 'DryRun',
      adoptExisting: 'AdoptExisting',
    });
  });

  it('invokes the function synchronously, then fails unless the payload is a summary', () => {
    expect(steps.map(({ name, action, onFailure }) => [name, action, onFailure])).toEqual([
      [DOCUMENT_STEP.invoke, 'aws:invokeLambdaFunction', 'Abort'],
      [DOCUMENT_STEP.check, 'aws:executeScript', 'Abort'],
    ]);
    expect(steps[0]?.inputs).toMatchObject({ FunctionName: FUNCTION, InvocationType: 'RequestResponse' });
    expect(steps[1]?.inputs).toEqual({
      Runtime: 'python3.11',
      Handler: 'handler',
      Script: CHECK_SCRIPT,
      InputPayload: { Payload: '{{InvokeRemediationFunction.Payload}}' },
    });
  });

  it('refers only to declared parameters and earlier step outputs', () => {
    const references = [...JSON.stringify(document).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map(
      (match) => match[1],
    );
    const known = new Set([...Object.keys(parameters), 'InvokeRemediationFunction.Payload']);
    expect(references.filter((reference) => !known.has(reference ?? ''))).toEqual([]);
    expect(new Set(references)).toEqual(known);
  });

  it.each([
    [
      { TrailName: 'management-events' },
      {
        trail: 'management-events',
        retentionInDays: 365,
        kmsKeyArn: undefined,
        dryRun: false,
        adoptExisting: false,
      },
    ],
    [
      {
        TrailName: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t-1',
        RetentionInDays: 731,
        KmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abcd-1234',
        DryRun: true,
        AdoptExisting: true,
      },
      {
        trail: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/t-1',
        retentionInDays: 731,
        kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abcd-1234',
        dryRun: true,
        adoptExisting: true,
      },
    ],
  ])('sends a payload the Lambda accepts for %j', (values, request) => {
    expect(parseRemediationPayload(JSON.parse(substitute(payloadTemplate, values)))).toEqual(request);
  });

  it.each([
    ['TrailName', 'management-events', true],
    ['TrailName', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events', true],
    ['TrailName', 'trail"}, "DryRun": true, "x": {"', false],
    ['TrailName', 'trail\\', false],
    ['KmsKeyArn', '', true],
    ['KmsKeyArn', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', true],
    ['KmsKeyArn', 'alias/aws/logs', false],
    ['AutomationAssumeRole', 'arn:aws:iam::111122223333:role/cloudtrail-logs-guard/Automation', true],
    ['AutomationAssumeRole', 'Automation', false],
  ])('%s allows %j: %s', (name, value, allowed) => {
    const pattern = parameters[name]?.allowedPattern;
    expect(new RegExp(pattern ?? '').test(value)).toBe(allowed);
  });
});

/**
 * Runs the check step's script with python3 on PATH. Every machine of this project has python3, so its absence
 * fails these tests (naming what is missing) rather than skipping the only check of the Python step.
 */
function check(payload: string): { ok: boolean; output: string } {
  const runner = `${CHECK_SCRIPT}\nimport json, sys\ntry:\n    print(json.dumps(handler({'Payload': sys.stdin.read()}, None)))\nexcept Exception as error:\n    print('RAISED ' + str(error))\n`;
  const result = spawnSync('python3', ['-c', runner], { input: payload, encoding: 'utf8' });
  if (result.error !== undefined) {
    throw new Error(
      `python3 could not be run (${result.error.message}): it is needed to test the ${DOCUMENT_STEP.check} ` +
        'step script. Install Python 3 and put python3 on PATH.',
    );
  }
  if (result.status !== 0) {
    throw new Error(
      `python3 exited with status ${result.status} running the check step script: ${result.stderr}`,
    );
  }
  const output = result.stdout.trim();
  return { ok: !output.startsWith('RAISED '), output };
}

describe('the check step script (python3)', () => {
  it('passes a summary through', () => {
    const summary = JSON.stringify({
      trail: 'arn',
      logGroupArn: 'l',
      roleArn: 'r',
      outcome: 'REMEDIATED',
      actions: [],
      dryRun: false,
    });
    expect(check(summary)).toEqual({ ok: true, output: '{"outcome": "REMEDIATED"}' });
  });

  it.each([
    [
      JSON.stringify({ errorType: 'TrailNotFoundError', errorMessage: 'Trail x was not found', trace: [] }),
      'RAISED Remediation Lambda failed: TrailNotFoundError: Trail x was not found',
    ],
    [
      '{"errorMessage":"Task timed out after 180.00 seconds"}',
      'RAISED Remediation Lambda failed: Error: Task timed out after 180.00 seconds',
    ],
    ['not json', 'RAISED Remediation Lambda returned no summary: not json'],
    ['"a string"', 'RAISED Remediation Lambda returned no summary: "a string"'],
    ['{"success": false}', 'RAISED Remediation Lambda returned no summary: {"success": false}'],
    ['', 'RAISED Remediation Lambda returned no summary:'],
  ])('fails the execution for %j', (payload, output) => {
    expect(check(payload)).toEqual({ ok: false, output });
  });
});
