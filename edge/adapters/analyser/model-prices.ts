/**
 * What a call to an OpenAI model costs, from a small price table (US dollars per million tokens, standard tier).
 * Prices change: this table is an estimate for dashboards and the evaluation harness, not an invoice.
 */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

// Longest names first: dated snapshots ("gpt-4o-mini-2024-07-18") are matched by prefix, and "gpt-4o" must not
// catch "gpt-4o-mini".
const PRICES: [prefix: string, price: ModelPrice][] = [
  ['gpt-4.1-mini', { inputPerMillion: 0.4, outputPerMillion: 1.6 }],
  ['gpt-4o-mini', { inputPerMillion: 0.15, outputPerMillion: 0.6 }],
  ['gpt-4o', { inputPerMillion: 2.5, outputPerMillion: 10 }],
];

export function priceOf(model: string): ModelPrice | null {
  const name = model.toLowerCase();
  for (const [prefix, price] of PRICES) {
    if (name === prefix || name.startsWith(`${prefix}-`)) return price;
  }
  return null;
}

/** Cost in USD; an unknown model (a local Ollama/vLLM one, a new OpenAI one) costs 0 here — its tokens are still recorded. */
export function costUsd(model: string, inputTokens: number, outputTokens: number): number {
  const price = priceOf(model);
  if (!price) return 0;
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
