/**
 * The on-demand report as CSV (RFC 4180: CRLF, quotes doubled), with a UTF-8 byte order mark so spreadsheet programs
 * read accents right. A text cell that starts like a formula (= + - @) gets a leading apostrophe: a driver's name or
 * a model's description must never run as a formula in someone's spreadsheet.
 */
import { COLUMNS, flatRows, localIso, TEXT_COLUMNS, type FlatRow } from './range-rows.ts';
import type { RangeData } from './range-data.ts';

function cell(row: FlatRow, column: (typeof COLUMNS)[number], timeZone: string): string {
  const value = row[column];
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? localIso(value, timeZone) : String(value);
  if (TEXT_COLUMNS.has(column) && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function rangeCsv(data: RangeData, timeZone: string): Uint8Array {
  const lines = [COLUMNS.join(','), ...flatRows(data).map((row) => COLUMNS.map((c) => cell(row, c, timeZone)).join(','))];
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}
