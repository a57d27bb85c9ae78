/**
 * Text renderers shared by the commands. Pure: strings in, a string out, so every output is asserted exactly.
 */

/** Narrowest the last column is wrapped to beside its row; below it, it goes under the row. */
const MIN_LAST_COLUMN = 30;

/** Splits `text` into lines of at most `width` characters, at spaces where it can. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut));
    rest = rest.slice(space > 0 ? cut + 1 : cut);
  }
  return [...lines, rest];
}

/** Indent of a last column moved under its row. */
const STACK_INDENT = 4;

/**
 * A left-aligned table: a header row, then one line per row, columns two spaces apart. The last column is
 * not padded, so no line ends in spaces. Given the terminal's `width`, the last column wraps onto indented
 * continuation lines so no line is wider; when the other columns leave it under 30 characters, it goes under
 * each row instead, indented and wrapped to the whole width (on an 80-column terminal, a long trail name would
 * otherwise push every reason past the edge).
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const indent = widths.slice(0, -1).reduce((total, columnWidth) => total + columnWidth + 2, 0);
  const room = width === undefined ? Number.POSITIVE_INFINITY : width - indent;
  const stacked = width !== undefined && room < MIN_LAST_COLUMN;
  const lines = (cells: readonly string[], isHeader: boolean) => {
    const last = cells[headers.length - 1] ?? '';
    const under = stacked && !isHeader;
    const [first = '', ...more] = under
      ? ['', ...wrap(last, (width ?? 0) - STACK_INDENT).filter((line) => line !== '')]
      : room >= MIN_LAST_COLUMN
        ? wrap(last, room)
        : [last];
    const head = headers
      .map((_, column) =>
        column === headers.length - 1 ? first : (cells[column] ?? '').padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
    const continuation = ' '.repeat(under ? STACK_INDENT : indent);
    return [head, ...more.map((line) => `${continuation}${line}`)];
  };
  return `${[lines(headers, true), ...rows.map((row) => lines(row, false))].flat().join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV as RFC 4180 writes it: CRLF line ends, fields with a comma, quote or line break quoted. */
export function renderCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [headers, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** Indented JSON with a final newline, for `--output json`. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `count` and `word`, with an s unless the count is one: "1 trail", "2 trails". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
