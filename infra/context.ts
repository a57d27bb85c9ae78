import { parseKmsKeyArn as kmsKeyArnParts, TOPIC_ARN_PATTERN } from '../remediation/arns.js';
import { DEFAULT_RETENTION_DAYS, VALID_RETENTION_DAYS } from '../remediation/definition.js';

/**
 * The CDK context keys the app reads (`npx cdk deploy -c key=value`, or `context` in cdk.json). Pure: the app
 * passes a reader, so validation is testable without synthesizing anything.
 */
export const CONTEXT_KEY = {
  namePrefix: 'namePrefix',
  retentionDays: 'retentionDays',
  kmsKeyArn: 'kmsKeyArn',
  ruleSchedule: 'ruleSchedule',
  expectedDeliveryWindowAge: 'expectedDeliveryWindowAge',
  autoRemediate: 'autoRemediate',
  remediationMaxAttempts: 'remediationMaxAttempts',
  remediationRetrySeconds: 'remediationRetrySeconds',
  monitoring: 'monitoring',
  complianceAlerts: 'complianceAlerts',
  alarmEmail: 'alarmEmail',
  alarmHttpsEndpoint: 'alarmHttpsEndpoint',
  alarmTopicArn: 'alarmTopicArn',
  logLevel: 'logLevel',
  exemptions: 'exemptions',
} as const;

export type ContextKey = (typeof CONTEXT_KEY)[keyof typeof CONTEXT_KEY];

/** Periodic frequencies AWS Config accepts for `MaximumExecutionFrequency`. */
export const RULE_SCHEDULES = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
] as const;

export type RuleSchedule = (typeof RULE_SCHEDULES)[number];

export type RetentionDays = (typeof VALID_RETENTION_DAYS)[number];

/**
 * Lambda's application log levels (LoggingConfig ApplicationLogLevel), most detailed first. The runtime drops
 * console calls below the level: console.debug is DEBUG, console.info INFO, console.error ERROR.
 */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A line per evaluation and per remediation action is INFO; DEBUG adds what each invocation is about. */
export const DEFAULT_LOG_LEVEL: LogLevel = 'INFO';

/** The periodic trigger when the delivery check is off. */
export const DEFAULT_RULE_SCHEDULE: RuleSchedule = 'TwentyFour_Hours';

/**
 * The periodic trigger whenever the delivery check is on, and the only one accepted then: a COMPLIANT verdict
 * given in the 60-minute grace for a first delivery (rule/delivery.ts DELIVERY_GRACE_MINUTES) is provisional,
 * and the next hourly sweep judges the trail again, within grace + 1 hour of its change.
 */
export const DELIVERY_CHECK_RULE_SCHEDULE: RuleSchedule = 'One_Hour';

/** Hours, as in the AWS managed rule cloud-trail-cloud-watch-logs-enabled. */
export const DEFAULT_EXPECTED_DELIVERY_WINDOW_AGE = 24;

/** Values of `expectedDeliveryWindowAge` that turn the delivery-age check off. */
export const DELIVERY_WINDOW_OFF_VALUES = ['off', 'none'] as const;

/** Bounds AWS Config puts on automatic remediation (`MaximumAutomaticAttempts`, `RetryAttemptSeconds`). */
export const REMEDIATION_MAX_ATTEMPTS_RANGE = { min: 1, max: 25, default: 5 } as const;
export const REMEDIATION_RETRY_SECONDS_RANGE = { min: 1, max: 2_678_000, default: 60 } as const;

/** Upper bound for the window (one year): a longer one would never flag a stalled delivery. */
const MAX_DELIVERY_WINDOW_HOURS = 8_760;

/**
 * Starts with a letter, then letters, digits and hyphens: it becomes the start of the stack name and of the
 * Config rule name, and CloudFormation stack names allow only these characters.
 */
const NAME_PREFIX_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

export interface AutomaticRemediation {
  readonly maxAttempts: number;
  readonly retrySeconds: number;
}

/**
 * Who gets the monitoring alarms' notifications. Security Hub's CloudWatch.1-14 pass only when the alarms' topic
 * has a confirmed subscriber, so the stack subscribes these to its topic (each confirms once: SNS sends an email or
 * a SubscriptionConfirmation request first), or the alarms notify the team's own topic instead.
 */
export interface AlarmNotifications {
  /** Email addresses subscribed to the stack's topic (context alarmEmail, comma-separated). */
  readonly emails: readonly string[];
  /** HTTPS endpoints subscribed to the stack's topic (context alarmHttpsEndpoint, comma-separated). */
  readonly httpsEndpoints: readonly string[];
  /**
   * The team's existing alerting topic, of the stack's account and region, that the alarms notify instead: the
   * stack then creates no topic (context alarmTopicArn; single-account app only). @default the stack's own topic
   */
  readonly topicArn: string | undefined;
}

/** The validated deployment settings. */
export interface GuardContext {
  /** Prepended (with a hyphen) to the stack and Config rule names; undefined when not set. */
  readonly namePrefix: string | undefined;
  /** Retention of the log groups the remediation creates and of the Lambdas' own log groups. */
  readonly retentionDays: RetentionDays;
  /**
   * KMS keys for the log groups the remediation creates, at most one per region (a key encrypts log groups of
   * its own region only); empty means CloudWatch Logs' default encryption. The single-account stack takes one,
   * the organization app one per governed region (infra/organization/kms-keys.ts).
   */
  readonly kmsKeyArns: readonly string[];
  /** {@link DELIVERY_CHECK_RULE_SCHEDULE} whenever the delivery check is on. */
  readonly ruleSchedule: RuleSchedule;
  /** Hours; undefined when the delivery-age check is turned off. */
  readonly expectedDeliveryWindowAge: number | undefined;
  /** Automatic remediation settings; undefined means manual (the operator presses Remediate). */
  readonly autoRemediation: AutomaticRemediation | undefined;
  /**
   * The opt-in CIS monitoring (CloudWatch.1-14): the stack creates an encrypted SNS topic, the remediation
   * creates a metric filter and an alarm per control on each qualifying trail's log group. @default false
   */
  readonly monitoring: boolean;
  /**
   * The opt-in alert on change (infra/compliance-alerts.ts): an EventBridge rule on the rule's "Config Rules
   * Compliance Change" events, to and from NON_COMPLIANT, notifies an encrypted SNS topic with the annotation. In
   * organization mode the spokes forward the events to one bus and topic in the hub. @default false
   */
  readonly complianceAlerts: boolean;
  /** Who the monitoring alarms notify; empty unless `monitoring` is on. */
  readonly alarmNotifications: AlarmNotifications;
  /** Application log level of both Lambdas. */
  readonly logLevel: LogLevel;
  /**
   * Path of the exemptions file (common/exemptions.ts), relative to where `cdk` runs; infra/exemptions.ts reads and
   * validates it. undefined: no trail is exempt.
   */
  readonly exemptionsFile: string | undefined;
}

/** Invalid CDK context: names the key, the value given and what is accepted. */
export class InvalidContextError<K extends string = ContextKey> extends Error {
  readonly key: K;

  constructor(key: K, value: unknown, expected: string) {
    super(
      `Invalid CDK context '${key}': got ${JSON.stringify(value)}; expected ${expected}. ` +
        `Pass it as -c ${key}=<value> or set it under "context" in cdk.json.`,
    );
    this.name = 'InvalidContextError';
    this.key = key;
  }
}

/** Reads one raw context value (`node.tryGetContext`); undefined when the key is not set. */
export type ContextReader = (key: ContextKey) => unknown;

/**
 * Validates every context key and applies the defaults. Values from `-c` arrive as strings and values from
 * cdk.json keep their JSON type, so both forms are accepted.
 * @throws InvalidContextError naming the first invalid key.
 */
export function parseGuardContext(read: ContextReader): GuardContext {
  const autoRemediate = parseBoolean(CONTEXT_KEY.autoRemediate, read(CONTEXT_KEY.autoRemediate), false);
  // Parsed even when remediation is manual, so a typo is caught before someone turns automation on.
  const maxAttempts = parseIntegerInRange(
    CONTEXT_KEY.remediationMaxAttempts,
    read(CONTEXT_KEY.remediationMaxAttempts),
    REMEDIATION_MAX_ATTEMPTS_RANGE,
  );
  const retrySeconds = parseIntegerInRange(
    CONTEXT_KEY.remediationRetrySeconds,
    read(CONTEXT_KEY.remediationRetrySeconds),
    REMEDIATION_RETRY_SECONDS_RANGE,
  );
  const expectedDeliveryWindowAge = parseDeliveryWindow(read(CONTEXT_KEY.expectedDeliveryWindowAge));
  const monitoring = parseBoolean(CONTEXT_KEY.monitoring, read(CONTEXT_KEY.monitoring), false);
  return {
    namePrefix: parseNamePrefix(read(CONTEXT_KEY.namePrefix)),
    retentionDays: parseRetentionDays(read(CONTEXT_KEY.retentionDays)),
    kmsKeyArns: parseKmsKeyArns(read(CONTEXT_KEY.kmsKeyArn)),
    ruleSchedule: parseRuleSchedule(read(CONTEXT_KEY.ruleSchedule), expectedDeliveryWindowAge !== undefined),
    expectedDeliveryWindowAge,
    autoRemediation: autoRemediate ? { maxAttempts, retrySeconds } : undefined,
    monitoring,
    alarmNotifications: parseAlarmNotifications(read, monitoring),
    complianceAlerts: parseBoolean(CONTEXT_KEY.complianceAlerts, read(CONTEXT_KEY.complianceAlerts), false),
    logLevel: parseLogLevel(read(CONTEXT_KEY.logLevel)),
    exemptionsFile: parseExemptionsFile(read(CONTEXT_KEY.exemptions)),
  };
}

function parseExemptionsFile(value: unknown): string | undefined {
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidContextError(CONTEXT_KEY.exemptions, value, 'the path of the exemptions JSON file');
  }
  return value;
}

/** A context value left out: absent, null (cdk.json) or empty (`-c key=`). */
export function isUnset(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

function parseNamePrefix(value: unknown): string | undefined {
  if (isUnset(value)) return undefined;
  if (typeof value !== 'string' || !NAME_PREFIX_PATTERN.test(value)) {
    throw new InvalidContextError(
      CONTEXT_KEY.namePrefix,
      value,
      'a letter followed by up to 31 letters, digits or hyphens',
    );
  }
  return value;
}

function parseRetentionDays(value: unknown): RetentionDays {
  if (isUnset(value)) return DEFAULT_RETENTION_DAYS;
  const days = toInteger(value);
  const valid = VALID_RETENTION_DAYS.find((candidate) => candidate === days);
  if (valid === undefined) {
    throw new InvalidContextError(
      CONTEXT_KEY.retentionDays,
      value,
      `one of the retention periods CloudWatch Logs accepts (${VALID_RETENTION_DAYS.join(', ')})`,
    );
  }
  return valid;
}

/**
 * One key ARN, several comma-separated (`-c`), or a JSON array (cdk.json); duplicates dropped. Two keys of one
 * region are refused: a region's log groups get exactly one key.
 */
function parseKmsKeyArns(value: unknown): readonly string[] {
  if (isUnset(value)) return [];
  const expected =
    'KMS key ARNs such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab, ' +
    'comma-separated, at most one per region';
  const items = listOf(value);
  if (items === undefined || items.length === 0 || items.some((item) => kmsKeyArnParts(item) === undefined)) {
    throw new InvalidContextError(CONTEXT_KEY.kmsKeyArn, value, expected);
  }
  const keys = [...new Set(items)];
  const byRegion = new Map<string, string>();
  for (const key of keys) {
    const region = kmsKeyArnParts(key)?.region ?? '';
    const other = byRegion.get(region);
    if (other !== undefined) {
      throw new InvalidContextError(
        CONTEXT_KEY.kmsKeyArn,
        value,
        `${expected} (${other} and ${key} are both in ${region})`,
      );
    }
    byRegion.set(region, key);
  }
  return keys;
}

function parseRuleSchedule(value: unknown, deliveryChecked: boolean): RuleSchedule {
  if (isUnset(value)) return deliveryChecked ? DELIVERY_CHECK_RULE_SCHEDULE : DEFAULT_RULE_SCHEDULE;
  const schedule = RULE_SCHEDULES.find((candidate) => candidate === value);
  if (schedule === undefined) {
    throw new InvalidContextError(CONTEXT_KEY.ruleSchedule, value, `one of ${RULE_SCHEDULES.join(', ')}`);
  }
  if (deliveryChecked && schedule !== DELIVERY_CHECK_RULE_SCHEDULE) {
    throw new InvalidContextError(
      CONTEXT_KEY.ruleSchedule,
      value,
      `${DELIVERY_CHECK_RULE_SCHEDULE} while ${CONTEXT_KEY.expectedDeliveryWindowAge} is on (a verdict given in ` +
        `the grace for a first delivery must be judged again within the hour); set ` +
        `${CONTEXT_KEY.expectedDeliveryWindowAge}=off for a slower schedule`,
    );
  }
  return schedule;
}

function parseDeliveryWindow(value: unknown): number | undefined {
  if (isUnset(value)) return DEFAULT_EXPECTED_DELIVERY_WINDOW_AGE;
  if (typeof value === 'string' && DELIVERY_WINDOW_OFF_VALUES.some((off) => off === value.toLowerCase())) {
    return undefined;
  }
  const hours = toInteger(value);
  if (hours === undefined || hours < 1 || hours > MAX_DELIVERY_WINDOW_HOURS) {
    throw new InvalidContextError(
      CONTEXT_KEY.expectedDeliveryWindowAge,
      value,
      `whole hours from 1 to ${MAX_DELIVERY_WINDOW_HOURS}, or ${DELIVERY_WINDOW_OFF_VALUES.map((off) => `'${off}'`).join(' or ')} to turn the delivery check off`,
    );
  }
  return hours;
}

/** A plain address: something@domain.tld, no spaces, commas or second @. */
const EMAIL_PATTERN = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

/** One string, several comma-separated (`-c`), or a JSON array of strings (cdk.json); undefined for other types. */
export function listOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim());
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item: string) => item.trim());
  }
  return undefined;
}

function isHttpsEndpoint(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  // Credentials in the URL would sit in plain text in the template and the stack's parameters.
  return url.protocol === 'https:' && url.username === '' && url.password === '';
}

function parseList(
  key: ContextKey,
  value: unknown,
  isValid: (item: string) => boolean,
  expected: string,
): readonly string[] {
  if (isUnset(value)) return [];
  const items = listOf(value);
  if (items === undefined || items.length === 0 || !items.every(isValid)) {
    throw new InvalidContextError(key, value, expected);
  }
  return [...new Set(items)];
}

/**
 * The alarms' subscribers (alarmEmail, alarmHttpsEndpoint) or the team's topic (alarmTopicArn). Each needs
 * `monitoring`, and the team's topic excludes the subscriptions (those go on the stack's own topic; subscribe
 * them to your topic yourself).
 */
function parseAlarmNotifications(read: ContextReader, monitoring: boolean): AlarmNotifications {
  const K = CONTEXT_KEY;
  const emails = parseList(
    K.alarmEmail,
    read(K.alarmEmail),
    (item) => EMAIL_PATTERN.test(item),
    'email addresses such as security@example.com, comma-separated',
  );
  const httpsEndpoints = parseList(
    K.alarmHttpsEndpoint,
    read(K.alarmHttpsEndpoint),
    isHttpsEndpoint,
    'https:// URLs without user name or password, comma-separated',
  );
  const rawTopic = read(K.alarmTopicArn);
  let topicArn: string | undefined;
  if (!isUnset(rawTopic)) {
    if (typeof rawTopic !== 'string' || !TOPIC_ARN_PATTERN.test(rawTopic)) {
      throw new InvalidContextError(
        K.alarmTopicArn,
        rawTopic,
        "an SNS topic ARN of the stack's account and region, such as arn:aws:sns:us-east-1:111122223333:alerts",
      );
    }
    topicArn = rawTopic;
  }
  for (const [key, given] of [
    [K.alarmEmail, emails.length > 0],
    [K.alarmHttpsEndpoint, httpsEndpoints.length > 0],
    [K.alarmTopicArn, topicArn !== undefined],
  ] as const) {
    if (given && !monitoring) {
      throw new InvalidContextError(key, read(key), `to be set only with ${K.monitoring}=true`);
    }
  }
  if (topicArn !== undefined && (emails.length > 0 || httpsEndpoints.length > 0)) {
    throw new InvalidContextError(
      K.alarmTopicArn,
      topicArn,
      `either ${K.alarmTopicArn} (your topic: subscribe to it yourself) or ${K.alarmEmail}/${K.alarmHttpsEndpoint} ` +
        "(subscriptions to the stack's topic), not both",
    );
  }
  return { emails, httpsEndpoints, topicArn };
}

function parseLogLevel(value: unknown): LogLevel {
  if (isUnset(value)) return DEFAULT_LOG_LEVEL;
  const level = LOG_LEVELS.find(
    (candidate) => typeof value === 'string' && candidate === value.toUpperCase(),
  );
  if (level === undefined) {
    throw new InvalidContextError(CONTEXT_KEY.logLevel, value, `one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

function parseBoolean(key: ContextKey, value: unknown, fallback: boolean): boolean {
  if (isUnset(value)) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidContextError(key, value, 'true or false');
}

/**
 * A whole number within `range` (its default when unset), from a JSON number or a string of decimal digits.
 * @throws InvalidContextError naming `key` and the value otherwise.
 */
export function parseIntegerInRange<K extends string>(
  key: K,
  value: unknown,
  range: { readonly min: number; readonly max: number; readonly default: number },
): number {
  if (isUnset(value)) return range.default;
  const parsed = toInteger(value);
  if (parsed === undefined || parsed < range.min || parsed > range.max) {
    throw new InvalidContextError(key, value, `a whole number from ${range.min} to ${range.max}`);
  }
  return parsed;
}

/** A whole number from a JSON number or a string of decimal digits; undefined for anything else. */
function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d{1,9}$/.test(value)) return Number(value);
  return undefined;
}
