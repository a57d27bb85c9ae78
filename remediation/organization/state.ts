/**
 * What the hub's gate reads in the target account before it acts: the Automation execution that sent the
 * request, read by automation-api.ts and judged by execution-proof.ts. Types only.
 */

/** The fields of GetAutomationExecution's `AutomationExecution` the proof looks at. */
export interface AutomationExecutionRecord {
  readonly documentName: string | undefined;
  /** `AutomationExecutionStatus`: Pending, InProgress, Waiting, Success, TimedOut, Cancelled, Failed, ... */
  readonly status: string | undefined;
  /** `CurrentStepName`: the step running now; undefined when SSM does not say. */
  readonly currentStepName: string | undefined;
  /** `Parameters`: the values the execution was started with, each a list of strings. */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
}
