/** Cues the offline recognisers share: asking for a number or a list, asking what something means, naming a subject. */
import type { ParsedQuestion } from '../offline/parsed-question.ts';

/** "¿cuántos…?", "how many", "number of", "which", "list", "were there any…". */
export const countWords = (q: ParsedQuestion) =>
  q.has('cuant', 'numero', 'total', 'cantidad', 'cuales', 'lista', 'dame', 'dime', 'muestr', 'ensena', 'hubo', 'habido', 'hay', 'tuv', 'registr', 'algun', 'veces') ||
  q.hasPhrase('how many', 'how much', 'number of', 'count', 'which', 'list', 'show me', 'give me', 'tell me', 'were there', 'was there', 'any', 'total', 'times', 'did we have', 'have there been', 'what');

/** "¿qué es…?", "¿qué significa…?", "what is a…", "what does … mean", "¿cómo…?", "how do I…": a product question. */
export const definitionWords = (q: ParsedQuestion) =>
  /(^| )(que (es|son|significa|significan|quiere decir)|what (is|are|does)( an?)?|what's( an?)?|meaning of|que diferencia|what's the difference|difference between|como (puedo|se|hago|doy|añado|agrego|creo|cambio|marco|asigno|comparto|instalo|confirmo|registro|reconozco|configuro|activo|quito|borro|elimino)|how (do|can|should) (i|we|you)|(can|could|may) (i|we)|se puede|que (pasa|hago|hacer) (si|cuando|con)|what (happens )?if|what should i do|que debo hacer|where (do|can) i|donde (registro|cambio|encuentro|configuro|veo|pongo|añado)|puedo (pasar|cambiar|poner|ver|añadir))( |$)/.test(q.text) &&
  !/(^| )(how many|how much|cuant[oa]s?)( |$)/.test(q.text);

/** A taxi or driver named counts for the tools that filter by them. */
export const subjectScore = (q: ParsedQuestion) => (q.taxi || q.plateWritten ? 0.1 : 0) + (q.driver ? 0.1 : 0);

/** The question is about taxis ("taxi", "coche", "cab", "vehicle", "unidad", "flota"…). */
export const taxiWords = (q: ParsedQuestion) => /\b(taxis?|coches?|carros?|vehiculos?|unidad(es)?|cabs?|cars?|autos?|flota|fleet|vehicles?)\b/.test(q.text);
