/**
 * The PDF's standard fonts (Helvetica) write WinAnsi only: Spanish and most Western names fit, anything else is
 * spelt as near as it can be (accents dropped, dashes and arrows as ASCII) or as "?", never an exception mid-report.
 */
const EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const NEAR: Record<string, string> = { '−': '-', '→': '->', '←': '<-', '≈': '~', '×': 'x', '≥': '>=', '≤': '<=', '\u00a0': ' ', '\t': ' ' };

const fits = (ch: string) => {
  const code = ch.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || EXTRA.has(ch);
};

export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (fits(ch)) out += ch;
    else if (NEAR[ch] !== undefined) out += NEAR[ch];
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare && [...bare].every(fits) ? bare : '?';
    }
  }
  return out;
}
