import { isatty } from 'node:tty';
import { CLI_NAME } from './commands.js';
import { endQuietlyOnClosedPipe, type InterruptSignal, type Interrupts, SIGNAL_EXIT_CODE } from './io.js';
import { nodeSupportNotice } from './node-support.js';
import { runCli } from './run.js';

/**
 * The command line's process entry: wires the real streams, environment and signals to {@link runCli} and sets
 * the exit code. Run it with `npm run cli -- <command>` or through the package's `bin`.
 */
const warningSwitch = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const notice =
  process.env[warningSwitch] === undefined ? nodeSupportNotice(process.version, CLI_NAME) : undefined;
// The SDK's own notice is an eight-line process warning on every run; one line, to a person, replaces it.
if (notice !== undefined) process.env[warningSwitch] = 'true';

const SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** A signal runs the command's report, then ends the process with 128 + the signal's number. */
const interrupts: Interrupts = {
  trap(report) {
    const handlers = SIGNALS.map((signal) => {
      const handler = () => {
        report(signal);
        process.exit(SIGNAL_EXIT_CODE[signal]);
      };
      process.once(signal, handler);
      return [signal, handler] as const;
    });
    return () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
  },
};

endQuietlyOnClosedPipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  // process.stdin builds a stream when first read: only `fix`'s question needs it.
  get stdin() {
    return process.stdin;
  },
  stdinIsTTY: isatty(0),
  stderrIsTTY: process.stderr.isTTY === true,
  ...(process.stdout.isTTY ? { stdoutColumns: process.stdout.columns } : {}),
  ...(process.stderr.isTTY ? { stderrColumns: process.stderr.columns } : {}),
  env: process.env,
  interrupts,
  ...(notice === undefined ? {} : { notice }),
});
