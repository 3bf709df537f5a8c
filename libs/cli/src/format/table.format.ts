/** One column of a table: its heading and how a row shows in it. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Longest cell; longer values end with `…`. */
  max?: number;
}

/** A plain-text table: a heading line, then one line per row, columns padded to their widest cell. */
export function formatTable<T>(columns: Column<T>[], rows: T[]): string {
  const cells = rows.map((row) => columns.map((column) => clip(oneLine(column.value(row)), column.max)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i].length)));
  const render = (line: string[]) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [render(columns.map((column) => column.header)), ...cells.map(render)].join('\n') + '\n';
}

/** `key: value` lines, keys aligned. */
export function formatFields(fields: [string, string][]): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length)) + 1;
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)} ${oneLine(value)}`).join('\n') + '\n';
}

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

function clip(text: string, max?: number): string {
  return max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
