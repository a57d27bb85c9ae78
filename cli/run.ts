import { type ParsedCommand, parseCommandLine } from './args.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { UsageError } from './errors.js';
import { type CliIo, EXIT_CODE } from './io.js';
import { writeUsageError } from './messages.js';
import { packageVersion } from './version.js';

/** True when the command line asks for JSON output, even one the parser refused. */
function asksForJson(argv: readonly string[]): boolean {
  return argv.some(
    (arg, index) => arg === '--output=json' || (arg === '--output' && argv[index + 1] === 'json'),
  );
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code. Usage errors are
 * found before any AWS call and give 2. Help and version load nothing else: the commands that call AWS, and
 * the SDK packages they use, are imported only when one runs (cli/execute.ts), which keeps `--help` fast.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeUsageError(io, error, asksForJson(argv));
    return EXIT_CODE.usage;
  }
  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic === undefined ? programHelp() : commandHelp(command.topic));
      return EXIT_CODE.ok;
    case 'version':
      io.stdout.write(`${CLI_NAME} ${await packageVersion()}\n`);
      return EXIT_CODE.ok;
    default: {
      const { executeAwsCommand } = await import('./execute.js');
      return executeAwsCommand(command, io);
    }
  }
}
