/**
 * Text renderers shared by the commands. Pure: strings in, a string out, so every output is asserted exactly.
 */

/** Narrowest the last column is wrapped to; below it the table keeps its lines whole. */
const MIN_LAST_COLUMN = 20;

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

/**
 * A left-aligned table: a header row, then one line per row, columns two spaces apart. The last column is
 * not padded, so no line ends in spaces. Given the terminal's `width`, the last column wraps onto indented
 * continuation lines so no line is wider (unless the other columns alone leave it under 20 characters).
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
  const lines = (cells: readonly string[]) => {
    const last = cells[headers.length - 1] ?? '';
    const [first = '', ...more] = room >= MIN_LAST_COLUMN ? wrap(last, room) : [last];
    const head = headers
      .map((_, column) =>
        column === headers.length - 1 ? first : (cells[column] ?? '').padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
    return [head, ...more.map((line) => `${' '.repeat(indent)}${line}`)];
  };
  return `${[headers, ...rows].flatMap(lines).join('\n')}\n`;
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
