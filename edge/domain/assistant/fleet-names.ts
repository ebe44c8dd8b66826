/**
 * The asker's taxis and drivers by how people write them: plates with typos, spaces, dashes or the letters first
 * ("ktx 4821"), names without accents or with one of two surnames. Loaded through tenancy, so another fleet's
 * plates and names are never candidates.
 */
import { driversWhere } from '../queries/drivers-query.ts';
import { vehiclesWhere } from '../queries/vehicles-query.ts';
import { editDistance, typoAllowance } from './language/fuzzy.ts';
import { normalizeText, wordsOf } from './language/normalize.ts';
import type { ToolContext } from './tool.ts';

export interface TaxiRef {
  id: string;
  plate: string;
  status: 'active' | 'maintenance' | 'inactive';
}
export interface DriverRef {
  id: string;
  name: string;
}
export interface FleetNames {
  taxis: TaxiRef[];
  drivers: DriverRef[];
}

export type Match<T> = { kind: 'found'; item: T; exact: boolean } | { kind: 'ambiguous'; items: T[] } | { kind: 'none' };

export async function loadFleetNames(ctx: Pick<ToolContext, 'db' | 'principal'>): Promise<FleetNames> {
  const [taxis, drivers] = await Promise.all([
    vehiclesWhere(ctx.db, ctx.principal).select(['id', 'plate', 'status']).orderBy('plate').execute(),
    driversWhere(ctx.db, ctx.principal).select(['id', 'name']).orderBy('name').execute(),
  ]);
  return { taxis, drivers };
}

/** "9048-pdj" → "9048PDJ". */
export const plateKey = (plate: string) => plate.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** The plate as written with its digit and letter groups swapped ("4821KTX" ↔ "KTX4821"), when it has two groups. */
function swappedGroups(key: string): string | null {
  const m = key.match(/^(\d+)([A-Z]+)$/) ?? key.match(/^([A-Z]+)(\d+)$/);
  return m ? m[2] + m[1] : null;
}

/** The taxi a written plate means: exact, else the one nearest within typo allowance; several equally near: ambiguous. */
export function matchPlate(written: string, taxis: TaxiRef[]): Match<TaxiRef> {
  const key = plateKey(written);
  if (key.length < 3) return { kind: 'none' };
  const allowed = typoAllowance(key.length);
  let best = Infinity;
  let nearest: TaxiRef[] = [];
  for (const taxi of taxis) {
    const target = plateKey(taxi.plate);
    const swapped = swappedGroups(target);
    const d = Math.min(editDistance(key, target, allowed), swapped ? editDistance(key, swapped, allowed) : Infinity);
    if (d > allowed || d > best) continue;
    if (d < best) nearest = [];
    best = d;
    nearest.push(taxi);
  }
  if (nearest.length === 1) return { kind: 'found', item: nearest[0], exact: best === 0 };
  return nearest.length > 1 ? { kind: 'ambiguous', items: nearest } : { kind: 'none' };
}

/** Taxis whose plate has exactly these digits as its number group ("el 4821"), for questions that name only those. */
export function matchPlateDigits(digits: string, taxis: TaxiRef[]): Match<TaxiRef> {
  const found = taxis.filter((t) => ((plateKey(t.plate).match(/\d+/g) ?? []) as string[]).includes(digits));
  if (found.length === 1) return { kind: 'found', item: found[0], exact: false };
  return found.length > 1 ? { kind: 'ambiguous', items: found } : { kind: 'none' };
}

// Words that are never read as part of a name, whatever the fleet calls its drivers.
const NOT_NAMES = new Set('de del la las los el y e a en con por para que the and of for to in on with who which what how'.split(' '));

const nameWords = (name: string) => wordsOf(normalizeText(name)).filter((w) => w.length >= 2 && !NOT_NAMES.has(w));

// A typo is forgiven only between words of five letters or more: "been" is not "Belén".
const wordMatches = (written: string, nameWord: string) =>
  written === nameWord || (nameWord.length >= 5 && written.length >= 5 && editDistance(written, nameWord, typoAllowance(nameWord.length)) <= typoAllowance(nameWord.length));

/**
 * The driver the words mean: the one with most of their name's words present (fuzzy), at least one of them; a tie is
 * ambiguous ("José" with José Ramírez and María José Gómez), broken by a fuller match ("José Ramírez").
 */
export type DriverMatch = Match<DriverRef> & { matched?: string[] };

export function matchDriverWords(words: string[], drivers: DriverRef[]): DriverMatch {
  let best = 0;
  let nearest: DriverRef[] = [];
  let matchedWords: string[] = [];
  for (const driver of drivers) {
    const parts = nameWords(driver.name);
    const hits = words.filter((w) => w.length >= 3 && !NOT_NAMES.has(w) && parts.some((p) => wordMatches(w, p)));
    const score = new Set(parts.filter((p) => hits.some((w) => wordMatches(w, p)))).size;
    if (score === 0 || score < best) continue;
    if (score > best) {
      nearest = [];
      matchedWords = [];
    }
    best = score;
    nearest.push(driver);
    matchedWords.push(...hits);
  }
  if (nearest.length === 1) return { kind: 'found', item: nearest[0], exact: best === nameWords(nearest[0].name).length, matched: matchedWords };
  return nearest.length > 1 ? { kind: 'ambiguous', items: nearest, matched: matchedWords } : { kind: 'none' };
}

export const matchDriver = (written: string, drivers: DriverRef[]) => matchDriverWords(wordsOf(normalizeText(written)), drivers);
