/**
 * The words the offline parser knows, Spanish and English, written without accents (questions are normalized
 * first): incident types, severities and review states. Patterns are matched against the whole normalized question.
 */
import type { IncidentStatus, Severity } from '../../../db/schema.ts';

export const TYPE_PATTERNS: Array<[type: string, pattern: RegExp]> = [
  ['HARSH_BRAKING', /\b(frenaz\w*|frenad\w*|frenar|fren[oe]s?|frenaron|frenando|brak\w*|hard stops?)\b/],
  ['HARSH_ACCELERATION', /\b(acelerones?|aceleracion(es)? brusca|acelerar|arrancadas?|accelerat(ion|ions|ing|e)|hard starts?|jackrabbit)\b/],
  ['SPEEDING', /\b(exceso|excesos|excedio|speeding|speeders?|over the (speed )?limit|too fast|demasiado rapido|velocidad excesiva)\b/],
  ['IDLING', /\b(ralenti|idl(e|es|ing)|motor encendido)\b/],
  ['PHONE_USAGE', /\b(movil(es)?|celular(es)?|telefono(s)?|phones?|mobile|cell ?phones?|cellphones?|whatsapp|texting|smartphone)\b/],
  ['DROWSINESS', /\b(somnolencia|sueño|dormid[oa]s?|dormir|durmi\w*|drows\w*|asleep|sleepy|fatiga\w*|fatigue|cansancio|cansad[oa]s?|tired)\b/],
  ['YAWNING', /\b(bostez\w*|yawn\w*)\b/],
  ['DISTRACTION', /\b(distrac\w*|distraid[oa]s?|distracted|not looking|sin mirar)\b/],
  ['SMOKING', /\b(fuma\w*|smok\w*|cigar\w*|tabaco)\b/],
  ['ACCIDENT', /\b(accidentes?|accidents?|choques?|chocar|chocado|colision(es)?|crash(es)?|collisions?|siniestros?)\b/],
  ['NO_DRIVER', /\b(sin conductor|no driver|without (a )?driver|nadie al volante)\b/],
  ['CAMERA_BLOCKED', /\b(camara (tapada|bloqueada|cubierta)|camera (blocked|covered|obstructed)|lente tapad[oa])\b/],
];

export const SEVERITY_PATTERNS: Array<[severities: Severity[], pattern: RegExp]> = [
  [['CRITICAL'], /\b(critic[oa]s?|critical|criticas)\b/],
  [['HIGH'], /\b((severidad|gravedad|prioridad) alta|alta (severidad|gravedad|prioridad)|high( severity| priority)?|altos?)\b/],
  [['MEDIUM'], /\b((severidad|gravedad) media|medium( severity)?|moderad[oa]s?)\b/],
  [['LOW'], /\b((severidad|gravedad) baja|low severity|minor|leves?)\b/],
  [['HIGH', 'CRITICAL'], /\b(graves?|serious|severe|importantes?|major)\b/],
];

export const STATUS_PATTERNS: Array<[status: IncidentStatus, pattern: RegExp]> = [
  ['false_positive', /\b(falsos? positivos?|false positives?|falsas? alarmas?|false alarms?)\b/],
  ['open', /\b(abiert[oa]s?|open|sin revisar|por revisar|pendientes? de revis\w*|sin resolver|unresolved|unreviewed|not reviewed|need\w* review\w*|to review|sin atender)\b/],
  ['resolved', /\b(resuelt[oa]s?|resolved|cerrad[oa]s?|closed)\b/],
  ['acknowledged', /\b(reconocid[oa]s?|acknowledged)\b/],
];

/** Words that mark a question about other tenants: the assistant knows only the asker's fleet. */
export const OTHER_FLEETS = /\b(otras? (flotas?|empresas?|compañias?|clientes?)|todas las (flotas|empresas|compañias)|(la |de la )?competencia|other (fleets?|companies|company|customers?|tenants?)|(all|every) (the )?(fleets?|companies|tenants?)|another (fleet|company|tenant)|competitors?'?s?|competitor company|rival|platform'?s fleets|de la plataforma|on the platform|fleet_id)\b/;

/** "Can the assistant see other fleets?": a question about the assistant itself, answered from the help. */
export const ABOUT_THE_ASSISTANT = /\b(puede[sn]?|podria[sn]?|can|could|do(es)?) (el asistente|the assistant|you|tu|usted|el chat|the chat)\b.*\b(ver|see|acceder|access|leer|read)\b/;

/** Attempts to talk the assistant out of its rules; answered like other-fleet questions. */
export const RULE_BREAKING = /\b(ignora|ignore|olvida|forget|disregard|salta(te)?|bypass) (las |tus |the |your |all |previous |todas )*(instrucciones|instructions|reglas|rules|prompt)\b/;
