import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { type ParsedCommand, parseCommandLine } from './args.js';
import { clientPerRegion } from './clients.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { UsageError } from './errors.js';
import { readAggregateEvaluations, renderReport, summarise } from './report.js';

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

function commandPrefix(command: string | undefined): string {
  return command === undefined ? CLI_NAME : `${CLI_NAME} ${command}`;
}

function writeUsageError(io: CliIo, error: UsageError): void {
  const prefix = commandPrefix(error.command);
  io.stderr.write(`${prefix}: ${error.message} (run '${prefix} --help')\n`);
}

/** Writes a progress line to stderr, only when a person watches it there. */
export function progress(io: CliIo): (line: string) => void {
  return (line) => {
    if (io.stderrIsTTY) io.stderr.write(`${line}\n`);
  };
}

async function execute(command: ParsedCommand, io: CliIo): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic === undefined ? programHelp() : commandHelp(command.topic));
      return EXIT_CODE.ok;
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
    io.stderr.write(`${commandPrefix(name)}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODE.error;
  }
}
