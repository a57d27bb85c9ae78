/**
 * Syntax of the AWS identifiers the project validates in more than one place (rule parameters, remediation
 * payloads, cross-account credentials, CDK context), defined once so every check accepts the same values, and
 * how the parts of an ARN are read.
 */

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** IAM role names: 1-64 characters of letters, digits and `+=,.@_-`. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** An organizational unit id (`ou-<root part>-<unit part>`), as AWS Organizations writes it. */
export const ORGANIZATIONAL_UNIT_ID_PATTERN = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** The account in an ARN (`arn:<partition>:<service>:<region>:<account>:...`), or undefined when it names none. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account === '' ? undefined : account;
}

/** `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`: partition, region, account and name. */
const TRAIL_ARN_PATTERN = /^arn:(aws[a-z-]*):cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

// CloudTrail naming rules: 3-128 characters of letters, digits, '.', '_', '-'; starts and ends with a letter or
// digit; no two separators in a row; not an IP address.
const TRAIL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/** True when `name` follows CloudTrail's trail naming rules. */
export function isTrailName(name: string): boolean {
  return name.length >= 3 && name.length <= 128 && TRAIL_NAME.test(name) && !IP_ADDRESS.test(name);
}

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

/** The parts of a trail ARN. */
export interface TrailArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/** Parses `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`; undefined when it is not one. */
export function parseTrailArn(arn: string): TrailArn | undefined {
  const groups = capture(TRAIL_ARN_PATTERN, arn, 4);
  if (groups === undefined) return undefined;
  const [partition, region, account, name] = groups;
  return isTrailName(name) ? { partition, region, account, name } : undefined;
}
