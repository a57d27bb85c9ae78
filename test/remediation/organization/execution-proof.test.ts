import { describe, expect, it } from 'vitest';
import {
  checkExecutionProof,
  type ProofExpectation,
  UnprovenRequestError,
} from '../../../remediation/organization/execution-proof.js';
import type { AutomationExecutionRecord } from '../../../remediation/organization/state.js';
import type { RemediationRequest } from '../../../remediation/payload.js';

const MEMBER = '222222222222';
const REGION = 'eu-west-1';
const DOCUMENT = 'cloudtrail-logs-guard-remediation';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';
const TRAIL = 'management-events';
const KEY = `arn:aws:kms:${REGION}:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const expectation: ProofExpectation = {
  documentName: DOCUMENT,
  accountId: MEMBER,
  region: REGION,
  partition: 'aws',
};

const request: RemediationRequest = {
  trail: TRAIL,
  retentionInDays: 365,
  kmsKeyArn: undefined,
  dryRun: false,
  targetAccountId: MEMBER,
  executionRoleName: 'cloudtrail-logs-guard-fix-eu-west-1',
  automationExecutionId: EXECUTION_ID,
};

/** What GetAutomationExecution shows while the document's invoke step calls the hub, as AWS Config starts it. */
const running: AutomationExecutionRecord = {
  documentName: DOCUMENT,
  status: 'InProgress',
  currentStepName: 'InvokeRemediationFunction',
  parameters: {
    TrailName: [TRAIL],
    AutomationAssumeRole: [`arn:aws:iam::${MEMBER}:role/cloudtrail-logs-guard-ssm-eu-west-1`],
    RetentionInDays: ['365'],
  },
};

function refusal(reason: string): string {
  return (
    `Refused to remediate in account ${MEMBER}: ${reason}. The organization hub acts in an account only for a ` +
    "running Automation execution of the spoke's document in that account, for the same trail and parameters; " +
    "start the remediation from that account's AWS Config rule (Remediate) or run the document there. Nothing " +
    'was changed.'
  );
}

const TOPIC = 'arn:aws:sns:eu-west-1:222222222222:cloudtrail-logs-guard-alarms';

describe('checkExecutionProof', () => {
  it.each<[string, AutomationExecutionRecord, Partial<RemediationRequest>]>([
    ['the execution AWS Config started, at the invoke step', running, {}],
    [
      'an execution naming the document by its ARN in the same account and region',
      { ...running, documentName: `arn:aws:ssm:${REGION}:${MEMBER}:document/${DOCUMENT}` },
      {},
    ],
    [
      'an execution without CurrentStepName (the status decides)',
      { ...running, currentStepName: undefined },
      {},
    ],
    [
      'every parameter given, DryRun in capitals',
      {
        ...running,
        parameters: {
          ...running.parameters,
          RetentionInDays: ['731'],
          KmsKeyArn: [KEY],
          DryRun: ['True'],
        },
      },
      { retentionInDays: 731, kmsKeyArn: KEY, dryRun: true },
    ],
    [
      'monitoring with the topic the execution was started with',
      {
        ...running,
        parameters: { ...running.parameters, Monitoring: ['true'], MonitoringTopicArn: [TOPIC] },
      },
      { monitoring: true, monitoringTopicArn: TOPIC },
    ],
    [
      'adoption the execution was started with',
      { ...running, parameters: { ...running.parameters, AdoptExisting: ['true'] } },
      { adoptExisting: true },
    ],
    [
      'absent parameters meaning the document defaults',
      { ...running, parameters: { TrailName: [TRAIL] } },
      {},
    ],
  ])('accepts %s', (_name, execution, change) => {
    expect(() => checkExecutionProof({ ...request, ...change }, execution, expectation)).not.toThrow();
  });

  it.each<[string, AutomationExecutionRecord | undefined, Partial<RemediationRequest>, string]>([
    [
      'a request without execution id',
      running,
      { automationExecutionId: undefined },
      'the request carries no AutomationExecutionId',
    ],
    [
      'an execution SSM does not know in the account',
      undefined,
      {},
      `Automation execution ${EXECUTION_ID} does not exist in account ${MEMBER}, region ${REGION}`,
    ],
    [
      'a finished execution',
      { ...running, status: 'Success', currentStepName: 'FailUnlessRemediated' },
      {},
      `Automation execution ${EXECUTION_ID} is Success, not InProgress`,
    ],
    [
      'a failed execution',
      { ...running, status: 'Failed' },
      {},
      `Automation execution ${EXECUTION_ID} is Failed, not InProgress`,
    ],
    [
      'an execution without status',
      { ...running, status: undefined },
      {},
      `Automation execution ${EXECUTION_ID} is of unknown status, not InProgress`,
    ],
    [
      "another document's execution",
      { ...running, documentName: 'AWS-RunShellScript' },
      {},
      `Automation execution ${EXECUTION_ID} runs document AWS-RunShellScript, not ${DOCUMENT}`,
    ],
    [
      'an execution without document name',
      { ...running, documentName: undefined },
      {},
      `Automation execution ${EXECUTION_ID} runs document (none), not ${DOCUMENT}`,
    ],
    [
      'a same-named document shared from another account',
      { ...running, documentName: `arn:aws:ssm:${REGION}:999999999999:document/${DOCUMENT}` },
      {},
      `Automation execution ${EXECUTION_ID} runs document arn:aws:ssm:${REGION}:999999999999:document/${DOCUMENT}, not ${DOCUMENT}`,
    ],
    [
      'an execution at another step',
      { ...running, currentStepName: 'FailUnlessRemediated' },
      {},
      `Automation execution ${EXECUTION_ID} is at step FailUnlessRemediated, not InvokeRemediationFunction`,
    ],
    [
      "another trail's execution",
      running,
      { trail: 'other-trail' },
      `Automation execution ${EXECUTION_ID} was started with TrailName "management-events", not "other-trail"`,
    ],
    [
      'an execution without TrailName',
      { ...running, parameters: {} },
      {},
      `Automation execution ${EXECUTION_ID} was started with TrailName (none), not "management-events"`,
    ],
    [
      'another retention, key and dry-run setting than the execution',
      running,
      { retentionInDays: 1, kmsKeyArn: KEY, dryRun: true },
      `Automation execution ${EXECUTION_ID} was started with RetentionInDays "365", not "1", KmsKeyArn "", ` +
        `not "${KEY}", DryRun "false", not "true"`,
    ],
    [
      'adoption the execution was not started with',
      running,
      { adoptExisting: true },
      `Automation execution ${EXECUTION_ID} was started with AdoptExisting "false", not "true"`,
    ],
    [
      'monitoring and a topic the execution was not started with',
      running,
      { monitoring: true, monitoringTopicArn: TOPIC },
      `Automation execution ${EXECUTION_ID} was started with Monitoring "false", not "true", MonitoringTopicArn "", ` +
        `not "${TOPIC}"`,
    ],
  ])('refuses %s', (_name, execution, change, reason) => {
    const attempt = () => checkExecutionProof({ ...request, ...change }, execution, expectation);

    expect(attempt).toThrow(UnprovenRequestError);
    expect(attempt).toThrow(expect.objectContaining({ name: 'UnprovenRequestError' }));
    expect(attempt).toThrow(refusal(reason));
  });
});
