/**
 * A report as a flow of blocks on small pages (A5: it reads on a phone at full width without zooming): headings,
 * paragraphs, key figures, tables that continue on the next page with their header, and room reserved for drawings
 * (charts, the map). Built on pdf-lib with its standard Helvetica, so it needs no font files and runs on every runtime.
 */
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { toWinAnsi } from './win-ansi.ts';

export const PAGE = { width: 420, height: 595, margin: 28 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const COLORS = { text: rgb(0.09, 0.11, 0.16), muted: rgb(0.4, 0.43, 0.5), rule: rgb(0.85, 0.87, 0.9), accent: rgb(0.05, 0.4, 0.75), band: rgb(0.95, 0.96, 0.98) };

export interface TableColumn {
  title: string;
  /** Share of the content width. */
  width: number;
  align?: 'left' | 'right';
}

/** A drawing gets its own page area: `draw(page, x, top, width)` with y growing upwards from the page's bottom. */
export type Drawing = (page: PDFPage, x: number, top: number, width: number, fonts: Fonts) => void;

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface ReportDocument {
  readonly fonts: Fonts;
  heading(text: string): void;
  subheading(text: string): void;
  paragraph(text: string, options?: { muted?: boolean; size?: number }): void;
  figures(items: Array<{ label: string; value: string; note?: string }>): void;
  table(columns: TableColumn[], rows: string[][], options?: { empty?: string }): void;
  drawing(height: number, draw: Drawing): void;
  space(points: number): void;
  finish(): Promise<{ bytes: Uint8Array; pages: number }>;
}

export async function createReportDocument(meta: { title: string; subtitle: string; footer: string; language: string; createdAt: Date }): Promise<ReportDocument> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(toWinAnsi(meta.title));
  pdf.setSubject(toWinAnsi(meta.subtitle));
  pdf.setProducer('TaxiWatch');
  pdf.setCreator('TaxiWatch');
  pdf.setLanguage(meta.language);
  // Fixed dates: the same data gives the same bytes (a regenerated report differs only when its data did).
  pdf.setCreationDate(meta.createdAt);
  pdf.setModificationDate(meta.createdAt);
  const fonts: Fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  let page!: PDFPage;
  let y = 0;

  const newPage = () => {
    page = pdf.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
    page.drawText(toWinAnsi(meta.footer), { x: PAGE.margin, y: PAGE.margin / 2, size: 7, font: fonts.regular, color: COLORS.muted });
  };
  const room = (height: number) => {
    if (y - height < PAGE.margin) newPage();
  };
  const text = (value: string, x: number, size: number, font: PDFFont, color: RGB = COLORS.text) => page.drawText(toWinAnsi(value), { x, y: y - size, size, font, color });

  /** Words to lines no wider than `width` (a word longer than a line is cut). */
  const wrap = (value: string, width: number, size: number, font: PDFFont): string[] => {
    const lines: string[] = [];
    for (const para of toWinAnsi(value).split('\n')) {
      let line = '';
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) line = candidate;
        else {
          if (line) lines.push(line);
          line = fit(word, width, size, font);
        }
      }
      lines.push(line);
    }
    return lines;
  };
  const fit = (value: string, width: number, size: number, font: PDFFont) => {
    let out = toWinAnsi(value);
    while (out.length > 1 && font.widthOfTextAtSize(out, size) > width) out = out.slice(0, -2) + '…';
    return out;
  };

  /**
   * Headings wait for what follows them, so none is left alone at the foot of a page: the held headings and the
   * first line, row or drawing of the next block go on a page together (`lead` is that first piece's height).
   */
  let held: Array<{ height: number; draw: () => void }> = [];
  const keepWithNext = (lead: number) => {
    if (held.length === 0) return;
    const headings = held;
    held = [];
    room(headings.reduce((sum, h) => sum + h.height, 0) + lead);
    for (const h of headings) h.draw();
  };

  newPage();
  text(meta.title, PAGE.margin, 16, fonts.bold);
  y -= 20;
  text(meta.subtitle, PAGE.margin, 10, fonts.regular, COLORS.muted);
  y -= 18;

  const doc: ReportDocument = {
    fonts,
    heading(value) {
      held.push({
        height: 30,
        draw: () => {
          y -= 8;
          text(value, PAGE.margin, 12.5, fonts.bold, COLORS.accent);
          y -= 16;
          page.drawLine({ start: { x: PAGE.margin, y }, end: { x: PAGE.width - PAGE.margin, y }, thickness: 0.6, color: COLORS.rule });
          y -= 6;
        },
      });
    },
    subheading(value) {
      held.push({
        height: 15,
        draw: () => {
          text(value, PAGE.margin, 10.5, fonts.bold);
          y -= 15;
        },
      });
    },
    paragraph(value, options = {}) {
      const size = options.size ?? 9.5;
      keepWithNext(size + 4);
      for (const line of wrap(value, CONTENT_WIDTH, size, fonts.regular)) {
        room(size + 4);
        text(line, PAGE.margin, size, fonts.regular, options.muted ? COLORS.muted : COLORS.text);
        y -= size + 3.5;
      }
      y -= 3;
    },
    figures(items) {
      // Two per row: big numbers a phone shows without zooming.
      const cell = CONTENT_WIDTH / 2;
      keepWithNext(44);
      for (let i = 0; i < items.length; i += 2) {
        room(44);
        items.slice(i, i + 2).forEach((item, j) => {
          const x = PAGE.margin + j * cell;
          page.drawText(fit(item.label, cell - 8, 8.5, fonts.regular), { x, y: y - 9, size: 8.5, font: fonts.regular, color: COLORS.muted });
          page.drawText(fit(item.value, cell - 8, 17, fonts.bold), { x, y: y - 28, size: 17, font: fonts.bold, color: COLORS.text });
          if (item.note) page.drawText(fit(item.note, cell - 8, 8, fonts.regular), { x, y: y - 39, size: 8, font: fonts.regular, color: COLORS.muted });
        });
        y -= 46;
      }
    },
    table(columns, rows, options = {}) {
      const size = 8.5;
      const rowHeight = size + 6;
      const total = columns.reduce((sum, c) => sum + c.width, 0);
      const widths = columns.map((c) => (c.width / total) * CONTENT_WIDTH);
      const drawRow = (cells: string[], font: PDFFont, band: boolean) => {
        room(rowHeight);
        if (band) page.drawRectangle({ x: PAGE.margin, y: y - rowHeight + 2, width: CONTENT_WIDTH, height: rowHeight, color: COLORS.band });
        let x = PAGE.margin;
        cells.forEach((cell, i) => {
          const value = fit(cell, widths[i] - 4, size, font);
          const dx = columns[i].align === 'right' ? widths[i] - 2 - font.widthOfTextAtSize(value, size) : 2;
          page.drawText(value, { x: x + dx, y: y - size - 1, size, font, color: COLORS.text });
          x += widths[i];
        });
        y -= rowHeight;
      };
      const header = columns.map((c) => c.title);
      // The header never stands alone either: it goes with the first row (or the "empty" line).
      keepWithNext(rowHeight * 2);
      room(rowHeight * 2);
      drawRow(header, fonts.bold, false);
      if (rows.length === 0 && options.empty) doc.paragraph(options.empty, { muted: true });
      rows.forEach((row, i) => {
        if (y - rowHeight < PAGE.margin) {
          newPage();
          drawRow(header, fonts.bold, false);
        }
        drawRow(row, fonts.regular, i % 2 === 1);
      });
      y -= 6;
    },
    drawing(height, draw) {
      keepWithNext(height + 4);
      room(height + 4);
      draw(page, PAGE.margin, y, CONTENT_WIDTH, fonts);
      y -= height + 6;
    },
    space(points) {
      // Space after a held heading belongs between it and what follows, so it waits with it.
      if (held.length) held.push({ height: points, draw: () => (y -= points) });
      else y -= points;
    },
    async finish() {
      keepWithNext(0);
      const bytes = await pdf.save({ useObjectStreams: true });
      return { bytes, pages: pdf.getPageCount() };
    },
  };
  return doc;
}
