/**
 * Syntax of the AWS identifiers the project validates in more than one place (rule parameters, remediation
 * payloads, cross-account credentials, CDK context), defined once so every check accepts the same values.
 */

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-`. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
