/** Reads Prometheus text exposition (0.0.4) back into samples, for tests; written from the format's grammar. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseSampleLine(line: string): ParsedSample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (!name) throw new Error(`not a sample line: ${line}`);
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i += 1;
    while (line[i] !== '}') {
      const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
      if (!key || line.slice(i + key.length, i + key.length + 2) !== '="') throw new Error(`bad label at ${i}: ${line}`);
      i += key.length + 2;
      let value = '';
      while (line[i] !== '"') {
        if (i >= line.length) throw new Error(`unterminated label value: ${line}`);
        if (line[i] === '\\') {
          const next = line[i + 1];
          if (next !== 'n' && next !== '\\' && next !== '"') throw new Error(`bad escape \\${next}: ${line}`);
          value += next === 'n' ? '\n' : next;
          i += 2;
        } else value += line[i++];
      }
      labels[key] = value;
      i += 1;
      if (line[i] === ',') i += 1;
    }
    i += 1;
  }
  if (line[i] !== ' ') throw new Error(`expected a space before the value: ${line}`);
  const text = line.slice(i + 1);
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`bad value ${text}: ${line}`);
  return { name, labels, value };
}

export function parseExposition(text: string) {
  const lines = text.split('\n');
  const types = new Map<string, string>();
  const samples: ParsedSample[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    else if (!line.startsWith('#')) samples.push(parseSampleLine(line));
  }
  const matches = (sample: ParsedSample, name: string, labels: Record<string, string>) =>
    sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v);
  return {
    types,
    samples,
    /** The value of the one sample with this name and (at least) these labels; 0 when there is none. */
    value(name: string, labels: Record<string, string> = {}): number {
      const found = samples.filter((s) => matches(s, name, labels));
      if (found.length > 1) throw new Error(`${found.length} samples match ${name} ${JSON.stringify(labels)}`);
      return found[0]?.value ?? 0;
    },
    all: (name: string, labels: Record<string, string> = {}) => samples.filter((s) => matches(s, name, labels)),
  };
}
