/** `from` / `to` query parameters: ISO-8601 instants, from before to, shared by the time-series routes. */
import { z } from 'zod';

export const timeRangeFields = {
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

export const rangeIsOrdered = (r: { from?: string; to?: string }) => !r.from || !r.to || Date.parse(r.from) <= Date.parse(r.to);
export const RANGE_ERROR = { message: 'from must not be after to', path: ['from'] };
