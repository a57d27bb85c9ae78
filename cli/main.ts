import { CLI_NAME } from './commands.js';
import { endQuietlyOnClosedPipe } from './io.js';
import { nodeSupportNotice } from './node-support.js';
import { runCli } from './run.js';

/**
 * The command line's process entry: wires the real streams to {@link runCli} and sets the exit code. Run it
 * with `npm run cli -- <command>` or through the package's `bin`.
 */
const notice = nodeSupportNotice(process.version, CLI_NAME);
if (notice !== undefined && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  // The SDK's own notice is an eight-line process warning on every run; one line, to a person, replaces it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (process.stderr.isTTY) process.stderr.write(`${notice}\n`);
}
endQuietlyOnClosedPipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  ...(process.stdout.isTTY ? { stdoutColumns: process.stdout.columns } : {}),
});
