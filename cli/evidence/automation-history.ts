import {
  DescribeAutomationExecutionsCommand,
  GetAutomationExecutionCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { isAccessDenied } from '../../rule/errors.js';
import { mapWithLimit } from '../concurrency.js';
import { describeError } from '../errors.js';

/**
 * The remediations that ran: SSM Automation executions of the remediation document, read in the caller's account
 * and region (the history of other accounts is theirs: SSM keeps it where the execution ran). IAM:
 * ssm:DescribeAutomationExecutions and ssm:GetAutomationExecution.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeAutomationExecutions.html
 */

export interface RemediationRun {
  readonly executionId: string;
  readonly documentName: string;
  /** The TrailName parameter the execution was started with; '' when it has none. */
  readonly trail: string;
  readonly status: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly executedBy: string;
  readonly failureMessage: string;
}

export type RemediationHistory =
  | { readonly readable: true; readonly runs: readonly RemediationRun[] }
  | { readonly readable: false; readonly reason: string };

/** Executions read at once for their parameters: quick, and clear of SSM's throttling. */
const CONCURRENT_READS = 4;

function iso(date: Date | undefined): string {
  return date?.toISOString() ?? '';
}

/**
 * Every execution of a document whose name starts with `documentPrefix`, to the last page, oldest first. Access
 * denied on either call makes the history unreadable (said in the evidence), not the evidence impossible; any
 * other failure throws.
 */
export async function readRemediationHistory(
  client: SSMClient,
  documentPrefix: string,
): Promise<RemediationHistory> {
  try {
    const executions = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new DescribeAutomationExecutionsCommand({
          Filters: [{ Key: 'DocumentNamePrefix', Values: [documentPrefix] }],
          MaxResults: 50,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
      );
      executions.push(...(page.AutomationExecutionMetadataList ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const runs = await mapWithLimit(
      executions,
      CONCURRENT_READS,
      async (metadata): Promise<RemediationRun> => {
        const id = metadata.AutomationExecutionId ?? '';
        const { AutomationExecution } = await client.send(
          new GetAutomationExecutionCommand({ AutomationExecutionId: id }),
        );
        return {
          executionId: id,
          documentName: metadata.DocumentName ?? '',
          trail: AutomationExecution?.Parameters?.TrailName?.[0] ?? '',
          status: metadata.AutomationExecutionStatus ?? '',
          startedAt: iso(metadata.ExecutionStartTime),
          endedAt: iso(metadata.ExecutionEndTime),
          executedBy: metadata.ExecutedBy ?? '',
          failureMessage: metadata.FailureMessage ?? '',
        };
      },
    );
    return {
      readable: true,
      runs: runs.sort(
        (a, b) => a.startedAt.localeCompare(b.startedAt) || a.executionId.localeCompare(b.executionId),
      ),
    };
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    return { readable: false, reason: describeError(error) };
  }
}
