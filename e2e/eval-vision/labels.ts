/**
 * What a labelled folder's name means: the incident type its images show, or NONE for safe driving. Names are
 * matched case-insensitively; a name not listed is taken as the type itself, upper-cased (`smoking/` → SMOKING).
 */
export const NO_INCIDENT = 'NONE';

const FOLDER_TYPES: Record<string, string> = {
  safe: NO_INCIDENT,
  none: NO_INCIDENT,
  phone: 'PHONE_USAGE',
  drowsy: 'DROWSINESS',
  yawn: 'YAWNING',
  distracted: 'DISTRACTION',
  accident: 'ACCIDENT',
  no_driver: 'NO_DRIVER',
  blocked: 'CAMERA_BLOCKED',
};

export function labelOfFolder(name: string): string {
  const key = name.trim().toLowerCase();
  return FOLDER_TYPES[key] ?? key.toUpperCase();
}
