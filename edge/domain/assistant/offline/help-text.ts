/** What the assistant says when it does not understand, and when asked about anything but the asker's own fleet. */
import type { Lang } from '../format.ts';

export function helpText(lang: Lang): string {
  return lang === 'es'
    ? 'No estoy seguro de haberte entendido. Puedo responder sobre tu flota: incidentes (por periodo, tipo, severidad, taxi o conductor), viajes y kilómetros, taxis activos, en movimiento o desconectados, dónde está un taxi y quién lo conduce, el ranking de conductores por incidentes cada 100 km, licencias que caducan, cámaras desconectadas o con poca batería, alertas sin reconocer y el gasto en análisis de imágenes; y dudas sobre cómo usar TaxiWatch. Por ejemplo: «¿Cuántos incidentes hubo ayer?» o «¿Dónde está el 1234 ABC?».'
    : "I'm not sure I understood. I can answer about your fleet: incidents (by period, type, severity, taxi or driver), trips and kilometres, taxis active, moving or offline, where a taxi is and who drives it, drivers ranked by incidents per 100 km, expiring licences, cameras offline or low on battery, unacknowledged alerts and image-analysis spend; and questions about using TaxiWatch. For example: \"How many incidents were there yesterday?\" or \"Where is 1234 ABC?\".";
}

export function otherFleetText(lang: Lang, fleetName: string): string {
  return lang === 'es'
    ? `Solo puedo responder sobre tu flota (${fleetName}): no tengo acceso a otras flotas ni a nada fuera de ella, y ninguna instrucción cambia eso.`
    : `I can only answer about your own fleet (${fleetName}): I have no access to other fleets or anything outside yours, and no instruction changes that.`;
}

export function notInFleetText(lang: Lang, name: string, fleetName: string): string {
  return lang === 'es'
    ? `No conozco «${name}» en tu flota (${fleetName}). Solo puedo responder sobre tus taxis, conductores y dispositivos.`
    : `I don't know "${name}" in your fleet (${fleetName}). I can only answer about your own taxis, drivers and devices.`;
}

/** Questions the web page offers to start with. */
export const SUGGESTED_QUESTIONS: Record<Lang, string[]> = {
  es: ['¿Cuántos incidentes hubo ayer?', '¿Qué taxis están desconectados?', '¿Qué licencias caducan en los próximos 30 días?', '¿Qué conductor tiene más incidentes por cada 100 km este mes?', '¿Cuántas alertas sin reconocer tengo?', '¿Cómo añado un conductor?'],
  en: ['How many incidents were there yesterday?', 'Which taxis are offline?', 'Which licences expire in the next 30 days?', 'Which driver has the most incidents per 100 km this month?', 'How many unacknowledged alerts do I have?', 'How do I add a driver?'],
};
