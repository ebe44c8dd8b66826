/**
 * The shared PDF builder never leaves a heading alone at the foot of a page: when a heading (or subheading) and the
 * first line, row, figures or drawing after it do not fit, the heading moves to the next page with them. Read back
 * page by page with poppler, as a person would see it.
 */
import { describe, expect, it } from 'vitest';
import { popplerAvailable, readPdf } from '../../../../e2e/support/poppler.ts';
import { createReportDocument, PAGE, type ReportDocument } from './report-document.ts';

// The title block on the first page takes 38 points (title 20, subtitle 18); headings take 30, subheadings 15, a
// table row 14.5 and a 9.5-point paragraph line 13.5 (13 to fit).
const TITLE_BLOCK = 38;
const TABLE = { columns: [{ title: 'Driver', width: 2 }, { title: 'Score', width: 1, align: 'right' as const }] };

/** A document whose first page has exactly `left` points of room when `fill` returns. */
async function documentWithRoom(left: number): Promise<ReportDocument> {
  const doc = await createReportDocument({
    title: 'Orphan test',
    subtitle: 'Headings keep with what follows',
    footer: 'TaxiWatch test',
    language: 'en',
    createdAt: new Date('2026-06-01T00:00:00Z'),
  });
  doc.space(PAGE.height - 2 * PAGE.margin - TITLE_BLOCK - left);
  return doc;
}

const pagesOf = async (doc: ReportDocument) => {
  const { bytes, pages } = await doc.finish();
  const read = await readPdf(bytes);
  expect(read.pages).toHaveLength(pages);
  return read.pages;
};

describe('report document: no orphan headings', () => {
  if (popplerAvailable) {
    it('moves a subheading to the next page when its table header and first row would not fit under it', async () => {
      // 40 points: the subheading (15) fits, with its header and first row (15 + 29 = 44) it does not. Before the
      // fix the subheading stayed at the foot of page 1 and its table began on page 2.
      const doc = await documentWithRoom(40);
      doc.subheading('Worst scores this week');
      doc.table(TABLE.columns, [
        ['Ana Sol', '60'],
        ['Luis Gil', '72'],
      ]);
      const pages = await pagesOf(doc);
      expect(pages).toHaveLength(2);
      expect(pages[0]).toContain('Orphan test');
      expect(pages[0]).not.toContain('Worst scores this week');
      expect(pages[1]).toMatch(/Worst scores this week\s+Driver\s+Score\s+Ana Sol\s+60/);
    });

    it('keeps the subheading on the page when it and the first row fit, and lets the rest of the table go on', async () => {
      // 48 points: subheading, header and first row (44) fit; the second row continues on page 2 under the header.
      const doc = await documentWithRoom(48);
      doc.subheading('Worst scores this week');
      doc.table(TABLE.columns, [
        ['Ana Sol', '60'],
        ['Luis Gil', '72'],
      ]);
      const pages = await pagesOf(doc);
      expect(pages).toHaveLength(2);
      expect(pages[0]).toMatch(/Worst scores this week\s+Driver\s+Score\s+Ana Sol\s+60/);
      expect(pages[0]).not.toContain('Luis Gil');
      expect(pages[1]).toMatch(/Driver\s+Score\s+Luis Gil\s+72/);
    });

    it('moves a heading and the subheading under it together with the first table row', async () => {
      // Heading 30 + subheading 15 + header and first row 29 = 74 > 70: all move. The old builder kept both headings
      // at the foot of page 1 (it only asked for 60 points under a heading and 36 under a subheading).
      const doc = await documentWithRoom(70);
      doc.heading('Incidents by type');
      doc.subheading('By severity');
      doc.table(TABLE.columns, [['Ana Sol', '60']]);
      const pages = await pagesOf(doc);
      expect(pages).toHaveLength(2);
      expect(pages[0]).not.toMatch(/Incidents by type|By severity/);
      expect(pages[1]).toMatch(/Incidents by type\s+By severity\s+Driver\s+Score\s+Ana Sol/);
    });

    it('keeps a heading, its subheading and a first paragraph line together on a page where all three fit', async () => {
      // 30 + 15 + 13 = 58 ≤ 62. The old builder left the heading alone on page 1 and moved the subheading.
      const doc = await documentWithRoom(62);
      doc.heading('Expiring soon');
      doc.subheading('Licences');
      doc.paragraph('Nothing expires in the next 30 days.');
      const pages = await pagesOf(doc);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatch(/Expiring soon\s+Licences\s+Nothing expires in the next 30 days\./);
    });

    it('moves a heading whose key figures or drawing would not fit under it', async () => {
      // Heading 30 + a row of figures 44 = 74 > 70.
      const figures = await documentWithRoom(70);
      figures.heading('Summary');
      figures.figures([
        { label: 'Trips', value: '12' },
        { label: 'Kilometres', value: '340' },
      ]);
      const withFigures = await pagesOf(figures);
      expect(withFigures[0]).not.toContain('Summary');
      expect(withFigures[1]).toMatch(/Summary\s+Trips\s+Kilometres\s+12\s+340/);

      // Heading 30 + space 4 + a 100-point drawing (104) = 138 > 120: the heading goes with its drawing.
      const drawing = await documentWithRoom(120);
      drawing.heading('Map of the day');
      drawing.space(4);
      drawing.drawing(100, (page, x, top, _width, fonts) =>
        page.drawText('drawn here', { x, y: top - 10, size: 9, font: fonts.regular }),
      );
      const withDrawing = await pagesOf(drawing);
      expect(withDrawing[0]).not.toContain('Map of the day');
      expect(withDrawing[1]).toMatch(/Map of the day\s+drawn here/);
    });

    it('still prints a heading that nothing follows', async () => {
      const doc = await documentWithRoom(200);
      doc.paragraph('Body text.');
      doc.heading('Last heading');
      const pages = await pagesOf(doc);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatch(/Body text\.\s+Last heading/);
    });
  }
});
