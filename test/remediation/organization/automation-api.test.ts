import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsCallError } from '../../../remediation/errors.js';
import {
  automationClient,
  readAutomationExecution,
} from '../../../remediation/organization/automation-api.js';

const ssm = mockClient(SSMClient);
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';

beforeEach(() => {
  ssm.reset();
});

describe('readAutomationExecution', () => {
  it('returns the document, status, current step and parameters GetAutomationExecution reports', async () => {
    ssm.on(GetAutomationExecutionCommand, { AutomationExecutionId: EXECUTION_ID }).resolves({
      AutomationExecution: {
        AutomationExecutionId: EXECUTION_ID,
        DocumentName: 'cloudtrail-logs-guard-remediation',
        DocumentVersion: '1',
        AutomationExecutionStatus: 'InProgress',
        CurrentStepName: 'InvokeRemediationFunction',
        CurrentAction: 'aws:invokeLambdaFunction',
        Parameters: { TrailName: ['management-events'], RetentionInDays: ['365'] },
        ExecutedBy: 'arn:aws:sts::222222222222:assumed-role/cloudtrail-logs-guard-ssm-eu-west-1/session',
      },
    });

    expect(await readAutomationExecution(automationClient(), EXECUTION_ID)).toEqual({
      documentName: 'cloudtrail-logs-guard-remediation',
      status: 'InProgress',
      currentStepName: 'InvokeRemediationFunction',
      parameters: { TrailName: ['management-events'], RetentionInDays: ['365'] },
    });
  });

  it('returns undefined for an execution SSM does not know', async () => {
    ssm
      .on(GetAutomationExecutionCommand)
      .rejects(new AutomationExecutionNotFoundException({ message: 'not found', $metadata: {} }));

    expect(await readAutomationExecution(automationClient(), EXECUTION_ID)).toBeUndefined();
  });

  it('throws AwsCallError naming the action when SSM refuses the read', async () => {
    ssm.on(GetAutomationExecutionCommand).rejects(
      Object.assign(new Error('not authorized to perform: ssm:GetAutomationExecution'), {
        name: 'AccessDeniedException',
      }),
    );

    const attempt = readAutomationExecution(automationClient(), EXECUTION_ID);

    await expect(attempt).rejects.toThrow(AwsCallError);
    await expect(attempt).rejects.toThrow(
      `ssm:GetAutomationExecution on automation execution ${EXECUTION_ID} failed: AccessDeniedException: not ` +
        "authorized to perform: ssm:GetAutomationExecution. The remediation Lambda's role needs " +
        `ssm:GetAutomationExecution on automation execution ${EXECUTION_ID}.`,
    );
  });

  it('creates one client per credentials', () => {
    expect(automationClient()).toBe(automationClient());
  });
});
