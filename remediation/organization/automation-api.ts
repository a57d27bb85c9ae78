import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type GetAutomationExecutionCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { clientPerAccount, type SdkCredentials } from '../../common/account-clients.js';
import { AwsCallError } from '../errors.js';
import type { AutomationExecutionRecord } from './state.js';

/**
 * The one SSM read of the organization hub's proof check. IAM: `ssm:GetAutomationExecution` on
 * `arn:<partition>:ssm:<region>:<account>:automation-execution/*` of the account read (the spoke's fix role in a
 * member account, the hub's own role in its own account).
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetAutomationExecution.html
 */

// One client per container and per credentials, with the project's shared settings (region, endpoint and
// credential chain from the SDK's defaults; standard retries).
const ssmFor = clientPerAccount((settings) => new SSMClient(settings));

/** The SSM client for the given credentials (undefined: the Lambda's own). */
export function automationClient(credentials?: SdkCredentials): SSMClient {
  return ssmFor(credentials);
}

/**
 * Reads an Automation execution of the client's account and region; undefined when SSM does not know it
 * (AutomationExecutionNotFoundException). Any other failure throws AwsCallError naming the action.
 */
export async function readAutomationExecution(
  ssm: SSMClient,
  automationExecutionId: string,
): Promise<AutomationExecutionRecord | undefined> {
  let output: GetAutomationExecutionCommandOutput;
  try {
    output = await ssm.send(
      new GetAutomationExecutionCommand({ AutomationExecutionId: automationExecutionId }),
    );
  } catch (error) {
    if (error instanceof AutomationExecutionNotFoundException) return undefined;
    throw new AwsCallError(
      'ssm:GetAutomationExecution',
      `automation execution ${automationExecutionId}`,
      error,
    );
  }
  const execution = output.AutomationExecution;
  if (execution === undefined) return undefined;
  return {
    documentName: execution.DocumentName,
    status: execution.AutomationExecutionStatus,
    currentStepName: execution.CurrentStepName,
    parameters: execution.Parameters ?? {},
  };
}
