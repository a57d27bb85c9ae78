import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS, commandHelp, programHelp } from '../../cli/commands.js';

describe('commandHelp', () => {
  it('lists usage, options, exit codes and examples', () => {
    expect(commandHelp('scan')).toBe(
      [
        'Usage: cloudtrail-logs-guard scan [options]',
        '',
        'Judge every trail your credentials can see, each once, in its home region.',
        '',
        'Options:',
        '  -r, --region REGION            Region to look for trails in; repeat it, or separate them with commas, for several (default: every enabled region).',
        '  --all-regions                  Every region enabled in the account, the default (account:ListRegions, else ec2:DescribeRegions).',
        '  --window HOURS                 Also fail a trail with no CloudWatch Logs delivery within HOURS (the rule parameter).',
        '  --concurrency N                Regions listed at once, and trails judged at once (default 4, at most 64).',
        "  --exemptions FILE              The deployment's exemptions file (its -c exemptions): show an exempt trail as EXEMPT with its date and reason.",
        '  -o, --output FORMAT            table (default), json, csv, asff (Security Hub findings) or ocsf (OCSF Compliance Findings).',
        '  -p, --profile NAME             Named profile of your AWS config and credentials files (default: AWS_PROFILE, else default).',
        "  --debug                        Print the AWS SDK's request log to stderr.",
        '  --cli-connect-timeout SECONDS  Longest wait to connect to an AWS endpoint, each attempt (default 60, as the AWS CLI).',
        '  --cli-read-timeout SECONDS     Longest silence of an AWS endpoint, each attempt (default 60, as the AWS CLI); a call is tried 3 times (AWS_MAX_ATTEMPTS).',
        '  -q, --quiet                    No progress on stderr (shown only when stderr is a terminal).',
        '  -h, --help                     Show this help.',
        '',
        'Uses the same judge as the Config rule and the SDK default credential chain (profile, environment, SSO).',
        'A region or trail that cannot be read is reported on stderr, one line each; the others are still shown.',
        'A region that never answers fails after 3 attempts of --cli-read-timeout each (about 3 minutes by default).',
        'Progress: one line on stderr, only when stderr is a terminal (none with --quiet).',
        'asff and ocsf write one finding per trail the account owns, with an id that stays the same on every run; asff is ready for aws securityhub batch-import-findings (100 findings a call) in the account and region of your credentials.',
        'Exit codes: 0 all compliant or exempt, 3 a NON_COMPLIANT trail found, 4 incomplete (a region or trail could not be read; wins over 3), 1 error, 2 usage error.',
        '',
        'Examples:',
        '  cloudtrail-logs-guard scan',
        '  cloudtrail-logs-guard scan --region us-east-1,eu-west-1 --window 24',
        '  cloudtrail-logs-guard scan -o json > trails.json',
        '  cloudtrail-logs-guard scan --output asff > findings.json && aws securityhub batch-import-findings --findings file://findings.json',
        '  cloudtrail-logs-guard scan --exemptions exemptions.json',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['plan', 'Usage: cloudtrail-logs-guard plan <TRAIL> [options]'],
    ['fix', 'Usage: cloudtrail-logs-guard fix <TRAIL> [options]'],
    ['report', 'Usage: cloudtrail-logs-guard report --aggregator NAME [options]'],
  ] as const)('shows the argument and required flags of %s in its usage line', (name, usage) => {
    expect(commandHelp(name).split('\n')[0]).toBe(usage);
  });

  it.each(COMMAND_NAMES)('documents every flag of %s and gives examples', (name) => {
    const help = commandHelp(name);
    for (const flag of Object.keys(COMMANDS[name].flags)) expect(help).toContain(`--${flag}`);
    expect(help).toContain(`Examples:\n  cloudtrail-logs-guard ${name}`);
  });
});

describe('programHelp', () => {
  it('lists every command with its summary', () => {
    const help = programHelp();
    for (const name of COMMAND_NAMES)
      expect(help).toContain(`  ${name.padEnd(6)}  ${COMMANDS[name].summary}`);
  });
});
