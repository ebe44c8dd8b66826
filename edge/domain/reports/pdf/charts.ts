/** Charts drawn as vectors in the PDF: horizontal bars with a reference tick (today against the 7-day average), and a column chart. */
import { rgb } from 'pdf-lib';
import { COLORS, type Drawing } from './report-document.ts';
import { toWinAnsi } from './win-ansi.ts';

export interface BarRow {
  label: string;
  value: number;
  /** Drawn as a tick across the bar (e.g. the previous 7 days' daily average). */
  reference?: number;
  /** Printed right of the bar (e.g. "3 (+50 %)"). */
  note: string;
}

export const BAR_ROW_HEIGHT = 16;
const BAR = rgb(0.23, 0.51, 0.86);
const REFERENCE = rgb(0.85, 0.33, 0.1);

export function barChartHeight(rows: number): number {
  return rows * BAR_ROW_HEIGHT + 14;
}

export function barChart(rows: BarRow[], legend: { value: string; reference: string }): Drawing {
  return (page, x, top, width, fonts) => {
    const labelWidth = width * 0.36;
    const noteWidth = width * 0.2;
    const barsWidth = width - labelWidth - noteWidth - 8;
    const max = Math.max(1, ...rows.flatMap((r) => [r.value, r.reference ?? 0]));
    rows.forEach((row, i) => {
      const y = top - (i + 1) * BAR_ROW_HEIGHT;
      page.drawText(toWinAnsi(row.label), { x, y: y + 4, size: 8.5, font: fonts.regular, color: COLORS.text, maxWidth: labelWidth - 4 });
      const bx = x + labelWidth;
      page.drawRectangle({ x: bx, y: y + 2, width: barsWidth, height: 10, color: COLORS.band });
      if (row.value > 0) page.drawRectangle({ x: bx, y: y + 2, width: (row.value / max) * barsWidth, height: 10, color: BAR });
      if (row.reference !== undefined && row.reference > 0) {
        const rx = bx + (row.reference / max) * barsWidth;
        page.drawLine({ start: { x: rx, y: y }, end: { x: rx, y: y + 14 }, thickness: 1.6, color: REFERENCE });
      }
      page.drawText(toWinAnsi(row.note), { x: bx + barsWidth + 6, y: y + 4, size: 8.5, font: fonts.regular, color: COLORS.text });
    });
    // Legend under the bars.
    const ly = top - rows.length * BAR_ROW_HEIGHT - 12;
    page.drawRectangle({ x: x + labelWidth, y: ly + 1, width: 8, height: 6, color: BAR });
    page.drawText(toWinAnsi(legend.value), { x: x + labelWidth + 11, y: ly, size: 7.5, font: fonts.regular, color: COLORS.muted });
    const lx = x + labelWidth + 20 + fonts.regular.widthOfTextAtSize(toWinAnsi(legend.value), 7.5);
    page.drawLine({ start: { x: lx + 3, y: ly - 1 }, end: { x: lx + 3, y: ly + 8 }, thickness: 1.6, color: REFERENCE });
    page.drawText(toWinAnsi(legend.reference), { x: lx + 8, y: ly, size: 7.5, font: fonts.regular, color: COLORS.muted });
  };
}

/** Columns over labelled slots (e.g. 24 hours), with the slot labels every `labelEvery` columns. */
export function columnChart(values: number[], labels: string[], options: { height: number; labelEvery: number }): Drawing {
  return (page, x, top, width, fonts) => {
    const chartHeight = options.height - 14;
    const max = Math.max(1, ...values);
    const slot = width / values.length;
    const base = top - chartHeight;
    page.drawLine({ start: { x, y: base }, end: { x: x + width, y: base }, thickness: 0.6, color: COLORS.rule });
    values.forEach((value, i) => {
      if (value > 0) page.drawRectangle({ x: x + i * slot + 1, y: base, width: slot - 2, height: (value / max) * (chartHeight - 10), color: BAR });
      if (i % options.labelEvery === 0) page.drawText(toWinAnsi(labels[i]), { x: x + i * slot, y: base - 9, size: 6.5, font: fonts.regular, color: COLORS.muted });
    });
    page.drawText(String(max), { x: x + width - fonts.regular.widthOfTextAtSize(String(max), 6.5), y: top - 7, size: 6.5, font: fonts.regular, color: COLORS.muted });
  };
}
