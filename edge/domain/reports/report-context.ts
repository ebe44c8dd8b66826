/** What every report section reads from: the fleet, the local days covered and their instants, the words, "now". */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { localDaysRange } from '../fleet-time.ts';
import { reportWords, type ReportLanguage, type ReportWords } from './report-texts.ts';

export interface ReportFleet {
  id: string;
  name: string;
  timezone: string;
  telemetry: unknown;
  speed_limit_kmh: number;
}

export interface ReportContext {
  db: Kysely<Database>;
  fleet: ReportFleet;
  /** Local days, inclusive. */
  from: string;
  to: string;
  /** [start, end) instants of those days in the fleet's timezone. */
  start: Date;
  end: Date;
  words: ReportWords;
  now: Date;
  /** On-demand reports may narrow to one taxi or one driver. */
  vehicleId: string | null;
  driverId: string | null;
}

export function reportContext(input: { db: Kysely<Database>; fleet: ReportFleet; from: string; to: string; language: ReportLanguage; now: number; vehicleId?: string | null; driverId?: string | null }): ReportContext {
  const { start, end } = localDaysRange(input.from, input.to, input.fleet.timezone);
  return {
    db: input.db,
    fleet: input.fleet,
    from: input.from,
    to: input.to,
    start,
    end,
    words: reportWords(input.language, input.fleet.timezone),
    now: new Date(input.now),
    vehicleId: input.vehicleId ?? null,
    driverId: input.driverId ?? null,
  };
}
