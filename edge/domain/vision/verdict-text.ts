/** Descriptions of signal-based verdicts in the fleet's language (cloud models write their own). */
import type { VisionIncidentType } from './vision-verdict.ts';

type Language = 'es' | 'en';

const INCIDENT_TEXT: Record<Language, Partial<Record<VisionIncidentType, string>>> = {
  en: {
    DROWSINESS: 'Eyes closing in {n} of the last {w} frames: the driver may be drowsy.',
    PHONE_USAGE: 'A mobile phone is visible in {n} of the last {w} frames.',
    DISTRACTION: 'The driver looked away from the road in {n} of the last {w} frames.',
    YAWNING: 'The driver yawned in {n} of the last {w} frames.',
    CAMERA_BLOCKED: 'The camera image has been dark in {n} of the last {w} frames: the lens may be covered.',
    NO_DRIVER: 'No driver visible in {n} of the last {w} frames.',
  },
  es: {
    DROWSINESS: 'Ojos cerrándose en {n} de los últimos {w} fotogramas: el conductor puede tener somnolencia.',
    PHONE_USAGE: 'Se ve un teléfono móvil en {n} de los últimos {w} fotogramas.',
    DISTRACTION: 'El conductor apartó la vista de la carretera en {n} de los últimos {w} fotogramas.',
    YAWNING: 'El conductor bostezó en {n} de los últimos {w} fotogramas.',
    CAMERA_BLOCKED: 'La imagen de la cámara está oscura en {n} de los últimos {w} fotogramas: la lente puede estar tapada.',
    NO_DRIVER: 'No se ve al conductor en {n} de los últimos {w} fotogramas.',
  },
};

const CALM_TEXT: Record<Language, { clear: string; unsure: string }> = {
  en: { clear: 'Nothing unsafe seen in the recent frames.', unsure: 'Not enough evidence yet: {hint}.' },
  es: { clear: 'Nada inseguro en los fotogramas recientes.', unsure: 'Aún sin pruebas suficientes: {hint}.' },
};

const HINT_TEXT: Record<Language, Record<string, string>> = {
  en: { no_signals: 'the model measured nothing', too_brief: 'not yet confirmed by enough frames', weak_score: 'a weak sighting' },
  es: { no_signals: 'el modelo no midió nada', too_brief: 'aún no confirmado por suficientes fotogramas', weak_score: 'un indicio débil' },
};

export function incidentText(language: Language, type: VisionIncidentType, matches: number, windowSize: number): string {
  const template = INCIDENT_TEXT[language][type] ?? type;
  return template.replace('{n}', String(matches)).replace('{w}', String(windowSize));
}

export function calmText(language: Language, hint: { type: VisionIncidentType; reason: string } | null): string {
  if (!hint) return CALM_TEXT[language].clear;
  return CALM_TEXT[language].unsure.replace('{hint}', `${hint.type} — ${HINT_TEXT[language][hint.reason] ?? hint.reason}`);
}
