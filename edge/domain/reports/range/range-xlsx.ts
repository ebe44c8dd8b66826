/** The on-demand report as an Excel workbook (write-excel-file): one sheet per section, times as the fleet's wall time. */
import writeXlsxFile, { type SheetData } from 'write-excel-file/universal';
import { zoneOffsetMs } from '../../fleet-time.ts';
import type { RangeData } from './range-data.ts';
import { COLUMNS, flatRows, SECTIONS, type FlatRow } from './range-rows.ts';

/** Spreadsheets have no timezones: a time is shown as written, so write the fleet's wall time. */
const wallTime = (at: Date, timeZone: string) => new Date(at.getTime() + zoneOffsetMs(timeZone, at.getTime()));

export async function rangeXlsx(data: RangeData, timeZone: string, sheetNames: Record<(typeof SECTIONS)[number], string>): Promise<Uint8Array> {
  const rows = flatRows(data);
  const sheets = SECTIONS.map((section) => {
    const own = rows.filter((r) => r.section === section);
    // Only the columns this section fills, so each sheet reads like its own table.
    const columns = COLUMNS.filter((c) => c !== 'section' && own.some((r) => r[c] !== undefined && r[c] !== null));
    const used = columns.length > 0 ? columns : COLUMNS.filter((c) => c !== 'section');
    const sheet: SheetData = [
      used.map((c) => ({ value: c, fontWeight: 'bold' as const })),
      ...own.map((row: FlatRow) =>
        used.map((c) => {
          const value = row[c];
          if (value instanceof Date) return { value: wallTime(value, timeZone), format: 'yyyy-mm-dd hh:mm:ss' };
          if (typeof value === 'number') return { value };
          return value === null || value === undefined ? null : { value: String(value), type: String };
        }),
      ),
    ];
    return { data: sheet, sheet: sheetNames[section].slice(0, 31) };
  });
  const blob = await writeXlsxFile(sheets).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
