/**
 * Whether a Node version satisfies an `engines.node` range, for the ranges npm packages write: `||` alternatives of
 * space-separated comparators (`>=`, `>`, `<=`, `<`, `=`), caret and tilde ranges, x-ranges (`4.x`, `*`) and
 * hyphen-free exact versions. Enough to check a lock file's engines against the version the project declares.
 */
type Version = [number, number, number];

function parse(text: string): { version: Version; given: number } {
  const parts = text.replace(/^v/, '').split('.');
  const nums = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  const given = nums.findIndex((n) => Number.isNaN(n));
  const count = given === -1 ? Math.min(parts.length, 3) : given;
  return { version: [nums[0] || 0, count > 1 ? nums[1] : 0, count > 2 ? nums[2] : 0] as Version, given: count };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function comparator(version: Version, token: string): boolean {
  const [, op = '', rest] = /^(>=|<=|>|<|=|\^|~)?\s*(.*)$/.exec(token)!;
  if (rest === '*' || rest === 'x' || rest === '') return true;
  const { version: v, given } = parse(rest);
  const c = compare(version, v);
  const upper = (index: number): Version => (index === 0 ? [v[0] + 1, 0, 0] : index === 1 ? [v[0], v[1] + 1, 0] : [v[0], v[1], v[2] + 1]);
  switch (op) {
    case '>=': return c >= 0;
    case '>': return given < 3 ? compare(version, upper(given - 1)) >= 0 : c > 0;
    case '<=': return given < 3 ? compare(version, upper(given - 1)) < 0 : c <= 0;
    case '<': return c < 0;
    case '^': return c >= 0 && compare(version, upper(v[0] > 0 || given === 1 ? 0 : v[1] > 0 || given === 2 ? 1 : 2)) < 0;
    case '~': return c >= 0 && compare(version, upper(given === 1 ? 0 : 1)) < 0;
    default: return given === 3 ? c === 0 : c >= 0 && compare(version, upper(given - 1)) < 0;
  }
}

export function satisfiesNodeRange(versionText: string, range: string): boolean {
  const { version } = parse(versionText);
  return range.split('||').some((alternative) => {
    const tokens = alternative.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return tokens.every((token) => comparator(version, token));
  });
}
