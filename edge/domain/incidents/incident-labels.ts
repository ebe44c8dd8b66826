/** How an incident type reads in an alert: "Phone use — 1234-ABC: <description>". */
const LABELS: Record<string, string> = {
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
};

export function alertMessage(type: string, plate: string, description: string): string {
  const label = LABELS[type] ?? type;
  return description ? `${label} — ${plate}: ${description}` : `${label} — ${plate}`;
}
