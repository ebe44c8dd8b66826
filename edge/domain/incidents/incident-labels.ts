/** How an incident type reads in an alert, in the fleet's language: "Phone use — 1234-ABC: <description>". */
type Language = 'es' | 'en';

const LABELS: Record<Language, Record<string, string>> = {
  en: {
    HARSH_BRAKING: 'Harsh braking',
    HARSH_ACCELERATION: 'Harsh acceleration',
    SPEEDING: 'Speeding',
    IDLING: 'Long idling',
    PHONE_USAGE: 'Phone use',
    DROWSINESS: 'Drowsiness',
    YAWNING: 'Yawning',
    DISTRACTION: 'Distraction',
    SMOKING: 'Smoking',
    ACCIDENT: 'Possible accident',
    NO_DRIVER: 'No driver visible',
    CAMERA_BLOCKED: 'Camera blocked',
    OTHER: 'Unsafe behaviour',
  },
  es: {
    HARSH_BRAKING: 'Frenada brusca',
    HARSH_ACCELERATION: 'Aceleración brusca',
    SPEEDING: 'Exceso de velocidad',
    IDLING: 'Ralentí prolongado',
    PHONE_USAGE: 'Uso del móvil',
    DROWSINESS: 'Somnolencia',
    YAWNING: 'Bostezos',
    DISTRACTION: 'Distracción',
    SMOKING: 'Fumando',
    ACCIDENT: 'Posible accidente',
    NO_DRIVER: 'Sin conductor visible',
    CAMERA_BLOCKED: 'Cámara tapada',
    OTHER: 'Conducta insegura',
  },
};

/** A type no table knows still reads as words: "LANE_DEPARTURE" → "Lane departure". */
export function humaniseType(type: string): string {
  const words = type.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : type;
}

export function incidentLabel(type: string, language: Language = 'en'): string {
  return LABELS[language][type] ?? humaniseType(type);
}

const SEVERITY: Record<Language, Record<string, string>> = {
  en: { LOW: 'low', MEDIUM: 'medium', HIGH: 'high', CRITICAL: 'critical' },
  es: { LOW: 'baja', MEDIUM: 'media', HIGH: 'alta', CRITICAL: 'crítica' },
};

export const severityLabel = (severity: string, language: Language = 'en'): string => SEVERITY[language][severity] ?? severity.toLowerCase();

export function alertMessage(type: string, plate: string, description: string, language: Language = 'en'): string {
  const label = incidentLabel(type, language);
  return description ? `${label} — ${plate}: ${description}` : `${label} — ${plate}`;
}
