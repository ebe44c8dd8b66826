/**
 * The Postgres adapters' side of edge/db/prepared.ts: a statement whose text starts with the mark is sent as a named
 * statement, so node-postgres (and Neon's fork of it) parses it once per connection and binds it afterwards. The name
 * is a hash of the text: the same statement gets the same name on every connection, two statements never share one.
 */
import { PREPARED_MARK } from '../../db/prepared.ts';

const names = new Map<string, string | null>();

/** The statement's name when its text is marked, else null (an ordinary, unnamed statement). */
export function preparedName(text: string): string | null {
  let name = names.get(text);
  if (name === undefined) {
    name = text.startsWith(PREPARED_MARK) ? `tw_${hash(text)}` : null;
    // Marked texts are few and fixed; unmarked ones are not remembered, so the map cannot grow with the input.
    if (name !== null) names.set(text, name);
  }
  return name;
}

// Two 32-bit FNV-1a hashes with different offsets: 64 bits, so two of the few marked texts never collide.
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193 + 2);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
