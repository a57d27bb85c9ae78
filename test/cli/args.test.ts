import { describe, expect, it } from 'vitest';
import { type ParsedCommand, parseCommandLine } from '../../cli/args.js';
import { UsageError } from '../../cli/errors.js';

const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/management-events';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const AWS = { debug: false, timeouts: { connectSeconds: 60, readSeconds: 60 }, quiet: false };

/** The usage error of a bad value of a flag, which echoes the value back. */
const mustBe = {
  region: (got: string) => `--region must be a region code such as us-east-1, got "${got}"`,
  window: (got: string) => `--window must be a whole number of hours greater than zero, got "${got}"`,
  output: (got: string) => `--output must be one of table, json, csv, asff, ocsf, got "${got}"`,
  retention: (got: string) =>
    `--retention-days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got "${got}"`,
  concurrency: (got: string) => `--concurrency must be a whole number from 1 to 64, got "${got}"`,
  trailName: (got: string) =>
    `<TRAIL> must be a trail name (3-128 of letters, digits, . _ -) or a trail ARN, got "${got}"`,
};

describe('parseCommandLine', () => {
  it.each<[string, string[], ParsedCommand]>([
    [
      'scan with no flags',
      ['scan'],
      { command: 'scan', concurrency: 4, aws: AWS, regions: { kind: 'all' }, output: 'table' },
    ],
    [
      'scan with repeated regions, deduplicated',
      ['scan', '--region', 'us-east-1', '--region=eu-west-1', '--region', 'us-east-1'],
      {
        command: 'scan',
        concurrency: 4,
        aws: AWS,
        regions: { kind: 'list', regions: ['us-east-1', 'eu-west-1'] },
        output: 'table',
      },
    ],
    [
      'scan of every region with a window and JSON',
      ['scan', '--all-regions', '--window', '24', '--output', 'json'],
      {
        command: 'scan',
        concurrency: 4,
        aws: AWS,
        regions: { kind: 'all' },
        windowHours: 24,
        output: 'json',
      },
    ],
    [
      'scan with a GovCloud region',
      ['scan', '--region', 'us-gov-west-1'],
      {
        command: 'scan',
        concurrency: 4,
        aws: AWS,
        regions: { kind: 'list', regions: ['us-gov-west-1'] },
        output: 'table',
      },
    ],
    [
      'plan by name',
      ['plan', 'management-events'],
      { command: 'plan', aws: AWS, detailedExitCode: false, trail: 'management-events', output: 'table' },
    ],
    [
      'plan by ARN with options',
      ['plan', TRAIL_ARN, '--retention-days', '731', '--kms-key', KEY_ARN, '--output', 'json'],
      {
        command: 'plan',
        aws: AWS,
        detailedExitCode: false,
        trail: TRAIL_ARN,
        region: 'eu-west-1',
        retentionDays: 731,
        kmsKeyArn: KEY_ARN,
        output: 'json',
      },
    ],
    [
      'plan by name in a given region',
      ['plan', 'management-events', '--region', 'ap-southeast-2'],
      {
        command: 'plan',
        aws: AWS,
        detailedExitCode: false,
        trail: 'management-events',
        region: 'ap-southeast-2',
        output: 'table',
      },
    ],
    [
      'fix by ARN with the same region repeated',
      ['fix', TRAIL_ARN, '--region', 'eu-west-1', '--yes'],
      { command: 'fix', aws: AWS, trail: TRAIL_ARN, region: 'eu-west-1', output: 'table', yes: true },
    ],
    [
      'fix without --yes',
      ['fix', 'management-events'],
      { command: 'fix', aws: AWS, trail: 'management-events', output: 'table', yes: false },
    ],
    [
      'fix with --yes before the trail',
      ['fix', '--yes', 'management-events', '--retention-days=3653'],
      {
        command: 'fix',
        aws: AWS,
        trail: 'management-events',
        retentionDays: 3653,
        output: 'table',
        yes: true,
      },
    ],
    [
      'fix with --adopt-existing',
      ['fix', 'management-events', '--adopt-existing', '--yes'],
      {
        command: 'fix',
        aws: AWS,
        trail: 'management-events',
        adoptExisting: true,
        output: 'table',
        yes: true,
      },
    ],
    [
      'plan with --monitoring and its topic',
      [
        'plan',
        'management-events',
        '--monitoring',
        '--monitoring-topic',
        'arn:aws:sns:us-east-1:111122223333:alarms',
      ],
      {
        command: 'plan',
        aws: AWS,
        trail: 'management-events',
        monitoringTopicArn: 'arn:aws:sns:us-east-1:111122223333:alarms',
        output: 'table',
        detailedExitCode: false,
      },
    ],
    [
      'report with the default rule name',
      ['report', '--aggregator', 'organization'],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'organization',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        output: 'table',
      },
    ],
    [
      'report with a prefixed rule as CSV',
      [
        'report',
        '--aggregator',
        'org_1',
        '--rule',
        'prod-cloudtrail-cloudwatch-logs-integrated',
        '--output',
        'csv',
      ],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'org_1',
        rule: 'prod-cloudtrail-cloudwatch-logs-integrated',
        output: 'csv',
      },
    ],
    [
      'scan as Security Hub findings',
      ['scan', '--output', 'asff'],
      { command: 'scan', concurrency: 4, aws: AWS, regions: { kind: 'all' }, output: 'asff' },
    ],
    [
      'report as OCSF findings, with evidence',
      ['report', '--aggregator', 'org', '--output', 'ocsf', '--evidence', 'evidence/2026-12'],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'org',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        output: 'ocsf',
        evidence: 'evidence/2026-12',
      },
    ],
    [
      'report --coverage, the regions taken from the aggregator',
      ['report', '--coverage', '--aggregator', 'organization'],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'organization',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        output: 'table',
        coverage: {},
      },
    ],
    [
      'report --coverage with governed regions, each once, in the order given',
      [
        'report',
        '--aggregator',
        'organization',
        '--coverage',
        '--governed-region',
        'us-east-1',
        '--governed-region=eu-west-1',
        '--governed-region',
        'us-east-1',
        '--output',
        'json',
      ],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'organization',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        output: 'json',
        coverage: { regions: ['us-east-1', 'eu-west-1'] },
      },
    ],
    ['program help', ['--help'], { command: 'help' }],
    ['program help, short', ['-h'], { command: 'help' }],
    ['help for a command', ['help', 'fix'], { command: 'help', topic: 'fix' }],
    ['command help', ['scan', '--help'], { command: 'help', topic: 'scan' }],
    ['command help wins over a bad flag', ['report', '--bogus', '-h'], { command: 'help', topic: 'report' }],
    ['the version', ['--version'], { command: 'version' }],
    [
      'scan as CSV with a profile and the request log',
      ['scan', '--output', 'csv', '--profile', 'audit', '--debug'],
      {
        command: 'scan',
        concurrency: 4,
        aws: { ...AWS, profile: 'audit', debug: true },
        regions: { kind: 'all' },
        output: 'csv',
      },
    ],
    [
      'plan with --detailed-exitcode',
      ['plan', 'management-events', '--detailed-exitcode'],
      { command: 'plan', aws: AWS, detailedExitCode: true, trail: 'management-events', output: 'table' },
    ],
    [
      'report with a profile',
      ['report', '--aggregator', 'org', '--profile', 'management'],
      {
        command: 'report',
        aws: { ...AWS, profile: 'management' },
        aggregator: 'org',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        output: 'table',
      },
    ],
    [
      'scan with its timeouts, concurrency and no progress',
      ['scan', '--cli-connect-timeout', '5', '--cli-read-timeout=10', '--concurrency', '17', '--quiet'],
      {
        command: 'scan',
        concurrency: 17,
        aws: { ...AWS, timeouts: { connectSeconds: 5, readSeconds: 10 }, quiet: true },
        regions: { kind: 'all' },
        output: 'table',
      },
    ],
    [
      'report in a region',
      ['report', '--aggregator', 'org', '--region', 'eu-central-1'],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'org',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        region: 'eu-central-1',
        output: 'table',
      },
    ],
    [
      'scan with short flags and a comma-separated list of regions, repeated',
      ['scan', '-r', 'us-east-1,eu-west-1', '-r', 'ap-south-1', '-ojson', '-p', 'audit', '-q'],
      {
        command: 'scan',
        concurrency: 4,
        aws: { ...AWS, profile: 'audit', quiet: true },
        regions: { kind: 'list', regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
        output: 'json',
      },
    ],
    [
      'fix with short flags',
      ['fix', 'management-events', '-y', '-r', 'eu-west-1', '-o', 'json'],
      {
        command: 'fix',
        aws: AWS,
        trail: 'management-events',
        region: 'eu-west-1',
        output: 'json',
        yes: true,
      },
    ],
    [
      'report with short flags, the governed regions as one list, --coverage given twice',
      [
        'report',
        '-a',
        'org',
        '--coverage',
        '--coverage',
        '--governed-region',
        'us-east-1,eu-west-1',
        '-r',
        'eu-west-1',
      ],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'org',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        region: 'eu-west-1',
        output: 'table',
        coverage: { regions: ['us-east-1', 'eu-west-1'] },
      },
    ],
    [
      'scan with the exemptions file',
      ['scan', '--exemptions', 'deploy/exemptions.json'],
      {
        command: 'scan',
        concurrency: 4,
        aws: AWS,
        regions: { kind: 'all' },
        exemptionsFile: 'deploy/exemptions.json',
        output: 'table',
      },
    ],
    [
      'fix with the exemptions file',
      ['fix', 'management-events', '--yes', '--exemptions=exemptions.json'],
      {
        command: 'fix',
        aws: AWS,
        yes: true,
        trail: 'management-events',
        exemptionsFile: 'exemptions.json',
        output: 'table',
      },
    ],
    [
      'plan with the exemptions file',
      ['plan', 'management-events', '--exemptions', 'exemptions.json'],
      {
        command: 'plan',
        aws: AWS,
        detailedExitCode: false,
        trail: 'management-events',
        exemptionsFile: 'exemptions.json',
        output: 'table',
      },
    ],
    [
      'report of the exemptions',
      ['report', '--aggregator', 'org', '--exemptions', 'exemptions.json', '--output', 'csv'],
      {
        command: 'report',
        aws: AWS,
        aggregator: 'org',
        rule: 'cloudtrail-cloudwatch-logs-integrated',
        exemptionsFile: 'exemptions.json',
        output: 'csv',
      },
    ],
  ])('parses %s', (_name, argv, expected) => {
    expect(parseCommandLine(argv)).toEqual(expected);
  });

  it.each<[string, string[], string, string | undefined]>([
    ['no command', [], 'missing command: one of scan, plan, fix, report', undefined],
    [
      'help for an unknown command',
      ['help', 'deploy'],
      'unknown command "deploy": expected one of scan, plan, fix, report',
      undefined,
    ],
    ['help with two topics', ['help', 'scan', 'fix'], 'unexpected argument "fix"', undefined],
    [
      '--version with an argument',
      ['--version', 'scan'],
      'unexpected argument "scan" after --version',
      undefined,
    ],
    [
      'a profile name with a space',
      ['scan', '--profile', 'my profile'],
      '--profile must be a profile name of your AWS config file, got "my profile"',
      'scan',
    ],
    ['scan as XML', ['scan', '--output', 'xml'], mustBe.output('xml'), 'scan'],
    [
      '--detailed-exitcode on fix',
      ['fix', 'x-trail', '--detailed-exitcode'],
      "unknown option '--detailed-exitcode'",
      'fix',
    ],
    [
      'an unknown command',
      ['scna'],
      'unknown command "scna": expected one of scan, plan, fix, report',
      undefined,
    ],
    [
      'a flag before the command',
      ['--region', 'us-east-1'],
      'unknown option --region: give a command first, one of scan, plan, fix, report',
      undefined,
    ],
    [
      'an unknown long flag, with the likely one',
      ['scan', '--regions', 'us-east-1'],
      "unknown option '--regions' (Did you mean --region?)",
      'scan',
    ],
    ['an unknown short flag', ['scan', '-x', 'us-east-1'], "unknown option '-x'", 'scan'],
    ['a flag of another command', ['scan', '--yes'], "unknown option '--yes'", 'scan'],
    [
      'a string flag at the end',
      ['scan', '--region'],
      "option '-r, --region <REGION>' argument missing",
      'scan',
    ],
    [
      '--exemptions without a file',
      ['fix', 'x-trail', '--exemptions'],
      "option '--exemptions <FILE>' argument missing",
      'fix',
    ],
    [
      '--exemptions given twice',
      ['scan', '--exemptions', 'a.json', '--exemptions', 'b.json'],
      'option --exemptions given more than once',
      'scan',
    ],
    ['a string flag with an empty value', ['scan', '--window='], 'option --window needs a value', 'scan'],
    [
      'a string flag followed by a flag',
      ['scan', '--region', '--all-regions'],
      'option --region needs a value, got the option --all-regions',
      'scan',
    ],
    [
      'a boolean flag with a value',
      ['scan', '--all-regions=yes'],
      'option --all-regions takes no value',
      'scan',
    ],
    [
      'a single flag repeated',
      ['scan', '--window', '1', '--window', '2'],
      'option --window given more than once',
      'scan',
    ],
    [
      'a positional argument to scan',
      ['scan', 'us-east-1'],
      'too many arguments. Expected 0 arguments but got 1.',
      'scan',
    ],
    [
      'a second trail',
      ['plan', 'a-trail', 'b-trail'],
      'too many arguments. Expected 1 argument but got 2.',
      'plan',
    ],
    ['no trail to plan', ['plan'], "missing required argument 'TRAIL'", 'plan'],
    ['no trail to fix', ['fix', '--yes'], "missing required argument 'TRAIL'", 'fix'],
    ['a bad region', ['scan', '--region', 'US-EAST-1'], mustBe.region('US-EAST-1'), 'scan'],
    [
      'both region flags',
      ['scan', '--region', 'us-east-1', '--all-regions'],
      'use either --region or --all-regions, not both',
      'scan',
    ],
    ['a zero window', ['scan', '--window', '0'], mustBe.window('0'), 'scan'],
    ['a text window', ['scan', '--window', 'day'], mustBe.window('day'), 'scan'],
    ['a fractional window', ['scan', '--window', '1.5'], mustBe.window('1.5'), 'scan'],
    [
      'a report output of yaml',
      ['report', '--aggregator', 'a', '--output', 'yaml'],
      mustBe.output('yaml'),
      'report',
    ],
    ['a trail name too short', ['plan', 'ab'], mustBe.trailName('ab'), 'plan'],
    [
      'a trail ARN of another service',
      ['fix', 'arn:aws:s3:::bucket'],
      '<TRAIL> must be a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME), got "arn:aws:s3:::bucket"',
      'fix',
    ],
    [
      'a trail name with two separators in a row',
      ['plan', 'my..trail'],
      mustBe.trailName('my..trail'),
      'plan',
    ],
    [
      'a region that contradicts the trail ARN',
      ['fix', TRAIL_ARN, '--region', 'us-east-1'],
      '--region us-east-1 contradicts the trail ARN, whose home region is eu-west-1: leave --region out',
      'fix',
    ],
    ['a bad region for plan', ['plan', 'trail-1', '--region', 'eu'], mustBe.region('eu'), 'plan'],
    ['a padded retention', ['fix', 'trail-1', '--retention-days', ' 365'], mustBe.retention(' 365'), 'fix'],
    [
      'a retention CloudWatch Logs refuses',
      ['fix', 'trail-1', '--retention-days', '100'],
      mustBe.retention('100'),
      'fix',
    ],
    [
      'a KMS alias instead of a key ARN',
      ['plan', 'trail-1', '--kms-key', 'alias/logs'],
      '--kms-key must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got "alias/logs"',
      'plan',
    ],
    [
      'report without an aggregator',
      ['report'],
      "required option '-a, --aggregator <NAME>' not specified",
      'report',
    ],
    [
      'an aggregator name with a space',
      ['report', '--aggregator', 'my org'],
      '--aggregator must be an aggregator name (1-256 of letters, digits, _ -), got "my org"',
      'report',
    ],
    [
      '--monitoring without a topic',
      ['fix', 'management-events', '--monitoring'],
      '--monitoring needs --monitoring-topic ARN (the SNS topic its alarms notify)',
      'fix',
    ],
    [
      '--monitoring-topic without --monitoring',
      ['plan', 'management-events', '--monitoring-topic', 'arn:aws:sns:us-east-1:111122223333:alarms'],
      '--monitoring-topic needs --monitoring',
      'plan',
    ],
    ['no concurrency', ['scan', '--concurrency', '0'], mustBe.concurrency('0'), 'scan'],
    ['a concurrency above the most', ['scan', '--concurrency', '65'], mustBe.concurrency('65'), 'scan'],
    [
      "the AWS CLI's read timeout 0 (wait forever)",
      ['scan', '--cli-read-timeout', '0'],
      '--cli-read-timeout must be a whole number of seconds greater than 0, got "0"',
      'scan',
    ],
    [
      'a fractional connect timeout',
      ['plan', 'trail-1', '--cli-connect-timeout', '1.5'],
      '--cli-connect-timeout must be a whole number of seconds greater than 0, got "1.5"',
      'plan',
    ],
    [
      'a bad region for report',
      ['report', '--aggregator', 'org', '--region', 'EU'],
      mustBe.region('EU'),
      'report',
    ],
    [
      '--monitoring-topic that is no topic ARN',
      ['fix', 'management-events', '--monitoring', '--monitoring-topic', 'alarms'],
      '--monitoring-topic must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), got "alarms"',
      'fix',
    ],
    [
      '--governed-region without --coverage',
      ['report', '--aggregator', 'org', '--governed-region', 'us-east-1'],
      '--governed-region needs --coverage (the compliance report reads every region)',
      'report',
    ],
    [
      'a bad governed region for report --coverage',
      ['report', '--aggregator', 'org', '--coverage', '--governed-region', 'mars-1'],
      '--governed-region must be a region code such as us-east-1, got "mars-1"',
      'report',
    ],
    [
      '--coverage given a value',
      ['report', '--aggregator', 'org', '--coverage=yes'],
      'option --coverage takes no value',
      'report',
    ],
    [
      'a comma-separated region to plan, which works in one region',
      ['plan', 'trail-1', '--region', 'us-east-1,eu-west-1'],
      mustBe.region('us-east-1,eu-west-1'),
      'plan',
    ],
    [
      'a bad region in a comma-separated list',
      ['scan', '--region', 'us-east-1,mars-1'],
      mustBe.region('mars-1'),
      'scan',
    ],
    [
      'the aggregator region given twice',
      ['report', '--aggregator', 'org', '-r', 'us-east-1', '--region', 'eu-west-1'],
      'option --region given more than once',
      'report',
    ],
    [
      'a blank rule name',
      ['report', '--aggregator', 'org', '--rule', '   '],
      '--rule must be a Config rule name (1-128 characters), got "   "',
      'report',
    ],
  ])('rejects %s with a one-line usage error', (_name, argv, message, command) => {
    let thrown: unknown;
    try {
      parseCommandLine(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).command).toBe(command);
  });
});
