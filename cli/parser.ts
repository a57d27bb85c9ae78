import { Command, CommanderError, Option } from 'commander';
import { COMMANDS, type CommandName, type CommandSpec, type FlagSpec } from './commands.js';
import { UsageError } from './errors.js';

/**
 * The syntax of a command's arguments, read by commander (a maintained parser) from the command table of
 * cli/commands.ts: its flags (long and short, `--flag value`, `--flag=value`, `-f value`, `-fvalue`,
 * `--` before a positional), its positional argument, and which are required. What the values mean is
 * cli/args.ts's. Every error is a {@link UsageError} of one line, naming the flag.
 */

/** A flag's value as read: a string, true for a boolean, the items of a repeatable flag. */
export type FlagValue = string | boolean | readonly string[];

/** The flags given, by their long name (`retention-days`), and the positional argument. */
export interface CommandLine {
  readonly command: CommandName;
  readonly values: Readonly<Record<string, FlagValue | undefined>>;
  readonly argument?: string;
}

/**
 * The value of a flag that takes one: given once, not empty, not another flag taken as its value. A repeatable
 * flag also splits a comma-separated list (`--region us-east-1,eu-west-1`).
 */
function valueParser(
  command: CommandName,
  name: string,
  flag: FlagSpec,
): (value: string, previous: FlagValue | undefined) => FlagValue {
  const checked = (value: string): string => {
    if (value === '') throw new UsageError(`option --${name} needs a value`, command);
    if (value.startsWith('-')) {
      throw new UsageError(`option --${name} needs a value, got the option ${value}`, command);
    }
    return value;
  };
  if (flag.multiple) {
    return (value, previous) => [
      ...(Array.isArray(previous) ? previous : []),
      ...checked(value)
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    ];
  }
  return (value, previous) => {
    if (previous !== undefined) throw new UsageError(`option --${name} given more than once`, command);
    return checked(value);
  };
}

/** The commander command of one entry of the table; its help is the table's (cli/commands.ts), not commander's. */
function commandOf(spec: CommandSpec): { command: Command; attributes: Map<string, string> } {
  const command = new Command(spec.name)
    .exitOverride()
    .helpOption(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .showSuggestionAfterError(true)
    .action(() => {});
  if (spec.argument !== undefined) command.argument(`<${spec.argument.name}>`, spec.argument.description);
  const attributes = new Map<string, string>();
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (name === 'help') continue;
    const short = flag.short === undefined ? '' : `-${flag.short}, `;
    const value = flag.type === 'string' ? ` <${flag.placeholder ?? 'VALUE'}>` : '';
    const option = new Option(`${short}--${name}${value}`, flag.description);
    if (flag.type === 'string') option.argParser(valueParser(spec.name, name, flag));
    if (flag.required) option.makeOptionMandatory();
    command.addOption(option);
    attributes.set(name, option.attributeName());
  }
  return { command, attributes };
}

/** A commander error as one line: `unknown option '--regions' (Did you mean --region?)`. */
function oneLine(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\n/g, ' ');
}

/**
 * `--all-regions=yes`: commander would call it an unknown option; it is a known one that takes no value.
 */
function rejectBooleanValues(spec: CommandSpec, args: readonly string[]): void {
  for (const arg of args) {
    if (arg === '--') return;
    const name = /^--([^=]+)=/.exec(arg)?.[1];
    if (name !== undefined && spec.flags[name]?.type === 'boolean') {
      throw new UsageError(`option --${name} takes no value`, spec.name);
    }
  }
}

/**
 * Reads the arguments of `command` (those after its name): the flags and the positional argument.
 */
export function readCommandArguments(command: CommandName, args: readonly string[]): CommandLine {
  const spec = COMMANDS[command];
  rejectBooleanValues(spec, args);
  const { command: parser, attributes } = commandOf(spec);
  try {
    parser.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageError(oneLine(error), command);
    throw error;
  }
  const options = parser.opts<Record<string, FlagValue | undefined>>();
  const values = Object.fromEntries(
    [...attributes].map(([name, attribute]) => [name, options[attribute]] as const),
  );
  const [argument] = parser.args;
  return { command, values, ...(argument === undefined ? {} : { argument }) };
}
