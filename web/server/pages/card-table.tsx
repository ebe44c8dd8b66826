/**
 * A list as a table on wide screens and a card per row on phones (app.css: the first cell is the card's title, the
 * others labelled lines), so nothing needs sideways scrolling at 390 px.
 */
import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n/messages-en.ts';
import type { PageContext } from '../page-context.ts';

export interface Column<T> {
  label: MessageKey;
  cell: (row: T) => ComponentChildren;
  /** Long text that may wrap on wide screens too. */
  wrap?: boolean;
}

/**
 * A list as a table that turns into cards on phones. The table keeps its roles when phones draw it as blocks, so
 * screen readers still read rows and headers.
 */
export function CardTable<T>({ ctx, label, rows, columns, rowAttributes }: { ctx: PageContext; label: string; rows: T[]; columns: Array<Column<T>>; rowAttributes?: (row: T) => Record<string, string> }) {
  const { t } = ctx.i18n;
  if (rows.length === 0) return <p>{t('list.empty')}</p>;
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table class="cards-on-phone" role="table">
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th scope="col" role="columnheader">
                {t(column.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((row) => (
            <tr role="row" {...rowAttributes?.(row)}>
              {columns.map((column) => (
                <td role="cell" data-label={t(column.label)} class={column.wrap ? 'wrap-cell' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

