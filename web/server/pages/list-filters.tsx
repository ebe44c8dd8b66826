/**
 * Date, taxi and driver filters for the trips and alerts lists, and the "Older" link that pages through them with the
 * API's cursor. A plain GET form: it works without scripts, and a filtered page has its own address to share.
 * Days are the fleet's calendar days (from its timezone).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../../edge/app-env.ts';
import { dayRangeIn } from '../../i18n/zoned-day.ts';
import type { PageContext } from '../page-context.ts';

export interface ListFilterValues {
  from: string;
  to: string;
  vehicle_id: string;
  driver_id: string;
  cursor: string;
}

export interface ListFilters {
  values: ListFilterValues;
  /** The API query for these filters (and the cursor): from/to as instants. */
  apiQuery: URLSearchParams;
  /** True when nothing narrows the list (the newest page, unfiltered: live additions belong on it). */
  unfiltered: boolean;
}

export function readListFilters(c: Context<AppEnv>, ctx: PageContext): ListFilters {
  const values: ListFilterValues = { from: '', to: '', vehicle_id: '', driver_id: '', cursor: '' };
  for (const name of Object.keys(values) as Array<keyof ListFilterValues>) values[name] = (c.req.query(name) ?? '').trim().slice(0, 200);
  const apiQuery = new URLSearchParams();
  const from = dayRangeIn(ctx.i18n.timeZone, values.from);
  const to = dayRangeIn(ctx.i18n.timeZone, values.to);
  if (!from) values.from = '';
  if (!to) values.to = '';
  // A range given backwards is read the way it was meant.
  const [first, last] = from && to && from[0] > to[0] ? [to, from] : [from, to];
  if (first) apiQuery.set('from', first[0].toISOString());
  if (last) apiQuery.set('to', new Date(last[1].getTime() - 1).toISOString());
  for (const name of ['vehicle_id', 'driver_id', 'cursor'] as const) if (values[name]) apiQuery.set(name, values[name]);
  return { values, apiQuery, unfiltered: Object.values(values).every((v) => v === '') };
}

interface Choice {
  id: string;
  label: string;
}

export function ListFilterForm({ ctx, action, filters, taxis, drivers }: { ctx: PageContext; action: string; filters: ListFilters; taxis: Choice[]; drivers: Choice[] }) {
  const { t } = ctx.i18n;
  const { values } = filters;
  const select = (name: 'vehicle_id' | 'driver_id', label: string, choices: Choice[]) => (
    <label>
      {label}
      <select name={name}>
        <option value="">{t('filters.any')}</option>
        {choices.map((choice) => (
          <option value={choice.id} selected={values[name] === choice.id}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
  // Folded away until used (it would fill a phone's first screen); open while filters are in force.
  return (
    <details class="card filter-box" open={Boolean(values.from || values.to || values.vehicle_id || values.driver_id) || undefined}>
      <summary>{t('filters.title')}</summary>
      <form class="filters" method="get" action={action} aria-label={t('filters.title')} data-testid="list-filters">
        <label>
          {t('filters.from')}
          <input type="date" name="from" value={values.from} />
        </label>
        <label>
          {t('filters.to')}
          <input type="date" name="to" value={values.to} />
        </label>
        {select('vehicle_id', t('filters.taxi'), taxis)}
        {select('driver_id', t('filters.driver'), drivers)}
        <div class="actions">
          <button type="submit">{t('filters.apply')}</button>
          {!filters.unfiltered && <a href={action}>{t('filters.clear')}</a>}
        </div>
      </form>
    </details>
  );
}

/** "Older" with the next cursor (filters kept), and a way back to the newest once paged. */
export function ListPager({ ctx, action, filters, nextCursor }: { ctx: PageContext; action: string; filters: ListFilters; nextCursor: string | null }) {
  const { t } = ctx.i18n;
  const link = (cursor: string | null) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filters.values)) if (value && name !== 'cursor') params.set(name, value);
    if (cursor) params.set('cursor', cursor);
    const query = params.toString();
    return query ? `${action}?${query}` : action;
  };
  if (!nextCursor && !filters.values.cursor) return null;
  return (
    <nav class="pager actions" aria-label={t('list.older')}>
      {filters.values.cursor && <a href={link(null)}>{t('list.newest')}</a>}
      {nextCursor && (
        <a class="button-link" href={link(nextCursor)} rel="next" data-testid="older">
          {t('list.older')}
        </a>
      )}
    </nav>
  );
}

/** The fleet's drivers for the driver filter (one page of the API's largest size). */
export async function driverChoices(ctx: PageContext): Promise<Choice[]> {
  const page = await ctx.api<{ data: Array<{ id: string; name: string }> }>('/api/v1/drivers?limit=200');
  return page.data.map((d) => ({ id: d.id, label: d.name }));
}
