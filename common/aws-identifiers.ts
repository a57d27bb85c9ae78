/**
 * Syntax of the AWS identifiers the project validates in more than one place (rule parameters, remediation
 * payloads, cross-account credentials, CDK context), defined once so every check accepts the same values, and
 * how the parts of an ARN are read.
 */

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-`. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** A tuple of `Count` strings. */
type Captures<Count extends number, Found extends string[] = []> = Found['length'] extends Count
  ? Found
  : Captures<Count, [...Found, string]>;

/**
 * The `count` capture groups of `pattern` in `text`, or undefined when it does not match. Every group of the
 * patterns it is used with (the ARN patterns) is required, so a match fills each one with a string.
 */
export function capture<Count extends number>(
  pattern: RegExp,
  text: string,
  count: Count,
): Captures<Count> | undefined {
  const match = pattern.exec(text);
  return match === null ? undefined : (match.slice(1, count + 1) as Captures<Count>);
}
