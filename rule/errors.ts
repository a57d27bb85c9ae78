/**
 * One error class per failure kind of the rule Lambda. Each message names what is wrong and what to do, so
 * the failed invocation Config records is enough for an operator to act on.
 */

/** The Config event is not what AWS Config sends to a custom rule (malformed JSON, unknown message type...). */
export class InvalidEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`Invalid Config rule event: ${message}`, options);
    this.name = 'InvalidEventError';
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

/** AWS Config has no configuration item for a resource the event named. */
export class ConfigurationItemNotFoundError extends Error {
  constructor(resourceType: string, resourceId: string) {
    super(
      `GetResourceConfigHistory returned no configuration item for ${resourceType} ${resourceId}; check that AWS Config records this resource type.`,
    );
    this.name = 'ConfigurationItemNotFoundError';
  }
}

/** Config rejected evaluations even after one retry. */
export class PutEvaluationsError extends Error {
  readonly failedResourceIds: readonly string[];
  constructor(ruleName: string, failedResourceIds: readonly string[]) {
    super(
      `AWS Config rejected ${failedResourceIds.length} evaluation(s) of rule ${ruleName} twice: ${failedResourceIds.join(', ')}. Re-run the rule evaluation; if it persists, check the rule still exists.`,
    );
    this.name = 'PutEvaluationsError';
    this.failedResourceIds = failedResourceIds;
  }
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
