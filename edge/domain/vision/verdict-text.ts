/** Descriptions of verdicts decided here (rules, the fleet model, the policy) in the fleet's language. */
import type { Prediction } from './fleet-model.ts';
import type { FindingDetail } from './severity-policy.ts';
import type { VisionIncidentType } from './vision-verdict.ts';

type Language = 'es' | 'en';

const DETAIL_TEXT: Record<Language, Record<FindingDetail, string>> = {
  en: {
    phone_in_hand: 'The driver holds something in the hand, likely a phone, in {n} of the last {w} frames.',
    phone_at_ear: 'The driver holds a hand at the ear, as on a phone call, in {n} of the last {w} frames.',
    phone_looked_at: 'The driver looks down at something in the hand, as when reading or typing on a phone, in {n} of the last {w} frames.',
    eyes_closing: 'The eyes are narrower than this driver’s normal in {n} of the last {w} frames: the driver may be drowsy.',
    eyes_closed: 'The eyes are shut in {n} of the last {w} frames.',
    looking_away: 'The driver’s head is turned away from its usual direction in {n} of the last {w} frames.',
    yawn: 'The driver yawned in {n} of the last {w} frames.',
    smoking: 'The driver is smoking.',
    no_driver: 'No driver visible in {n} of the last {w} frames.',
    lens_blocked: 'The camera image is dark or blank in {n} of the last {w} frames: the lens may be covered.',
    collision: 'A possible collision.',
    other: 'Something unsafe was seen.',
  },
  es: {
    phone_in_hand: 'El conductor sostiene algo en la mano, probablemente un teléfono, en {n} de los últimos {w} fotogramas.',
    phone_at_ear: 'El conductor tiene una mano en la oreja, como en una llamada, en {n} de los últimos {w} fotogramas.',
    phone_looked_at: 'El conductor mira algo que tiene en la mano, como al leer o escribir en un teléfono, en {n} de los últimos {w} fotogramas.',
    eyes_closing: 'Los ojos están más cerrados de lo normal para este conductor en {n} de los últimos {w} fotogramas: puede tener somnolencia.',
    eyes_closed: 'Los ojos están cerrados en {n} de los últimos {w} fotogramas.',
    looking_away: 'La cabeza del conductor está girada respecto a su dirección habitual en {n} de los últimos {w} fotogramas.',
    yawn: 'El conductor bostezó en {n} de los últimos {w} fotogramas.',
    smoking: 'El conductor está fumando.',
    no_driver: 'No se ve al conductor en {n} de los últimos {w} fotogramas.',
    lens_blocked: 'La imagen de la cámara está oscura o vacía en {n} de los últimos {w} fotogramas: la lente puede estar tapada.',
    collision: 'Una posible colisión.',
    other: 'Se vio algo inseguro.',
  },
};

const CALM_TEXT: Record<Language, { clear: string; unsure: string; calibrating: string; parked: string; model: string }> = {
  en: {
    clear: 'Nothing unsafe seen in the recent frames.',
    unsure: 'Not enough evidence yet: {hint}.',
    calibrating: 'This camera is still learning its normal picture of the driver; until then only clear signs are judged.',
    parked: 'Seen while the taxi stands still, which is not an incident: {what}',
    model: 'Decided by the fleet’s model ({p} sure): {reasons}.',
  },
  es: {
    clear: 'Nada inseguro en los fotogramas recientes.',
    unsure: 'Aún sin pruebas suficientes: {hint}.',
    calibrating: 'Esta cámara aún está aprendiendo su imagen normal del conductor; hasta entonces solo se juzgan señales claras.',
    parked: 'Visto con el taxi detenido, lo que no es un incidente: {what}',
    model: 'Decidido por el modelo de la flota (seguro al {p}): {reasons}.',
  },
};

const HINT_TEXT: Record<Language, Record<string, string>> = {
  en: { no_signals: 'the model measured nothing', too_brief: 'not yet confirmed by enough frames', weak_score: 'a weak sighting' },
  es: { no_signals: 'el modelo no midió nada', too_brief: 'aún no confirmado por suficientes fotogramas', weak_score: 'un indicio débil' },
};

const FEATURE_TEXT: Record<Language, Record<string, string>> = {
  en: {
    driver_visible: 'driver in view', hand_near_head: 'hand near the head', hand_raised: 'hand raised', hand_grip: 'hand gripping',
    hands_moved: 'hands away from the wheel', hands_missing: 'hands out of view', head_turn_deg: 'head turned', head_pitch_deg: 'head pitched',
    head_turn: 'head turned (pose)', head_drop: 'head lowered', eyes_ratio: 'eyes narrowed', eye_openness: 'eye openness', mouth_openness: 'mouth open', phone_score: 'phone seen',
  },
  es: {
    driver_visible: 'conductor visible', hand_near_head: 'mano cerca de la cabeza', hand_raised: 'mano levantada', hand_grip: 'mano agarrando',
    hands_moved: 'manos fuera del volante', hands_missing: 'manos fuera de la vista', head_turn_deg: 'cabeza girada', head_pitch_deg: 'cabeza inclinada',
    head_turn: 'cabeza girada (pose)', head_drop: 'cabeza bajada', eyes_ratio: 'ojos entornados', eye_openness: 'apertura de ojos', mouth_openness: 'boca abierta', phone_score: 'teléfono visible',
  },
};

export function incidentText(language: Language, detail: FindingDetail, matches: number, windowSize: number): string {
  return DETAIL_TEXT[language][detail].replace('{n}', String(matches)).replace('{w}', String(windowSize));
}

export function calmText(language: Language, hint: { type: VisionIncidentType; reason: string } | null, calibrating: boolean): string {
  const base = hint ? CALM_TEXT[language].unsure.replace('{hint}', `${hint.type} — ${HINT_TEXT[language][hint.reason] ?? hint.reason}`) : CALM_TEXT[language].clear;
  return calibrating ? `${base} ${CALM_TEXT[language].calibrating}` : base;
}

export function parkedText(language: Language, what: string): string {
  return CALM_TEXT[language].parked.replace('{what}', what);
}

/** "Decided by the fleet's model (87 % sure): hand near the head 0.31, head lowered 0.4." */
export function modelText(language: Language, prediction: Prediction): string {
  const reasons = prediction.reasons.map((r) => `${FEATURE_TEXT[language][r.feature] ?? r.feature}${r.value === null ? '' : ` ${r.value}`}`).join(', ');
  return CALM_TEXT[language].model.replace('{p}', `${Math.round(prediction.probability * 100)} %`).replace('{reasons}', reasons || '—');
}
