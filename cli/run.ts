import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { STSClient } from '@aws-sdk/client-sts';
import { AwsCallError } from '../remediation/errors.js';
import type { RuleClients } from '../rule/clients.js';
import { AccessDeniedError, isAccessDenied } from '../rule/errors.js';
import { type ParsedCommand, parseCommandLine, type ScanCommand } from './args.js';
import { callerAccount } from './caller.js';
import { clientPerRegion } from './clients.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { describeError, UsageError } from './errors.js';
import { resolveRegions } from './regions.js';
import { readAggregateEvaluations, renderReport, summarise } from './report.js';
import { hasFindings, renderScan, scanTrails } from './scan.js';

/** Exit codes, the convention of well-known cloud scanners: failing findings are not errors. */
export const EXIT_CODE = { ok: 0, error: 1, usage: 2, nonCompliant: 3 } as const;

/** The process's streams, injected so tests run the whole command line in memory. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdinIsTTY: boolean;
  readonly stderrIsTTY: boolean;
}

const configClient = clientPerRegion((config) => new ConfigServiceClient(config));
const cloudTrailClient = clientPerRegion((config) => new CloudTrailClient(config));
const accountClient = clientPerRegion((config) => new AccountClient(config));
const stsClient = clientPerRegion((config) => new STSClient(config));

/** The rule's clients for one region, so the rule's own read functions run there. */
function ruleClientsIn(region: string): RuleClients {
  return { config: configClient(region), cloudTrail: cloudTrailClient(region) };
}

function commandPrefix(command: string | undefined): string {
  return command === undefined ? CLI_NAME : `${CLI_NAME} ${command}`;
}

function writeUsageError(io: CliIo, error: UsageError): void {
  const prefix = commandPrefix(error.command);
  io.stderr.write(`${prefix}: ${error.message} (run '${prefix} --help')\n`);
}

/**
 * The message an operator reads. The rule's and the remediation's errors name the permission a Lambda role
 * lacks; from a terminal it is the operator's own credentials that lack it.
 */
export function operatorMessage(error: unknown): string {
  const denied = (action: string) =>
    `access denied: the credentials you run with need ${action} (${describeError(error instanceof Error ? error.cause : error)})`;
  if (error instanceof AccessDeniedError) return denied(error.action);
  if (error instanceof AwsCallError && isAccessDenied(error.cause))
    return denied(`${error.action} on ${error.resource}`);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/** Writes a progress line to stderr, only when a person watches it there. */
export function progress(io: CliIo): (line: string) => void {
  return (line) => {
    if (io.stderrIsTTY) io.stderr.write(`${line}\n`);
  };
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
    case 'report': {
      progress(io)(`Reading rule ${command.rule} from aggregator ${command.aggregator}...`);
      const evaluations = await readAggregateEvaluations(configClient(), command.aggregator, command.rule);
      const report = summarise(command.aggregator, command.rule, evaluations);
      io.stdout.write(renderReport(report, command.output));
      return report.nonCompliant.length > 0 ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
    }
    default:
      throw new UsageError(`${command.command} is not available yet`, command.command);
  }
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code. Usage errors are
 * found before any AWS call and give 2; any other failure prints its message and gives 1.
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
