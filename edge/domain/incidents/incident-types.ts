/**
 * Every incident type the platform raises, in one place: the telemetry rules' and the vision verdict's. Plain lists
 * (no zod), so the web app can import them without pulling a validator into the browser.
 */
export const TELEMETRY_INCIDENT_TYPES = ['HARSH_BRAKING', 'HARSH_ACCELERATION', 'SPEEDING', 'IDLING'] as const;

export const VISION_INCIDENT_TYPES = ['PHONE_USAGE', 'DROWSINESS', 'YAWNING', 'DISTRACTION', 'SMOKING', 'ACCIDENT', 'NO_DRIVER', 'CAMERA_BLOCKED', 'OTHER'] as const;

/** Telemetry first, then vision: the order the incidents page's type filter lists them. */
export const INCIDENT_TYPES = [...TELEMETRY_INCIDENT_TYPES, ...VISION_INCIDENT_TYPES] as const;
