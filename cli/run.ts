import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { RemediationClients } from '../remediation/clients.js';
import {
  AwsCallError,
  TrailNotFoundError,
  TrailNotInHomeRegionError,
  TrailOfOtherAccountError,
} from '../remediation/errors.js';
import type { RuleClients } from '../rule/clients.js';
import { AccessDeniedError, isAccessDenied } from '../rule/errors.js';
import { type ParsedCommand, parseCommandLine, type ScanCommand } from './args.js';
import { callerAccount } from './caller.js';
import { clientPerRegion } from './clients.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { describeError, UsageError } from './errors.js';
import { type CliIo, EXIT_CODE, progress } from './io.js';
import { resolveRegions } from './regions.js';
import { runFix, runPlan } from './remediation.js';
import { readAggregateEvaluations, renderReport, summarise } from './report.js';
import { hasFindings, renderScan, scanTrails } from './scan.js';

const configClient = clientPerRegion((config) => new ConfigServiceClient(config));
const cloudTrailClient = clientPerRegion((config) => new CloudTrailClient(config));
const logsClient = clientPerRegion((config) => new CloudWatchLogsClient(config));
const iamClient = clientPerRegion((config) => new IAMClient(config));
const organizationsClient = clientPerRegion((config) => new OrganizationsClient(config));
const accountClient = clientPerRegion((config) => new AccountClient(config));
const stsClient = clientPerRegion((config) => new STSClient(config));

/** The rule's clients for one region, so the rule's own read functions run there. */
function ruleClientsIn(region: string): RuleClients {
  const cloudTrail = cloudTrailClient(region);
  return { config: configClient(region), cloudTrail: async () => cloudTrail };
}

/** The remediation's clients for the trail's home region (undefined: the SDK's region). */
function remediationClientsIn(region: string | undefined): RemediationClients {
  return {
    cloudTrail: cloudTrailClient(region),
    logs: logsClient(region),
    iam: iamClient(region),
    sts: stsClient(region),
    organizations: organizationsClient(region),
  };
}

function commandPrefix(command: string | undefined): string {
  return command === undefined ? CLI_NAME : `${CLI_NAME} ${command}`;
}

function writeUsageError(io: CliIo, error: UsageError): void {
  const prefix = commandPrefix(error.command);
  io.stderr.write(`${prefix}: ${error.message} (run '${prefix} --help')\n`);
}

/**
 * The one line an operator reads. The rule's and the remediation's errors address a Lambda's role and
 * another run; from a terminal it is the operator's own credentials and flags, so those two are reworded.
 */
export function operatorMessage(error: unknown): string {
  const denied = (action: string) =>
    `access denied: the credentials you run with need ${action} (${describeError(error instanceof Error ? error.cause : error)})`;
  if (error instanceof AccessDeniedError) return denied(error.action);
  if (error instanceof AwsCallError && isAccessDenied(error.cause)) {
    return denied(`${error.action} on ${error.resource}`);
  }
  if (error instanceof TrailNotInHomeRegionError) {
    return `${error.message} From the command line: add --region ${error.homeRegion}, or give the trail ARN.`;
  }
  if (error instanceof TrailNotFoundError) {
    return `${error.message} From the command line: add --region with the trail's home region, or give the trail ARN.`;
  }
  if (error instanceof TrailOfOtherAccountError) {
    return `${error.message} From the command line: use credentials of account ${error.ownerAccount} (AWS_PROFILE).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

async function scan(command: ScanCommand, io: CliIo): Promise<number> {
  const regions = await resolveRegions(
    command.regions,
    () => accountClient(),
    () => cloudTrailClient().config.region(),
  );
  const accountId = await callerAccount(stsClient());
  const request = {
    regions,
    accountId,
    now: new Date(),
    ...(command.windowHours === undefined ? {} : { windowHours: command.windowHours }),
  };
  const trails = await scanTrails(request, ruleClientsIn, progress(io));
  io.stdout.write(renderScan(regions, trails, command.output));
  return hasFindings(trails) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
}

async function execute(command: ParsedCommand, io: CliIo): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic === undefined ? programHelp() : commandHelp(command.topic));
      return EXIT_CODE.ok;
    case 'scan':
      return scan(command, io);
    case 'plan':
      return runPlan(command, io, remediationClientsIn(command.region));
    case 'fix':
      return runFix(command, io, remediationClientsIn(command.region));
    case 'report': {
      progress(io)(`Reading rule ${command.rule} from aggregator ${command.aggregator}...`);
      const evaluations = await readAggregateEvaluations(configClient(), command.aggregator, command.rule);
      const report = summarise(command.aggregator, command.rule, evaluations);
      io.stdout.write(renderReport(report, command.output));
      return report.nonCompliant.length > 0 ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
    }
  }
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code. Usage errors are
 * found before any AWS call and give 2; any other failure prints one line and gives 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeUsageError(io, error);
    return EXIT_CODE.usage;
  }
  try {
    return await execute(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      writeUsageError(io, error);
      return EXIT_CODE.usage;
    }
    const name = command.command === 'help' ? undefined : command.command;
    io.stderr.write(`${commandPrefix(name)}: ${operatorMessage(error)}\n`);
    return EXIT_CODE.error;
  }
}
