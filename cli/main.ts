import { runCli } from './run.js';

/**
 * The command line's process entry: wires the real streams to {@link runCli} and sets the exit code. Run it
 * with `npm run cli -- <command>` or through the package's `bin`.
 */
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
});
