import type { AwsCommand } from './args.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { UsageError } from './errors.js';
import { type CliIo, EXIT_CODE } from './io.js';
import { writeUsageError } from './messages.js';
import { readProgramLine } from './program-line.js';
import { packageVersion } from './version.js';

/** True when the command line asks for JSON output, even one the parser refused. */
function asksForJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, index) =>
      arg === '--output=json' ||
      arg === '-ojson' ||
      ((arg === '--output' || arg === '-o') && argv[index + 1] === 'json'),
  );
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code. Usage errors are
 * found before any AWS call and give 2. Help and version load nothing else: the argument parser (commander),
 * the commands that call AWS and the SDK packages they use are imported only when a command runs
 * (cli/args.ts, cli/execute.ts), which keeps `--help` and `--version` about as fast as node itself.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: AwsCommand;
  try {
    const line = readProgramLine(argv);
    if (line.kind === 'help') {
      io.stdout.write(line.topic === undefined ? programHelp() : commandHelp(line.topic));
      return EXIT_CODE.ok;
    }
    if (line.kind === 'version') {
      io.stdout.write(`${CLI_NAME} ${await packageVersion()}\n`);
      return EXIT_CODE.ok;
    }
    const { parseCommandArguments } = await import('./args.js');
    command = parseCommandArguments(line.command, line.args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeUsageError(io, error, asksForJson(argv));
    return EXIT_CODE.usage;
  }
  const { executeAwsCommand } = await import('./execute.js');
  return executeAwsCommand(command, io);
}
