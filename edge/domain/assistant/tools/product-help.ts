/** Product questions ("how do I add a driver?", "¿qué significa severidad alta?") answered from the FAQ. */
import { z } from 'zod';
import type { Lang } from '../format.ts';
import { FAQ } from '../faq/faq-entries.ts';
import { normalizeText } from '../language/normalize.ts';
import { definitionWords } from './recognise-helpers.ts';
import { defineTool } from '../tool.ts';

const input = z.object({ question: z.string().trim().min(1).max(500).describe("The user's product question, as asked") }).strict();
type Input = z.output<typeof input>;

interface Output {
  faq: { id: string; title: { es: string; en: string }; answer: { es: string; en: string }; link: string | null } | null;
}

/** The entry a question is about: the topic must match; the action and a how/what wording add to it. */
export function bestFaq(normalized: string, howOrWhat: boolean): { id: string; score: number } | null {
  let best: { id: string; score: number } | null = null;
  for (const entry of FAQ) {
    if (!entry.topic.test(normalized)) continue;
    const score = 0.5 + (entry.action ? (entry.action.test(normalized) ? 0.3 : -0.2) : 0.15) + (howOrWhat ? 0.2 : 0);
    if (!best || score > best.score) best = { id: entry.id, score };
  }
  return best;
}

export const productHelpTool = defineTool<Input, Output>({
  name: 'product_help',
  description: 'Answers questions about using TaxiWatch (adding drivers, taxis and cameras, severities, incident types, alerts, false positives, languages, API keys, webhooks…) from its documentation.',
  input,
  async run(_ctx, i) {
    const text = normalizeText(i.question);
    const found = bestFaq(text, true);
    const entry = found ? FAQ.find((e) => e.id === found.id)! : null;
    return { faq: entry ? { id: entry.id, title: entry.title, answer: entry.answer, link: entry.link?.href ?? null } : null };
  },
  answer(o, lang: Lang) {
    if (!o.faq) return lang === 'es' ? 'No tengo una respuesta sobre eso en la ayuda de TaxiWatch.' : "I don't have an answer about that in TaxiWatch's help.";
    return o.faq.answer[lang];
  },
  links(o, lang) {
    const entry = o.faq && FAQ.find((e) => e.id === o.faq!.id);
    return entry?.link ? [{ label: entry.link[lang], href: entry.link.href }] : [];
  },
  recognise(q) {
    const how = definitionWords(q);
    const found = bestFaq(q.text, how);
    if (!found || found.score < 0.7) return null;
    return { score: Math.min(found.score, 1), input: { question: q.raw } };
  },
});
