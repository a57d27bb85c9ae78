/**
 * One error class per failure kind of the rule Lambda. Each message names what is wrong and what to do, so
 * the failed invocation Config records is enough for an operator to act on.
 */

/** The Config event is not what AWS Config sends to a custom rule (malformed JSON, unknown message type...). */
export class InvalidEventError extends Error {
  /** What is wrong, without the prefix: reused when the malformed item came from an AWS response instead. */
  readonly detail: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Invalid Config rule event: ${message}`, options);
    this.name = 'InvalidEventError';
    this.detail = message;
  }
}

/** A rule parameter is unknown or its value is not acceptable. */
export class InvalidRuleParameterError extends Error {
  constructor(message: string) {
    super(`Invalid rule parameters: ${message}`);
    this.name = 'InvalidRuleParameterError';
  }
}

/** AWS refused a call for lack of permission; `action` is the IAM action the rule's role is missing. */
export class AccessDeniedError extends Error {
  readonly action: string;
  constructor(action: string, resource: string, options?: { cause?: unknown }) {
    super(
      `Access denied calling ${action} on ${resource}: grant ${action} to the rule Lambda's execution role.`,
      options,
    );
    this.name = 'AccessDeniedError';
    this.action = action;
  }
}

/**
 * AWS Config's history has no item captured when an oversized notification says its item was: not readable yet,
 * or past the recorder's retention period. Config notifies the next change; a re-run judges the current item.
 */
export class ConfigurationItemNotFoundError extends Error {
  constructor(resourceType: string, resourceId: string, capturedAt: string, stateId?: string) {
    const state = stateId === undefined ? '' : ` (configurationStateId ${stateId})`;
    super(
      `GetResourceConfigHistory has no configuration item of ${resourceType} ${resourceId} captured at ${capturedAt}${state}: it is not readable yet or is past the retention period. Re-run the rule evaluation to judge the trail's current configuration.`,
    );
    this.name = 'ConfigurationItemNotFoundError';
  }
}

/**
 * The history from the horizon to now took more calls than the budget allows (a window of many weeks, or more
 * than a hundred items a call), so whether the integration changed in the unread part is unknown: the trail is
 * left unjudged rather than judged on a guess.
 */
export class HistoryReadLimitError extends Error {
  constructor(resource: string, calls: number, horizon: Date) {
    super(
      `Config's history of ${resource} since ${horizon.toISOString()} did not fit in ${calls} GetResourceConfigHistory calls, so the rule cannot tell whether its CloudWatch Logs integration changed since the last delivery. Lower the rule parameter expectedDeliveryWindowAge (the history read spans at most that window).`,
    );
    this.name = 'HistoryReadLimitError';
  }
}

/**
 * Config did not record some evaluations: it rejected them twice, or the PutEvaluations call of their batch
 * failed (`errors`). Every batch was attempted; `failedResourceIds` names every evaluation not recorded.
 */
export class PutEvaluationsError extends AggregateError {
  readonly failedResourceIds: readonly string[];
  constructor(ruleName: string, rejectedIds: readonly string[], failedBatches: readonly FailedBatch[]) {
    const failedResourceIds = [...rejectedIds, ...failedBatches.flatMap((batch) => batch.resourceIds)];
    const parts = [
      ...(rejectedIds.length > 0
        ? [`rejected ${rejectedIds.length} evaluation(s) twice: ${rejectedIds.join(', ')}`]
        : []),
      ...failedBatches.map(
        (batch) =>
          `could not take a batch of ${batch.resourceIds.length} (${batch.resourceIds.join(', ')}): ${messageOf(batch.error)}`,
      ),
    ];
    super(
      failedBatches.map((batch) => batch.error),
      `AWS Config did not record ${failedResourceIds.length} evaluation(s) of rule ${ruleName}: it ${parts.join('; it ')}. Every other evaluation was recorded. Re-run the rule evaluation; if it persists, check the rule still exists.`,
    );
    this.name = 'PutEvaluationsError';
    this.failedResourceIds = failedResourceIds;
  }
}

/** A PutEvaluations call that failed outright, and the resources of its batch. */
export interface FailedBatch {
  readonly resourceIds: readonly string[];
  readonly error: unknown;
}

/** A trail the sweep could not judge, and why. */
export interface TrailFailure {
  readonly trail: string;
  readonly error: unknown;
}

/**
 * The sweep could not judge some trails. They got no verdict (their earlier results stand); every other
 * trail's verdict and the clean-up were reported first.
 */
export class TrailsNotJudgedError extends AggregateError {
  readonly trails: readonly string[];
  constructor(failures: readonly TrailFailure[]) {
    super(
      failures.map((failure) => failure.error),
      `Could not judge ${failures.length} trail(s), which keep their earlier results; every other trail was reported: ${failures.map((failure) => `${failure.trail} (${messageOf(failure.error)})`).join('; ')}. Fix the cause named for each trail, then re-run the rule evaluation.`,
    );
    this.name = 'TrailsNotJudgedError';
    this.trails = failures.map((failure) => failure.trail);
  }
}

/**
 * An invocation failed in more than one way (reporting, judging trails, reading stored results); each failure
 * is in `errors`, in that order.
 */
export class RuleRunError extends AggregateError {
  constructor(errors: readonly unknown[]) {
    super(
      errors,
      `The rule evaluation failed in ${errors.length} ways: ${errors.map(messageOf).join(' | ')}`,
    );
    this.name = 'RuleRunError';
  }
}

/** GetTrailStatus found no such trail: it was deleted after DescribeTrails listed it, or after its change. */
export class TrailNotFoundError extends Error {
  constructor(trailArn: string, options?: { cause?: unknown }) {
    super(`Trail ${trailArn} no longer exists.`, options);
    this.name = 'TrailNotFoundError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied']);

/** True for the error names AWS uses when IAM refuses a call. */
export function isAccessDenied(error: unknown): boolean {
  return error instanceof Error && ACCESS_DENIED_NAMES.has(error.name);
}

/**
 * Turns an AccessDenied from an SDK call into an {@link AccessDeniedError} naming `action`; any other error is
 * returned unchanged so the caller rethrows it as it came.
 */
export function translateAwsError(error: unknown, action: string, resource: string): unknown {
  return isAccessDenied(error) ? new AccessDeniedError(action, resource, { cause: error }) : error;
}

/** An AWS response lacks a field the rule needs (the API promises it, so this is not a judgement to make). */
export class UnexpectedResponseError extends Error {
  constructor(action: string, message: string, options?: ErrorOptions) {
    super(`Unexpected ${action} response: ${message}`, options);
    this.name = 'UnexpectedResponseError';
  }
}
