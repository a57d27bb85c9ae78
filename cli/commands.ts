import { PROJECT_NAME } from '../common/project.js';
import { DEFAULT_RETENTION_DAYS, UPDATE_TRAIL_RETRY_BOUND_MS } from '../remediation/definition.js';
import { RULE_NAME } from '../rule/definition.js';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './concurrency.js';
import { DEFAULT_CONNECT_TIMEOUT_SECONDS, DEFAULT_READ_TIMEOUT_SECONDS } from './timeouts.js';

/**
 * The commands, their flags and their help, declared once: the parser, the help text and docs/cli.md are all
 * read from this table, so a flag cannot be accepted without being documented.
 */

/** The program name: the package's `bin`. */
export const CLI_NAME = PROJECT_NAME;

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** The one-letter alias, e.g. `r` for `-r`. */
  readonly short?: string;
  /** Repeatable, and a comma-separated list counts as several. */
  readonly multiple?: boolean;
  /** Placeholder of the value in the help text, e.g. `REGION`. */
  readonly placeholder?: string;
  /** Shown in the synopsis; the parser enforces it. */
  readonly required?: boolean;
  readonly description: string;
}

export interface CommandSpec {
  readonly name: CommandName;
  readonly summary: string;
  /** The positional argument, when the command takes one. */
  readonly argument?: { readonly name: string; readonly description: string };
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly details: readonly string[];
  readonly examples: readonly string[];
}

export type CommandName = 'scan' | 'plan' | 'fix' | 'report';

const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** Flags of every command that calls AWS. */
const AWS_FLAGS: Readonly<Record<string, FlagSpec>> = {
  profile: {
    type: 'string',
    short: 'p',
    placeholder: 'NAME',
    description:
      'Named profile of your AWS config and credentials files (default: AWS_PROFILE, else default).',
  },
  debug: { type: 'boolean', description: "Print the AWS SDK's request log to stderr." },
  'cli-connect-timeout': {
    type: 'string',
    placeholder: 'SECONDS',
    description: `Longest wait to connect to an AWS endpoint, each attempt (default ${DEFAULT_CONNECT_TIMEOUT_SECONDS}, as the AWS CLI).`,
  },
  'cli-read-timeout': {
    type: 'string',
    placeholder: 'SECONDS',
    description: `Longest silence of an AWS endpoint, each attempt (default ${DEFAULT_READ_TIMEOUT_SECONDS}, as the AWS CLI); a call is tried 3 times (AWS_MAX_ATTEMPTS).`,
  },
  quiet: {
    type: 'boolean',
    short: 'q',
    description: 'No progress on stderr (shown only when stderr is a terminal).',
  },
};

/** The deployment's exemptions file (`-c exemptions=FILE` of the stacks). */
const EXEMPTIONS_FLAG: FlagSpec = {
  type: 'string',
  placeholder: 'FILE',
  description: "The deployment's exemptions file (its -c exemptions): honour it as the deployed guard does.",
};

const REMEDIATION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  region: {
    type: 'string',
    short: 'r',
    placeholder: 'REGION',
    description: "The trail's home region, for a trail given by name (default: the SDK's region).",
  },
  'retention-days': {
    type: 'string',
    placeholder: 'N',
    description: `Retention of a log group the fix creates, in days (default ${DEFAULT_RETENTION_DAYS}); a value CloudWatch Logs accepts.`,
  },
  'kms-key': {
    type: 'string',
    placeholder: 'ARN',
    description: 'KMS key ARN to encrypt the log group with (default: none).',
  },
  'adopt-existing': {
    type: 'boolean',
    description:
      "Reuse a log group or role under the fix's names that it did not create; the summary lists the group's subscription filters and key (default: refuse, exit 1).",
  },
  monitoring: {
    type: 'boolean',
    description:
      "Also create the CIS monitoring metric filters and alarms (Security Hub CloudWatch.1-14) on the trail's log group, when the trail qualifies; needs --monitoring-topic (default: off).",
  },
  'monitoring-topic': {
    type: 'string',
    placeholder: 'ARN',
    description: 'SNS topic ARN the monitoring alarms notify (with --monitoring).',
  },
  exemptions: {
    ...EXEMPTIONS_FLAG,
    description: "The deployment's exemptions file (its -c exemptions): refuse a trail it excuses, exit 1.",
  },
};

const EXIT_CODES_SCAN =
  'Exit codes: 0 all compliant or exempt, 3 a NON_COMPLIANT trail found, 4 incomplete (a region or trail could not be read; wins over 3), 1 error, 2 usage error.';
const EXIT_CODES_CHANGE =
  'Exit codes: 0 done (already compliant, integrated or repaired), 1 error, declined, refused adoption, an exempt trail or a broken integration it may not repair, 2 usage error, 130/143 interrupted by SIGINT/SIGTERM (what was applied is listed).';
const EXIT_CODES_PLAN =
  'Exit codes: 0 done (with --detailed-exitcode: nothing to change), 3 changes pending (only with --detailed-exitcode), 1 error, refused adoption, an exempt trail or a broken integration it may not repair, 2 usage error.';

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  scan: {
    name: 'scan',
    summary: 'Judge every trail your credentials can see, each once, in its home region.',
    flags: {
      region: {
        type: 'string',
        short: 'r',
        multiple: true,
        placeholder: 'REGION',
        description:
          'Region to look for trails in; repeat it, or separate them with commas, for several (default: every enabled region).',
      },
      'all-regions': {
        type: 'boolean',
        description:
          'Every region enabled in the account, the default (account:ListRegions, else ec2:DescribeRegions).',
      },
      window: {
        type: 'string',
        placeholder: 'HOURS',
        description: 'Also fail a trail with no CloudWatch Logs delivery within HOURS (the rule parameter).',
      },
      concurrency: {
        type: 'string',
        placeholder: 'N',
        description: `Regions listed at once, and trails judged at once (default ${DEFAULT_CONCURRENCY}, at most ${MAX_CONCURRENCY}).`,
      },
      exemptions: {
        ...EXEMPTIONS_FLAG,
        description:
          "The deployment's exemptions file (its -c exemptions): show an exempt trail as EXEMPT with its date and reason.",
      },
      output: {
        type: 'string',
        short: 'o',
        placeholder: 'FORMAT',
        description:
          'table (default), json, csv, asff (Security Hub findings) or ocsf (OCSF Compliance Findings).',
      },
      ...AWS_FLAGS,
      help: HELP_FLAG,
    },
    details: [
      'Uses the same judge as the Config rule and the SDK default credential chain (profile, environment, SSO).',
      'A region or trail that cannot be read is reported on stderr, one line each; the others are still shown.',
      'A region that never answers fails after 3 attempts of --cli-read-timeout each (about 3 minutes by default).',
      'Progress: one line on stderr, only when stderr is a terminal (none with --quiet).',
      'asff and ocsf write one finding per trail the account owns, with an id that stays the same on every run; asff is ready for aws securityhub batch-import-findings (100 findings a call) in the account and region of your credentials.',
      EXIT_CODES_SCAN,
    ],
    examples: [
      `${CLI_NAME} scan`,
      `${CLI_NAME} scan --region us-east-1,eu-west-1 --window 24`,
      `${CLI_NAME} scan -o json > trails.json`,
      `${CLI_NAME} scan --output asff > findings.json && aws securityhub batch-import-findings --findings file://findings.json`,
      `${CLI_NAME} scan --exemptions exemptions.json`,
    ],
  },
  plan: {
    name: 'plan',
    summary: 'Show what fix would change for a trail, without changing anything.',
    argument: { name: 'TRAIL', description: 'Trail name or ARN.' },
    flags: {
      ...REMEDIATION_FLAGS,
      'detailed-exitcode': {
        type: 'boolean',
        description: 'Exit 3 when there are changes to make, 0 when there are none.',
      },
      output: { type: 'string', short: 'o', placeholder: 'FORMAT', description: 'table (default) or json.' },
      ...AWS_FLAGS,
      help: HELP_FLAG,
    },
    details: ["Runs the remediation's dry run: nothing is written.", EXIT_CODES_PLAN],
    examples: [
      `${CLI_NAME} plan management-events`,
      `${CLI_NAME} plan arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events --output json`,
      `${CLI_NAME} plan management-events --detailed-exitcode`,
    ],
  },
  fix: {
    name: 'fix',
    summary: 'Send a trail to CloudWatch Logs: log group, role, UpdateTrail (the remediation itself).',
    argument: { name: 'TRAIL', description: 'Trail name or ARN.' },
    flags: {
      ...REMEDIATION_FLAGS,
      yes: {
        type: 'boolean',
        short: 'y',
        description: 'Do not ask for confirmation (required when stdin is not a terminal).',
      },
      output: { type: 'string', short: 'o', placeholder: 'FORMAT', description: 'table (default) or json.' },
      ...AWS_FLAGS,
      help: HELP_FLAG,
    },
    details: [
      'Shows the plan, then asks before changing anything unless --yes is given.',
      'Without --yes and without a terminal to ask on, it refuses and changes nothing.',
      'If a step fails, or Ctrl-C interrupts it, it lists the changes already applied and those remaining; run it again to finish.',
      `While IAM propagates a new role it says so, and waits at most ${UPDATE_TRAIL_RETRY_BOUND_MS / 1000} s for CloudTrail to accept it.`,
      EXIT_CODES_CHANGE,
    ],
    examples: [
      `${CLI_NAME} fix management-events`,
      `${CLI_NAME} fix management-events --retention-days 731 --kms-key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab --yes`,
    ],
  },
  report: {
    name: 'report',
    summary:
      "The organization view from a Config aggregator: the rule's compliance, or (--coverage) where it reports.",
    flags: {
      aggregator: {
        type: 'string',
        short: 'a',
        placeholder: 'NAME',
        required: true,
        description: 'Name of the configuration aggregator.',
      },
      rule: {
        type: 'string',
        placeholder: 'NAME',
        description: `Config rule name (default ${RULE_NAME}; deployed with namePrefix P: P-${RULE_NAME}).`,
      },
      region: {
        type: 'string',
        short: 'r',
        placeholder: 'REGION',
        description: "The aggregator's region (default: the configured region).",
      },
      exemptions: {
        ...EXEMPTIONS_FLAG,
        description:
          "The deployment's exemptions file: list each exemption with its state (active, expiring, expired, unmatched) instead of the compliance; with --evidence, the exemptions in force.",
      },
      coverage: {
        type: 'boolean',
        description:
          'Instead of compliance: for every ACTIVE account of the organization and every governed region, whether the rule has reported there.',
      },
      'governed-region': {
        type: 'string',
        multiple: true,
        placeholder: 'REGION',
        description:
          "With --coverage: a governed region; repeat it, or separate them with commas, for several (default: every region of the aggregator's sources).",
      },
      output: {
        type: 'string',
        short: 'o',
        placeholder: 'FORMAT',
        description:
          'table (default), json, csv, asff (Security Hub findings) or ocsf (OCSF Compliance Findings); --coverage takes the first three.',
      },
      evidence: {
        type: 'string',
        placeholder: 'DIR',
        description:
          'Also write evidence for auditors to DIR (new or empty): compliance.csv, remediations.csv, exemptions.csv, manifest.json and SHA256SUMS.',
      },
      ...AWS_FLAGS,
      help: HELP_FLAG,
    },
    details: [
      "Run it in the aggregator's account and region (--region). JSON (evaluations) and CSV hold one row per evaluated trail.",
      'With --exemptions, a trail matches an exemption when the aggregator holds an evaluation of it; trails named in an OU need organizations:ListParents.',
      'asff and ocsf write one finding per trail evaluated in its owner account and home region.',
      "--evidence reads the remediations from the SSM Automation history of the aggregator's account and region; check the files later with: cd DIR && sha256sum --check --strict SHA256SUMS",
      'Exit codes: 0 no NON_COMPLIANT trail, 3 a NON_COMPLIANT trail found, 4 no evaluation of the rule at all (check --rule and --region), or an account-region the rule could not judge in full (named on stderr; wins over 3), 1 error, 2 usage error.',
      'Exit codes with --exemptions: 0 every exemption active or expiring, 3 an exemption expired or unmatched, 4 an account-region the rule could not judge in full (wins over 3), 1 error, 2 usage error.',
      'With --coverage, one row per account and region; each uncovered one is also named on stderr.',
      'Exit codes with --coverage: 0 every account-region covered, 4 an account-region uncovered, 1 error, 2 usage error.',
    ],
    examples: [
      `${CLI_NAME} report --aggregator organization`,
      `${CLI_NAME} report --aggregator organization --exemptions exemptions.json`,
      `${CLI_NAME} report --aggregator organization --rule prod-${RULE_NAME} --output csv > trails.csv`,
      `${CLI_NAME} report --aggregator organization --evidence evidence-2026-12`,
      `${CLI_NAME} report --coverage --aggregator organization --governed-region us-east-1 --governed-region eu-west-1`,
    ],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as readonly CommandName[];

function flagLabel(name: string, spec: FlagSpec): string {
  const short = spec.short === undefined ? '' : `-${spec.short}, `;
  return `${short}--${name}${spec.placeholder === undefined ? '' : ` ${spec.placeholder}`}`;
}

function columns(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** The `--help` text of one command. */
export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const flags = Object.entries(spec.flags);
  const synopsis = [
    `${CLI_NAME} ${name}`,
    ...(spec.argument === undefined ? [] : [`<${spec.argument.name}>`]),
    ...flags
      .filter(([, flag]) => flag.required)
      .map(
        ([flag, flagSpec]) =>
          `--${flag}${flagSpec.placeholder === undefined ? '' : ` ${flagSpec.placeholder}`}`,
      ),
    '[options]',
  ].join(' ');
  const argument =
    spec.argument === undefined
      ? []
      : ['', 'Arguments:', ...columns([[spec.argument.name, spec.argument.description]])];
  return [
    `Usage: ${synopsis}`,
    '',
    spec.summary,
    ...argument,
    '',
    'Options:',
    ...columns(flags.map(([flag, flagSpec]) => [flagLabel(flag, flagSpec), flagSpec.description])),
    '',
    ...spec.details,
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

/** The `--help` text of the program. */
export function programHelp(): string {
  return [
    `Usage: ${CLI_NAME} <command> [options]`,
    '',
    'Keep CloudTrail trails sending to CloudWatch Logs, from a terminal, with the judge and the fix the AWS Config rule uses.',
    '',
    'Commands:',
    ...columns(COMMAND_NAMES.map((name) => [name, COMMANDS[name].summary])),
    '',
    `Run '${CLI_NAME} <command> --help' for the options and examples of a command, '${CLI_NAME} --version' for the version.`,
    'Credentials and region come from the AWS SDK default chain (AWS_PROFILE, environment, SSO) or --profile.',
    '',
  ].join('\n');
}
