/**
 * Telemetry incident descriptions in the fleet's language, written once when the incident is created (like the
 * offline vision texts in vision/verdict-text.ts): owners read them in alerts, webhooks and the share page.
 */
import type { HarshType } from '../telemetry-types.ts';

export type Language = 'es' | 'en';

/** One decimal with the language's separator ("9.2" / "9,2"), the same on every runtime (no ICU differences). */
const decimal = (language: Language, value: number) => (language === 'es' ? value.toFixed(1).replace('.', ',') : value.toFixed(1));

export function harshText(language: Language, type: HarshType, fromKmh: number, toKmh: number, seconds: number, ms2: number): string {
  const values = { from: Math.round(fromKmh), to: Math.round(toKmh), s: decimal(language, seconds), a: decimal(language, ms2) };
  const template = HARSH[language][type];
  return template.replace(/\{(\w+)\}/g, (_, name: keyof typeof values) => String(values[name]));
}

export function speedingText(language: Language, peakKmh: number, limitKmh: number, seconds: number): string {
  const [peak, limit, s] = [Math.round(peakKmh), limitKmh, Math.round(seconds)];
  return language === 'es'
    ? `${peak} km/h con un límite de flota de ${limit} km/h durante ${s} s`
    : `${peak} km/h in a ${limit} km/h fleet limit for ${s} s`;
}

export function collisionText(language: Language, fromKmh: number, toKmh: number, ms2: number, stopped: boolean): string {
  const [from, to, a] = [Math.round(fromKmh), Math.round(toKmh), decimal(language, ms2)];
  if (language === 'es') return `Posible colisión: de ${from} a ${to} km/h (${a} m/s²)${stopped ? ' y detenido' : ''}. Candidato a accidente: revise los fotogramas de ±10 s.`;
  return `Possible collision: ${from} to ${to} km/h (${a} m/s²)${stopped ? ', then stopped' : ''}. Accident candidate: check the frames from ±10 s.`;
}

export function idlingText(language: Language, minutes: number): string {
  const m = Math.round(minutes);
  return language === 'es'
    ? `Parado con el motor presumiblemente en marcha durante ${m} min en un viaje`
    : `Stopped with the engine presumably on for ${m} min during a trip`;
}

const HARSH: Record<Language, Record<HarshType, string>> = {
  en: {
    HARSH_BRAKING: 'Braked from {from} to {to} km/h in {s} s ({a} m/s²)',
    HARSH_ACCELERATION: 'Accelerated from {from} to {to} km/h in {s} s ({a} m/s²)',
  },
  es: {
    HARSH_BRAKING: 'Frenó de {from} a {to} km/h en {s} s ({a} m/s²)',
    HARSH_ACCELERATION: 'Aceleró de {from} a {to} km/h en {s} s ({a} m/s²)',
  },
};
