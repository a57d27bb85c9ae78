import { describe, expect, it } from 'vitest';
import { buildAutomationDocument } from '../../remediation/automation-document.js';
import { parseRemediationPayload } from '../../remediation/payload.js';

const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const HUB_FUNCTION = 'arn:aws:lambda:eu-west-1:111111111111:function:cloudtrail-logs-guard-remediation';
const BOUNDARY =
  'arn:aws:iam::222222222222:policy/cloudtrail-logs-guard/cloudtrail-logs-guard-boundary-eu-west-1';

/** A single-account document's payload after executedPayload's substitutions; a spoke's adds its organization keys. */
const SINGLE_ACCOUNT_PAYLOAD = {
  TrailName: 'management-events',
  RetentionInDays: 365,
  KmsKeyArn: '',
  DryRun: false,
  AdoptExisting: false,
  Monitoring: false,
  MonitoringTopicArn: '',
};

interface Step {
  readonly action: string;
  readonly inputs: { readonly FunctionName: string; readonly Payload: string };
}

/** The payload as the Lambda receives it: SSM's substitutions done for one execution in account 222222222222. */
function executedPayload(document: Record<string, unknown>): unknown {
  const [invoke] = document.mainSteps as Step[];
  const text = (invoke?.inputs.Payload ?? '')
    .replace('{{TrailName}}', 'management-events')
    .replace('{{RetentionInDays}}', '365')
    .replace('{{KmsKeyArn}}', '')
    .replace('{{DryRun}}', 'false')
    .replace('{{AdoptExisting}}', 'false')
    .replace('{{Monitoring}}', 'false')
    .replace('{{MonitoringTopicArn}}', '')
    .replace('{{global:ACCOUNT_ID}}', '222222222222')
    .replace('{{automation:EXECUTION_ID}}', EXECUTION_ID);
  return JSON.parse(text);
}

describe('buildAutomationDocument for a spoke', () => {
  it('invokes the hub function by ARN and names the account it runs in, the role, the boundary and the execution', () => {
    const document = buildAutomationDocument(HUB_FUNCTION, {
      executionRoleName: 'cloudtrail-logs-guard-fix-eu-west-1',
      permissionsBoundaryArn: BOUNDARY,
    });

    expect((document.mainSteps as Step[])[0]?.inputs.FunctionName).toBe(HUB_FUNCTION);
    expect(parseRemediationPayload(executedPayload(document))).toEqual({
      trail: 'management-events',
      retentionInDays: 365,
      kmsKeyArn: undefined,
      dryRun: false,
      adoptExisting: false,
      monitoring: false,
      targetAccountId: '222222222222',
      executionRoleName: 'cloudtrail-logs-guard-fix-eu-west-1',
      permissionsBoundaryArn: BOUNDARY,
      automationExecutionId: EXECUTION_ID,
    });
  });

  it('leaves the boundary out when the spoke has none', () => {
    const document = buildAutomationDocument(HUB_FUNCTION, { executionRoleName: 'spoke' });

    expect(executedPayload(document)).toEqual({
      ...SINGLE_ACCOUNT_PAYLOAD,
      TargetAccountId: '222222222222',
      ExecutionRoleName: 'spoke',
      AutomationExecutionId: EXECUTION_ID,
    });
  });

  it('sends only the single-account keys without organization settings', () => {
    expect(executedPayload(buildAutomationDocument('guard-remediation'))).toEqual(SINGLE_ACCOUNT_PAYLOAD);
  });
});

describe('parseRemediationPayload, organization keys', () => {
  it.each([
    [{ TargetAccountId: '2222' }, 'TargetAccountId must be a 12-digit account id, got "2222"'],
    [
      { ExecutionRoleName: 'a/b' },
      'ExecutionRoleName must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got "a/b"',
    ],
    [
      { AutomationExecutionId: 'execution-1' },
      'AutomationExecutionId must be an Automation execution id (36 characters, as {{automation:EXECUTION_ID}} gives it), got "execution-1"',
    ],
    ...[`x${'a'.repeat(36)}`, `${'a'.repeat(36)}x`].map((id): [Record<string, string>, string] => [
      { AutomationExecutionId: id },
      `AutomationExecutionId must be an Automation execution id (36 characters, as {{automation:EXECUTION_ID}} gives it), got "${id}"`,
    ]),
    [
      { PermissionsBoundaryArn: 'boundary' },
      'PermissionsBoundaryArn must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>), got "boundary"',
    ],
  ])('rejects %j before any AWS call', (keys, problem) => {
    expect(() => parseRemediationPayload({ TrailName: 'management-events', ...keys })).toThrow(problem);
  });
});
