import { COMMAND_NAMES, type CommandName } from './commands.js';
import { UsageError } from './errors.js';

/**
 * The program's own part of the command line: `--help`, `help [COMMAND]`, `--version`, or a command and its
 * arguments. It loads no parser and no AWS SDK, so `--help` and `--version` start as fast as node itself;
 * a command's arguments are read by cli/parser.ts.
 */
export type ProgramLine =
  | { readonly kind: 'command'; readonly command: CommandName; readonly args: readonly string[] }
  | { readonly kind: 'help'; readonly topic?: CommandName }
  | { readonly kind: 'version' };

function isCommandName(value: string): value is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(value);
}

const COMMAND_LIST = COMMAND_NAMES.join(', ');

/**
 * Reads the arguments after the program name. `--help` (or `-h`) anywhere after a command wins over the rest.
 * @throws UsageError for no command, an unknown one, or extra arguments to help or --version.
 */
export function readProgramLine(argv: readonly string[]): ProgramLine {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command: one of ${COMMAND_LIST}`);
  if (first === '--version') {
    if (rest.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])} after --version`);
    return { kind: 'version' };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const [topic, extra] = rest;
    if (topic === undefined || topic === '--help' || topic === '-h') return { kind: 'help' };
    if (!isCommandName(topic)) {
      throw new UsageError(`unknown command ${JSON.stringify(topic)}: expected one of ${COMMAND_LIST}`);
    }
    if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
    return { kind: 'help', topic };
  }
  if (!isCommandName(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `unknown option ${first}: give a command first, one of ${COMMAND_LIST}`
        : `unknown command ${JSON.stringify(first)}: expected one of ${COMMAND_LIST}`,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: first };
  return { kind: 'command', command: first, args: rest };
}
