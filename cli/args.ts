import { isTrailName, parseKmsKeyArn, parseTrailArn, TOPIC_ARN_PATTERN } from '../remediation/arns.js';
import { VALID_RETENTION_DAYS } from '../remediation/definition.js';
import { RULE_NAME, RULE_PARAMETER } from '../rule/definition.js';
import { InvalidRuleParameterError } from '../rule/errors.js';
import { parseRuleParameters } from '../rule/parameters.js';
import type { CommandName } from './commands.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './concurrency.js';
import { UsageError } from './errors.js';
import { type FlagValue, readCommandArguments } from './parser.js';
import { readProgramLine } from './program-line.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from './timeouts.js';

/** What `scan` looks at: every region enabled in the account (the default), or the ones named with `--region`. */
export type RegionSelection =
  | { readonly kind: 'list'; readonly regions: readonly string[] }
  | { readonly kind: 'all' };

export type TableOrJson = 'table' | 'json';
/** `asff` and `ocsf`: one finding per owned trail (cli/findings), for Security Hub and OCSF consumers. */
export type ScanFormat = TableOrJson | 'csv' | 'asff' | 'ocsf';
export type ReportFormat = ScanFormat;

const LISTING_FORMATS = ['table', 'json', 'csv', 'asff', 'ocsf'] as const;

/** Options of every command that calls AWS. */
export interface AwsOptions {
  /** `--profile`: a named profile of the shared config and credentials files. */
  readonly profile?: string;
  /** `--debug`: the SDK's request log on stderr. */
  readonly debug: boolean;
  /** `--cli-connect-timeout` and `--cli-read-timeout`, the AWS CLI's defaults otherwise. */
  readonly timeouts: Timeouts;
  /** `--quiet`: no progress on stderr, even on a terminal. */
  readonly quiet: boolean;
}

export interface ScanCommand {
  readonly command: 'scan';
  readonly aws: AwsOptions;
  readonly regions: RegionSelection;
  readonly windowHours?: number;
  /** `--concurrency`: regions listed at once, and trails judged at once. */
  readonly concurrency: number;
  /** `--exemptions FILE`: judge with the deployment's exemptions file, as the rule does. */
  readonly exemptionsFile?: string;
  readonly output: ScanFormat;
}

export interface RemediationOptions {
  readonly aws: AwsOptions;
  readonly trail: string;
  /** The trail's home region: from its ARN or --region; undefined means the SDK's configured region. */
  readonly region?: string;
  readonly retentionDays?: number;
  readonly kmsKeyArn?: string;
  /** --adopt-existing: reuse a log group or role under the remediation's names that it did not create. */
  readonly adoptExisting?: boolean;
  /** --monitoring with --monitoring-topic: the CIS monitoring alarms notify this SNS topic. */
  readonly monitoringTopicArn?: string;
  /** `--exemptions FILE`: refuse a trail the deployment's exemptions file excuses, as the remediation does. */
  readonly exemptionsFile?: string;
  readonly output: TableOrJson;
}

export interface PlanCommand extends RemediationOptions {
  readonly command: 'plan';
  /** `--detailed-exitcode`: exit 3 when the plan has changes, as a scan does for a finding. */
  readonly detailedExitCode: boolean;
}

export interface FixCommand extends RemediationOptions {
  readonly command: 'fix';
  readonly yes: boolean;
}

export interface ReportCommand {
  readonly command: 'report';
  readonly aws: AwsOptions;
  readonly aggregator: string;
  readonly rule: string;
  /** The aggregator's region; undefined means the configured region. */
  readonly region?: string;
  /** `--exemptions FILE`: list the file's exemptions with their state instead of the compliance counts. */
  readonly exemptionsFile?: string;
  readonly output: ReportFormat;
  /** `--evidence DIR`: also write the auditor's evidence files there (cli/evidence). */
  readonly evidence?: string;
  /** `--coverage`: where the rule has reported, instead of what it reported; absent without the flag. */
  readonly coverage?: CoverageOptions;
}

export interface CoverageOptions {
  /** `--governed-region`: the governed regions; undefined takes the regions of the aggregator's sources. */
  readonly regions?: readonly string[];
}

export interface HelpCommand {
  readonly command: 'help';
  /** The command whose help was asked for; undefined for the program's. */
  readonly topic?: CommandName;
}

/** `--version`: the package's version. */
export interface VersionCommand {
  readonly command: 'version';
}

export type ParsedCommand =
  | ScanCommand
  | PlanCommand
  | FixCommand
  | ReportCommand
  | HelpCommand
  | VersionCommand;

/** The commands that call AWS. */
export type AwsCommand = ScanCommand | PlanCommand | FixCommand | ReportCommand;

type Values = Readonly<Record<string, FlagValue | undefined>>;

// Region codes such as us-east-1, us-gov-west-1, eusc-de-east-1.
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
// ConfigurationAggregatorName: 1-256 of [\w-]; ConfigRuleName: 1-128 characters, not only spaces.
const AGGREGATOR_NAME = /^[\w-]{1,256}$/;
const RULE_NAME_PATTERN = /^(?=.*\S).{1,128}$/;

function asString(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function oneOf<T extends string>(
  command: CommandName,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return value as T;
}

function matching(
  command: CommandName,
  flag: string,
  value: string | undefined,
  pattern: RegExp,
  what: string,
) {
  if (value !== undefined && !pattern.test(value)) {
    throw new UsageError(`--${flag} must be ${what}, got ${JSON.stringify(value)}`, command);
  }
  return value;
}

function parseRegion(command: CommandName, region: string, flag = 'region'): string {
  return matching(command, flag, region, REGION, 'a region code such as us-east-1') ?? region;
}

/** The rule's own parameter parser decides what a window is, so scan and the rule accept the same values. */
function parseWindow(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseRuleParameters({ [RULE_PARAMETER.expectedDeliveryWindowAge]: value })
      .expectedDeliveryWindowAge;
  } catch (error) {
    if (!(error instanceof InvalidRuleParameterError)) throw error;
    throw new UsageError(
      `--window must be a whole number of hours greater than zero, got ${JSON.stringify(value)}`,
      'scan',
    );
  }
}

// Profile names: the characters the shared config file allows in a section name, without spaces.
const PROFILE = /^[\w.@+=,/-]{1,128}$/;

/** Whole seconds above zero: the AWS CLI's 0 (wait forever) is refused, so no call can hang. */
function parseSeconds(
  command: CommandName,
  flag: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) === 0) {
    throw new UsageError(
      `--${flag} must be a whole number of seconds greater than 0, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return Number(value);
}

/** `--exemptions FILE`, when given: the path only; the command reads and validates the file. */
function exemptionsFlag(values: Values): { exemptionsFile?: string } {
  const path = asString(values, 'exemptions');
  return path === undefined ? {} : { exemptionsFile: path };
}

function parseAwsOptions(command: CommandName, values: Values): AwsOptions {
  const profile = matching(
    command,
    'profile',
    asString(values, 'profile'),
    PROFILE,
    'a profile name of your AWS config file',
  );
  return {
    ...(profile === undefined ? {} : { profile }),
    debug: values.debug === true,
    timeouts: {
      connectSeconds: parseSeconds(
        command,
        'cli-connect-timeout',
        asString(values, 'cli-connect-timeout'),
        DEFAULT_TIMEOUTS.connectSeconds,
      ),
      readSeconds: parseSeconds(
        command,
        'cli-read-timeout',
        asString(values, 'cli-read-timeout'),
        DEFAULT_TIMEOUTS.readSeconds,
      ),
    },
    quiet: values.quiet === true,
  };
}

/** Every item of a repeatable flag (each `--region`, each of a comma-separated list), checked, in order. */
function regionList(command: CommandName, values: Values, flag: string): string[] {
  const items = values[flag];
  return (Array.isArray(items) ? items : []).map((region) => parseRegion(command, region, flag));
}

function parseScan(values: Values): ScanCommand {
  const regions = regionList('scan', values, 'region');
  const all = values['all-regions'] === true;
  if (all && regions.length > 0)
    throw new UsageError('use either --region or --all-regions, not both', 'scan');
  const windowHours = parseWindow(asString(values, 'window'));
  const selection: RegionSelection =
    regions.length > 0 ? { kind: 'list', regions: [...new Set(regions)] } : { kind: 'all' };
  const concurrency = asString(values, 'concurrency');
  if (
    concurrency !== undefined &&
    !(/^\d{1,3}$/.test(concurrency) && Number(concurrency) >= 1 && Number(concurrency) <= MAX_CONCURRENCY)
  ) {
    throw new UsageError(
      `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(concurrency)}`,
      'scan',
    );
  }
  return {
    command: 'scan',
    aws: parseAwsOptions('scan', values),
    regions: selection,
    ...(windowHours === undefined ? {} : { windowHours }),
    concurrency: concurrency === undefined ? DEFAULT_CONCURRENCY : Number(concurrency),
    ...exemptionsFlag(values),
    output: oneOf('scan', 'output', asString(values, 'output'), LISTING_FORMATS) ?? 'table',
  };
}

/** Where plan and fix run: the region of a trail ARN, else --region, else undefined (the SDK's region). */
function remediationRegion(
  command: 'plan' | 'fix',
  trail: string,
  flag: string | undefined,
): string | undefined {
  const region = flag === undefined ? undefined : parseRegion(command, flag);
  if (!trail.startsWith('arn:')) {
    if (!isTrailName(trail)) {
      throw new UsageError(
        `<TRAIL> must be a trail name (3-128 of letters, digits, . _ -) or a trail ARN, got ${JSON.stringify(trail)}`,
        command,
      );
    }
    return region;
  }
  const arn = parseTrailArn(trail);
  if (arn === undefined) {
    throw new UsageError(
      `<TRAIL> must be a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME), got ${JSON.stringify(trail)}`,
      command,
    );
  }
  if (region !== undefined && region !== arn.region) {
    throw new UsageError(
      `--region ${region} contradicts the trail ARN, whose home region is ${arn.region}: leave --region out`,
      command,
    );
  }
  return arn.region;
}

function parseRemediation(command: 'plan' | 'fix', values: Values, trail: string): RemediationOptions {
  const region = remediationRegion(command, trail, asString(values, 'region'));
  const retention = asString(values, 'retention-days');
  if (
    retention !== undefined &&
    !(/^\d+$/.test(retention) && (VALID_RETENTION_DAYS as readonly number[]).includes(Number(retention)))
  ) {
    throw new UsageError(
      `--retention-days must be one of ${VALID_RETENTION_DAYS.join(', ')}, got ${JSON.stringify(retention)}`,
      command,
    );
  }
  const kmsKeyArn = asString(values, 'kms-key');
  if (kmsKeyArn !== undefined && parseKmsKeyArn(kmsKeyArn) === undefined) {
    throw new UsageError(
      `--kms-key must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got ${JSON.stringify(kmsKeyArn)}`,
      command,
    );
  }
  const monitoringTopicArn = parseMonitoring(command, values);
  return {
    aws: parseAwsOptions(command, values),
    trail,
    ...(monitoringTopicArn === undefined ? {} : { monitoringTopicArn }),
    ...(region === undefined ? {} : { region }),
    ...(retention === undefined ? {} : { retentionDays: Number(retention) }),
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
    ...(values['adopt-existing'] === true ? { adoptExisting: true } : {}),
    ...exemptionsFlag(values),
    output: oneOf(command, 'output', asString(values, 'output'), ['table', 'json'] as const) ?? 'table',
  };
}

// The command line has no stack topic to fall back on: --monitoring needs --monitoring-topic, and the other way round.
function parseMonitoring(command: 'plan' | 'fix', values: Values): string | undefined {
  const topic = asString(values, 'monitoring-topic');
  const on = values.monitoring === true;
  if (!on && topic === undefined) return undefined;
  if (!on) throw new UsageError('--monitoring-topic needs --monitoring', command);
  if (topic === undefined) {
    throw new UsageError(
      '--monitoring needs --monitoring-topic ARN (the SNS topic its alarms notify)',
      command,
    );
  }
  if (!TOPIC_ARN_PATTERN.test(topic)) {
    throw new UsageError(
      `--monitoring-topic must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), got ${JSON.stringify(topic)}`,
      command,
    );
  }
  return topic;
}

function parseReport(values: Values): ReportCommand {
  const aggregator = asString(values, 'aggregator');
  if (aggregator === undefined) throw new UsageError('missing option --aggregator NAME', 'report');
  matching(
    'report',
    'aggregator',
    aggregator,
    AGGREGATOR_NAME,
    'an aggregator name (1-256 of letters, digits, _ -)',
  );
  const rule = matching(
    'report',
    'rule',
    asString(values, 'rule'),
    RULE_NAME_PATTERN,
    'a Config rule name (1-128 characters)',
  );
  const region = asString(values, 'region');
  const evidence = asString(values, 'evidence');
  const governed = regionList('report', values, 'governed-region');
  const coverage = values.coverage === true;
  if (!coverage && governed.length > 0) {
    throw new UsageError(
      '--governed-region needs --coverage (the compliance report reads every region)',
      'report',
    );
  }
  const output = oneOf('report', 'output', asString(values, 'output'), LISTING_FORMATS) ?? 'table';
  if (coverage && (evidence !== undefined || output === 'asff' || output === 'ocsf')) {
    throw new UsageError(
      '--coverage writes table, json or csv; --output asff|ocsf and --evidence are for the compliance report',
      'report',
    );
  }
  const exemptions = exemptionsFlag(values);
  if (exemptions.exemptionsFile !== undefined && (coverage || output === 'asff' || output === 'ocsf')) {
    throw new UsageError(
      '--exemptions lists the exemptions as table, json or csv, not asff or ocsf, and not with --coverage',
      'report',
    );
  }
  return {
    command: 'report',
    aws: parseAwsOptions('report', values),
    aggregator,
    rule: rule ?? RULE_NAME,
    ...(region === undefined ? {} : { region: parseRegion('report', region) }),
    ...exemptions,
    output,
    ...(evidence === undefined ? {} : { evidence }),
    ...(coverage ? { coverage: governed.length > 0 ? { regions: [...new Set(governed)] } : {} } : {}),
  };
}

/**
 * Checks the values of a command's arguments (read by commander, cli/parser.ts) and gives the typed command.
 * @throws UsageError naming the flag or value.
 */
export function parseCommandArguments(command: CommandName, args: readonly string[]): AwsCommand {
  const { values, argument = '' } = readCommandArguments(command, args);
  switch (command) {
    case 'scan':
      return parseScan(values);
    case 'plan':
      return {
        command: 'plan',
        ...parseRemediation('plan', values, argument),
        detailedExitCode: values['detailed-exitcode'] === true,
      };
    case 'fix':
      return {
        command: 'fix',
        ...parseRemediation('fix', values, argument),
        yes: values.yes === true,
      };
    case 'report':
      return parseReport(values);
  }
}

/**
 * Parses the arguments after the program name into a command. Anything wrong throws {@link UsageError}
 * naming the flag or value; `--help` anywhere wins over the rest.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const line = readProgramLine(argv);
  switch (line.kind) {
    case 'version':
      return { command: 'version' };
    case 'help':
      return line.topic === undefined ? { command: 'help' } : { command: 'help', topic: line.topic };
    case 'command':
      return parseCommandArguments(line.command, line.args);
  }
}
