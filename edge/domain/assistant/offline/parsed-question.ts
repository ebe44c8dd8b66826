/**
 * A question as the offline recognisers see it: normalized words, its language, and what it names — a period, a
 * taxi (by plate, typos forgiven), a driver, incident types, severities, review states and a number of days.
 * Built once per question from the asker's fleet's plates and names (fleet-names.ts).
 */
import type { IncidentStatus, Severity } from '../../../db/schema.ts';
import { localDayAndMinute } from '../../fleet-time.ts';
import { matchDriverWords, matchPlate, matchPlateDigits, plateKey, type DriverMatch, type FleetNames, type Match, type TaxiRef } from '../fleet-names.ts';
import type { Lang } from '../format.ts';
import { detectLang, isCommonWord } from '../language/detect-lang.ts';
import { normalizeText, numberOf, wordsOf } from '../language/normalize.ts';
import { parsePeriod } from './parse-period.ts';
import { ABOUT_THE_ASSISTANT, OTHER_FLEETS, RULE_BREAKING, SEVERITY_PATTERNS, STATUS_PATTERNS, TYPE_PATTERNS } from './vocabulary.ts';

export interface ParsedQuestion {
  raw: string;
  text: string;
  words: string[];
  lang: Lang;
  /** Whether the language came from the words (else from the caller's preference). */
  langDetected: boolean;
  period?: string;
  /** A taxi named by plate: found, ambiguous (several equally near), or a plate-like word no taxi matches. */
  taxi?: Match<TaxiRef>;
  /** What the asker wrote for the plate, as a key ("ZZT9001"). */
  plateWritten?: string;
  driver?: DriverMatch;
  types: string[];
  severities: Severity[];
  statuses: IncidentStatus[];
  /** The first number that is not part of a date, plate or period ("próximos 60 días" → 60). */
  number?: number;
  /** A proper name (two or more capitalised words) that is no driver of the fleet nor the fleet itself: "Pedro Pérez", "Cabs Rivales". */
  unknownName?: string;
  /** Asks about other fleets, or tries to talk the assistant out of its rules. */
  otherFleet: boolean;
  /** Any word starts with one of these stems. */
  has(...stems: string[]): boolean;
  /** Any of these phrases appears (whole words). */
  hasPhrase(...phrases: string[]): boolean;
}

// A plate-like word: digits and letters together ("4821ktx", "9048-pdj"), or two neighbours, one of digits and one of letters.
const PLATE_WORD = /^(?=.*\d)(?=.*[a-z])[a-z0-9-]{4,10}$/;
const DIGITS = /^\d{3,5}$/;
const LETTERS = /^[a-z]{2,4}$/;
// Words that are never the letters of a plate, and number-and-unit words that look like one ("15th", "24h", "100km").
const NOT_PLATE_LETTERS = new Set('per por de del en el la las los los the and y o or con sin mas more than que cada each every km kms h hrs min mes dia dias day days los top vez veces times son are was hay has had had'.split(' '));
const UNIT_WORD = /^\d+(st|nd|rd|th|o|a|km|kms|h|hr|hrs|min|mins|kmh|pm|am|s)$/;
const TAXI_WORDS = new Set(['taxi', 'taxis', 'coche', 'carro', 'auto', 'vehiculo', 'unidad', 'car', 'cab', 'vehicle', 'unit', 'movil', 'el', 'del', 'la', 'matricula', 'placa', 'plate', 'numero', 'number']);

function findTaxi(words: string[], taxis: TaxiRef[]): { match?: Match<TaxiRef>; written?: string; used: Set<number> } {
  const used = new Set<number>();
  const candidates: Array<{ written: string; at: number[] }> = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = words[i + 1];
    if (PLATE_WORD.test(w) && !/^\d{4}-\d{2}-\d{2}$/.test(w) && !UNIT_WORD.test(w)) candidates.push({ written: w, at: [i] });
    const letters = next && (LETTERS.test(w) ? w : LETTERS.test(next) ? next : null);
    if (next && letters && !NOT_PLATE_LETTERS.has(letters) && ((DIGITS.test(w) && LETTERS.test(next)) || (LETTERS.test(w) && DIGITS.test(next)))) candidates.push({ written: w + next, at: [i, i + 1] });
  }
  let notFound: { written: string; at: number[] } | undefined;
  for (const c of candidates.sort((a, b) => b.at.length - a.at.length)) {
    const match = matchPlate(c.written, taxis);
    if (match.kind !== 'none') {
      c.at.forEach((i) => used.add(i));
      return { match, written: plateKey(c.written), used };
    }
    notFound ??= c;
  }
  // "el taxi 4821": digits alone after a word that names a taxi.
  for (let i = 1; i < words.length; i++) {
    if (!DIGITS.test(words[i]) || !TAXI_WORDS.has(words[i - 1])) continue;
    const match = matchPlateDigits(words[i], taxis);
    if (match.kind !== 'none') {
      used.add(i);
      return { match, written: words[i], used };
    }
  }
  if (notFound) {
    notFound.at.forEach((i) => used.add(i));
    return { match: { kind: 'none' }, written: plateKey(notFound.written), used };
  }
  return { used };
}

/**
 * A fleet named by name that is not the asker's: "la flota Cabs Rivales", "the Cabs Rivales fleet", "la empresa X".
 * Read from the raw text, where a name keeps its capitals.
 */
function namesAnotherFleet(raw: string, ownName: string | undefined): boolean {
  const name = '([A-ZÁÉÍÓÚÑ][\\wÁÉÍÓÚÑáéíóúñ&.-]*(?: [A-ZÁÉÍÓÚÑ][\\wÁÉÍÓÚÑáéíóúñ&.-]*)*)';
  const found = [...raw.matchAll(new RegExp(`\\b(?:flota|empresa|compañía|compania|cooperativa)(?: de)? ${name}`, 'g')), ...raw.matchAll(new RegExp(`${name} (?:fleet|company|cabs? company)\\b`, 'g'))].map((m) => normalizeText(m[1]));
  const own = ownName ? normalizeText(ownName) : '';
  return found.some((n) => n && n !== own && !own.includes(n) && !/^(my|mi|the|la|el|your|tu|our|nuestra|this|esta)$/.test(n));
}

const KNOWN_NAMES = /^(taxiwatch|openstreetmap|traccar|traccar client|openai|google|api)$/;
const CALENDAR = /^(lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|january|february|march|april|may|june|july|august|september|october|november|december)$/;

/** The first proper name in the raw text that is not the fleet's, a driver's (`known` words) or a calendar word. */
function findUnknownName(raw: string, known: Set<string>, ownName: string | undefined): string | undefined {
  const own = new Set(wordsOf(normalizeText(ownName ?? '')));
  const word = '[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+';
  for (const m of raw.matchAll(new RegExp(`${word}(?:\\s+(?:de |del |la )?${word})+`, 'g'))) {
    let parts = m[0].split(/\s+/);
    // "How Many" or "Cuántos Taxis" at the start of a sentence are not names.
    const atStart = /^[\s¿¡"'(]*$/.test(raw.slice(0, m.index));
    while (atStart && parts.length && isCommonWord(normalizeText(parts[0]))) parts = parts.slice(1);
    const names = parts.filter((p) => /^[A-ZÁÉÍÓÚÑ]/.test(p)).map((p) => normalizeText(p));
    if (names.length < 2) continue;
    if (names.some((n) => known.has(n) || own.has(n) || CALENDAR.test(n))) continue;
    if (KNOWN_NAMES.test(names.join(' '))) continue;
    return parts.join(' ');
  }
  return undefined;
}

export function parseQuestion(raw: string, names: FleetNames, options: { timeZone: string; now: number; fallbackLang: Lang; fleetName?: string }): ParsedQuestion {
  const text = normalizeText(raw);
  const words = wordsOf(text);
  const detected = detectLang(words, raw);
  const lang = detected ?? options.fallbackLang;
  const today = localDayAndMinute(options.timeZone, options.now).day;
  const taxi = findTaxi(words, names.taxis);
  const rest = words.filter((_, i) => !taxi.used.has(i));
  const driver = matchDriverWords(rest, names.drivers);
  const nameWords = new Set(driver.matched ?? []);
  const plain = rest.filter((w) => !nameWords.has(w));
  const period = parsePeriod(plain.join(' '), plain, lang, today);
  const types = TYPE_PATTERNS.filter(([, p]) => p.test(text)).map(([t]) => t);
  const severities = [...new Set(SEVERITY_PATTERNS.filter(([, p]) => p.test(text)).flatMap(([s]) => s))];
  const statuses = STATUS_PATTERNS.filter(([, p]) => p.test(text)).map(([s]) => s);
  const number = plain.map((w) => (/^\d{1,4}$/.test(w) || !/^\d/.test(w) ? numberOf(w) : undefined)).find((n) => n !== undefined && n > 1);
  const stemsOf = (stems: string[]) => words.some((w) => stems.some((s) => w.startsWith(s)));
  const phrase = (phrases: string[]) => phrases.some((p) => new RegExp(`(^| )${p}( |$)`).test(text));
  return {
    raw,
    text,
    words,
    lang,
    langDetected: detected !== undefined,
    period,
    taxi: taxi.match,
    plateWritten: taxi.written,
    driver: driver.kind === 'none' ? undefined : driver,
    types,
    severities,
    statuses,
    number,
    unknownName: findUnknownName(raw, new Set([...(driver.matched ?? []), ...names.drivers.flatMap((d) => wordsOf(normalizeText(d.name)))]), options.fleetName),
    otherFleet: RULE_BREAKING.test(text) || (!ABOUT_THE_ASSISTANT.test(text) && (OTHER_FLEETS.test(text) || namesAnotherFleet(raw, options.fleetName))),
    has: (...stems) => stemsOf(stems),
    hasPhrase: (...phrases) => phrase(phrases),
  };
}
