/**
 * Spanish or English from the words of a question; undefined when it cannot tell (a bare plate, "ok"). Common
 * words decide first; word endings ("-ción", "-mente" / "-ing", "'s") break a tie.
 */
import type { Lang } from '../format.ts';

const SPANISH = new Set(
  `que cual cuales cuantos cuantas cuanto cuanta donde quien quienes como cuando porque hoy ayer anteayer semana mes pasado ultimos ultimas dias dia horas
  hubo hay habia tengo tiene tienen tenemos tuvo tuvimos esta estan este esa eso esto el la los las lo le les de del al en por para con sin mi mis su sus tu tus
  y o es son ha han he hemos ser fue fueron era se nos dame dime muestrame muestra lista conductor conductores chofer choferes taxista viajes viaje incidentes
  incidencias alertas licencias licencia carnet coche coches vehiculos vehiculo camaras camara dispositivos bateria gasto gastado cuesta costo desde entre hasta
  mas menos peor mejor algun alguna ningun ninguna flota empresa ahora mismo lleva conduce anda va registrados numero pendientes quedan todavia aun ya siguen
  veces oye necesito saber puedo puede quiero favor gracias hola un una unos unas sobre pero muy tambien escribe cuentame chiste partido tiempo hara mañana
  manana capital yo ella ellos nosotros aqui alli ver hacer poner hace hizo tambien cada otra otras otro otros todos todas nada algo`.split(/\s+/),
);
const ENGLISH = new Set(
  `what which how many much where who whose when why is are was were be been being the an of in on at for to from by with without into onto about my our your
  their its it they them we us he she his her i you do does did have has had there this that these those last past today yesterday week month days day hours
  incidents incident alerts alert trips trip driver drivers cab cabs car cars vehicles vehicle cameras camera devices device battery licences licence licenses
  license spend spent cost costs since between until more most worst best any some fleet company now right moment driving drive drove drives kilometres
  kilometers miles number pending still need please thanks hello can could would should will tell show list give get got find locate check see know want let
  write joke weather tomorrow won game night price poem just than then also all every other`.split(/\s+/),
);
const SPANISH_ENDING = /(cion|ciones|mente|ado|ada|ados|adas|ido|ida|idos|idas|aron|ieron|amos|emos)$/;
const ENGLISH_ENDING = /(ing|ed|'s|n't|'re|'ll|ly)$/;

/** A word every question may start with ("How", "Cuántos"), not a name. */
export const isCommonWord = (normalized: string) => SPANISH.has(normalized) || ENGLISH.has(normalized);

export function detectLang(words: string[], rawText: string): Lang | undefined {
  if (/[¿¡ñ]/.test(rawText)) return 'es';
  let es = 0;
  let en = 0;
  for (const w of words) {
    if (SPANISH.has(w)) es++;
    if (ENGLISH.has(w)) en++;
  }
  if (es === en) {
    for (const w of words) {
      if (w.length > 4 && SPANISH_ENDING.test(w)) es++;
      if (w.length > 4 && ENGLISH_ENDING.test(w)) en++;
    }
  }
  if (es === en) return undefined;
  return es > en ? 'es' : 'en';
}
