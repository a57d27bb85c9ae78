/**
 * The command-line examples of the documentation (README.md, docs/cli.md), read from their fenced code blocks,
 * so a test can run each one and compare what it does with what the page says. Pure: text in, examples out.
 *
 * Two forms are examples:
 * - a transcript: `$ cloudtrail-logs-guard ARGS`, the lines it prints, then `(exit N: meaning)`, as `npm run
 *   demo` prints each step;
 * - a one-liner: `npm run -s cli -- ARGS`, `npx cloudtrail-logs-guard ARGS` or `cloudtrail-logs-guard ARGS`,
 *   with the exit code in its comment (`# ...; exit 3`, `# exits 0`).
 */

export interface DocumentedExample {
  /** 1-based line of the command in its document. */
  readonly line: number;
  /** The shell command as written, without `$ ` and without its comment. */
  readonly command: string;
  /** The exit code the page states; undefined when it states none. */
  readonly exitCode: number | undefined;
  /** What a transcript shows the command printing (stdout, then stderr); undefined for a one-liner. */
  readonly output?: string;
}

/** The ways the documentation may start a command of this CLI. `npm run cli --` is caught, to be refused. */
const PROGRAM = /^(cloudtrail-logs-guard|npx cloudtrail-logs-guard|npm run -s cli --|npm run cli --)(\s|$)/;
/** What the CLI prints (`cloudtrail-logs-guard scan: ...`), shown in a block: output, not a command. */
const PRINTED_LINE = /^cloudtrail-logs-guard(\s+\w+)?:/;
const EXIT = /^\(exit (\d+)/;
const COMMENT_EXIT = /\bexits? (\d+)\b/;

/** Every example of one markdown document, in the order the page gives them. */
export function documentedExamples(markdown: string): DocumentedExample[] {
  const lines = markdown.split('\n');
  const examples: DocumentedExample[] = [];
  let fenced = false;
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    if (text.trimStart().startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    if (text.startsWith('$ ') && PROGRAM.test(text.slice(2))) {
      const output: string[] = [];
      let exitCode: number | undefined;
      let next = index + 1;
      for (; next < lines.length; next += 1) {
        const shown = lines[next] ?? '';
        if (shown.trimStart().startsWith('```') || shown.startsWith('$ ')) break;
        const exit = EXIT.exec(shown);
        if (exit !== null) {
          exitCode = Number(exit[1]);
          break;
        }
        output.push(shown);
      }
      while (output.length > 0 && output[output.length - 1] === '') output.pop();
      examples.push({ line: index + 1, command: text.slice(2).trim(), exitCode, output: output.join('\n') });
      index = next - 1;
      continue;
    }
    if (PROGRAM.test(text) && !PRINTED_LINE.test(text)) {
      const [command = '', ...comment] = text.split(' # ');
      const exit = COMMENT_EXIT.exec(comment.join(' # '));
      examples.push({
        line: index + 1,
        command: command.trim(),
        exitCode: exit === null ? undefined : Number(exit[1]),
      });
    }
  }
  return examples;
}
