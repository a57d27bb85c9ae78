import { CLI_NAME } from './commands.js';
import type { UsageError } from './errors.js';
import { type CliIo, EXIT_CODE } from './io.js';
import { renderJson } from './render.js';

/** `cloudtrail-logs-guard scan`, or the program's name alone: how every line on stderr starts. */
export function commandPrefix(command: string | undefined): string {
  return command === undefined ? CLI_NAME : `${CLI_NAME} ${command}`;
}

/**
 * A usage error: one line on stderr pointing to the command's help, and with `--output json` the same as a JSON
 * error object on stdout, so a script that parses stdout never gets an empty document.
 */
export function writeUsageError(io: CliIo, error: UsageError, json: boolean): void {
  const prefix = commandPrefix(error.command);
  io.stderr.write(`${prefix}: ${error.message} (run '${prefix} --help')\n`);
  if (json) {
    io.stdout.write(
      renderJson({
        error: { command: error.command ?? null, message: error.message, exitCode: EXIT_CODE.usage },
      }),
    );
  }
}
