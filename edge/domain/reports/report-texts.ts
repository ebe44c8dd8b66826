/** The reports' words, in the fleet's language, and how numbers, days and times are written in it. */
export type ReportLanguage = 'es' | 'en';

const en = {
  dailyTitle: 'Daily report',
  rangeTitle: 'Fleet report',
  generated: 'Generated {at} · TaxiWatch',
  summary: 'The day in figures',
  kilometres: 'Kilometres',
  hoursDriven: 'Hours driven',
  trips: 'Trips',
  incidents: 'Incidents',
  taxisOnTheRoad: 'Taxis on the road',
  versusAverage: '{change} vs 7-day average',
  noAverage: 'no earlier days to compare',
  incidentsByType: 'Incidents by type',
  incidentsBySeverity: 'Incidents by severity',
  incidentsByHour: 'Incidents by hour',
  today: 'this day',
  average7: '7-day average',
  noIncidents: 'No incidents on this day.',
  drivers: 'Drivers',
  driversNote: 'Incidents per 100 km, drivers with at least {km} km.',
  best: 'Fewest incidents per 100 km',
  worst: 'Most incidents per 100 km',
  driver: 'Driver',
  km: 'km',
  per100km: 'per 100 km',
  noDrivers: 'No driver drove far enough to compare.',
  scores: 'Safety scores',
  scoresNote: 'Score 0–100 for the day; the change is against the 7 days before, taken together. Drivers who did not drive have no score.',
  score: 'Score',
  vs7days: 'vs 7 days',
  bestScores: 'Best scores',
  worstScores: 'Lowest scores',
  noScores: 'No driver drove on this day: no scores.',
  coachingQueue: 'Drivers to coach this week',
  coachingWhere: 'see /scores',
  map: 'Where the taxis drove',
  mapEmpty: 'No positions recorded on this day.',
  expiring: 'Expiring soon',
  licences: 'Driving licences',
  deviceKeys: 'Device keys',
  expires: 'Expires',
  inDays: 'in {days} d',
  expired: 'expired',
  nothingExpiring: 'Nothing expires in the next 30 days.',
  autoRotates: 'Device keys renew themselves when the device connects in the 14 days before expiry.',
  offline: 'Offline devices',
  offlineNote: 'Not heard from for over {minutes} min when this report was made.',
  device: 'Device',
  taxi: 'Taxi',
  lastSeen: 'Last seen',
  never: 'never',
  allOnline: 'Every device has been heard from recently.',
  vision: 'Vision spend',
  framesAnalysed: 'Frames analysed',
  modelCalls: 'Cloud model calls',
  cost: 'Cost (USD)',
  visionNote: 'UTC day {day}; the 7-day average in brackets.',
  filters: 'Taxi: {taxi} · Driver: {driver}',
  all: 'all',
  tripsSection: 'Trips',
  stops: 'Stops',
  speeding: 'Speeding',
  idling: 'Idling',
  otherIncidents: 'Other incidents',
  driverSummary: 'Per driver',
  start: 'Start',
  end: 'End',
  duration: 'Duration',
  maxSpeed: 'Max km/h',
  type: 'Type',
  severity: 'Severity',
  description: 'Description',
  where: 'Where',
  none: 'None.',
  truncated: 'Only the first {count} rows are shown.',
  unassigned: 'unassigned',
  scale: '{km} km',
} as const;

export type ReportTexts = Record<keyof typeof en, string>;

const es: ReportTexts = {
  dailyTitle: 'Informe diario',
  rangeTitle: 'Informe de la flota',
  generated: 'Generado {at} · TaxiWatch',
  summary: 'El día en cifras',
  kilometres: 'Kilómetros',
  hoursDriven: 'Horas de conducción',
  trips: 'Viajes',
  incidents: 'Incidentes',
  taxisOnTheRoad: 'Taxis en circulación',
  versusAverage: '{change} frente a la media de 7 días',
  noAverage: 'sin días anteriores para comparar',
  incidentsByType: 'Incidentes por tipo',
  incidentsBySeverity: 'Incidentes por gravedad',
  incidentsByHour: 'Incidentes por hora',
  today: 'este día',
  average7: 'media de 7 días',
  noIncidents: 'Ningún incidente este día.',
  drivers: 'Conductores',
  driversNote: 'Incidentes cada 100 km, conductores con al menos {km} km.',
  best: 'Menos incidentes cada 100 km',
  worst: 'Más incidentes cada 100 km',
  driver: 'Conductor',
  km: 'km',
  per100km: 'cada 100 km',
  noDrivers: 'Ningún conductor recorrió lo bastante para comparar.',
  scores: 'Puntuación de seguridad',
  scoresNote: 'Puntuación de 0 a 100 del día; el cambio es frente a los 7 días anteriores en conjunto. Quien no condujo no tiene puntuación.',
  score: 'Puntuación',
  vs7days: 'vs. 7 días',
  bestScores: 'Mejores puntuaciones',
  worstScores: 'Peores puntuaciones',
  noScores: 'Ningún conductor condujo este día: no hay puntuaciones.',
  coachingQueue: 'Conductores para coaching esta semana',
  coachingWhere: 'ver /scores',
  map: 'Por dónde circularon los taxis',
  mapEmpty: 'No se registraron posiciones este día.',
  expiring: 'Caduca pronto',
  licences: 'Permisos de conducir',
  deviceKeys: 'Claves de dispositivo',
  expires: 'Caduca',
  inDays: 'en {days} d',
  expired: 'caducado',
  nothingExpiring: 'Nada caduca en los próximos 30 días.',
  autoRotates: 'Las claves de dispositivo se renuevan solas cuando el dispositivo se conecta en los 14 días previos a caducar.',
  offline: 'Dispositivos sin conexión',
  offlineNote: 'Sin noticias desde hace más de {minutes} min al generar este informe.',
  device: 'Dispositivo',
  taxi: 'Taxi',
  lastSeen: 'Última conexión',
  never: 'nunca',
  allOnline: 'Todos los dispositivos se han conectado hace poco.',
  vision: 'Gasto en visión',
  framesAnalysed: 'Imágenes analizadas',
  modelCalls: 'Llamadas al modelo en la nube',
  cost: 'Coste (USD)',
  visionNote: 'Día UTC {day}; entre paréntesis, la media de 7 días.',
  filters: 'Taxi: {taxi} · Conductor: {driver}',
  all: 'todos',
  tripsSection: 'Viajes',
  stops: 'Paradas',
  speeding: 'Exceso de velocidad',
  idling: 'Ralentí',
  otherIncidents: 'Otros incidentes',
  driverSummary: 'Por conductor',
  start: 'Inicio',
  end: 'Fin',
  duration: 'Duración',
  maxSpeed: 'Máx. km/h',
  type: 'Tipo',
  severity: 'Gravedad',
  description: 'Descripción',
  where: 'Dónde',
  none: 'Ninguno.',
  truncated: 'Solo se muestran las primeras {count} filas.',
  unassigned: 'sin asignar',
  scale: '{km} km',
};

const TEXTS: Record<ReportLanguage, ReportTexts> = { en, es };

export interface ReportWords {
  language: ReportLanguage;
  t(key: keyof ReportTexts, values?: Record<string, string | number>): string;
  number(value: number, fractionDigits?: number): string;
  /** "+50 %", "−20 %", "=" ; null (no average) reads as "—". */
  change(today: number, average: number | null): string;
  date(day: string): string;
  dateTime(at: Date): string;
  time(at: Date): string;
  duration(seconds: number): string;
}

export function reportWords(language: ReportLanguage, timeZone: string): ReportWords {
  const locale = language === 'es' ? 'es-ES' : 'en-GB';
  const t = (key: keyof ReportTexts, values: Record<string, string | number> = {}) => TEXTS[language][key].replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? `{${name}}`));
  const number = (value: number, fractionDigits = 0) => new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits, minimumFractionDigits: 0 }).format(value);
  return {
    language,
    t,
    number,
    change(today, average) {
      if (average === null) return '—';
      if (average === 0) return today === 0 ? '=' : `+${number(today)}`;
      const pct = Math.round(((today - average) / average) * 100);
      return pct === 0 ? '=' : `${pct > 0 ? '+' : '-'}${number(Math.abs(pct))} %`;
    },
    date: (day) => new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`)),
    dateTime: (at) => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at),
    time: (at) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(at),
    duration(seconds) {
      const minutes = Math.round(seconds / 60);
      return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
    },
  };
}
