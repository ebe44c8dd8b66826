/**
 * fast-check arbitraries for requests to one operation of the OpenAPI document: values drawn from the operation's
 * own JSON schemas (so many requests pass validation and reach the database), mixed with hostile ones — control
 * characters, lone surrogates, huge numbers, deep nesting, large bodies, wrong content types, duplicated parameters.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
}

export interface Operation {
  method: string;
  /** OpenAPI path with `{id}` placeholders. */
  path: string;
  auth: 'user' | 'device' | 'none';
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  body: JsonSchema | null;
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /**
   * Which credential the harness puts in: the operation's own (owner's access token, device key), the owner's API key
   * (X-API-Key) or browser session (cookies + X-CSRF-Token), the other kind (a device key on an owner's route and
   * the reverse), none, or a malformed one.
   */
  credential: 'own' | 'api-key' | 'cookie' | 'other' | 'none' | 'garbage';
  /** What the generator did, for the report when a case fails. */
  note: string;
}

/** Strings no client should send but every server receives sooner or later. */
const hostileStrings = fc.constantFrom(
  '\u0000', 'a\u0000b', '\u0000'.repeat(3), '\u0001\u001f', '\u007f', '\u001b[31m', 'x\u0008y',
  '\ud800', 'a\udfffb', '\udbff\udbff', '\ufffe', '\u200b', '😀', 'é', '\u2028',
  '', ' ', 'null', 'undefined', 'NaN', 'Infinity', '-0', '0x10', '1e999', '-1e309', '99999999999999999999999999',
  "' OR 1=1 --", '%00', '%zz', '../../etc/passwd', '<script>alert(1)</script>', '${jndi:x}', 'twk_bogus',
  '%ED%A0%80', '%C0%80', '%FF', '%', '2026-02-30', '2026-06-01T08:00:00Z', '9999-12-31T23:59:59Z', '0000-01-01', '00000000-0000-0000-0000-000000000000',
);

const anyString = fc.oneof(
  { weight: 3, arbitrary: hostileStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const hugeNumbers = fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 5e-324, -0, 1e21, 2 ** 31, -(2 ** 31) - 1);

const anyNumber = fc.oneof(hugeNumbers, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** A hostile JSON value of any type (a string where a number belongs, an object where a string belongs…). */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyString },
  { weight: 2, arbitrary: anyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '\u0000': 1 }, { __proto__: 1 }, { constructor: { prototype: 1 } }) },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 3 }) },
);

const iso = fc.integer({ min: Date.parse('2026-05-01T00:00:00Z'), max: Date.parse('2026-06-02T00:00:00Z') }).map((t) => new Date(t).toISOString());

/** The schema's range, made finite and small enough to hit realistic values often. */
const bounds = (schema: JsonSchema): [number, number] => {
  const min = Math.max(schema.minimum ?? (schema.maximum !== undefined ? schema.maximum - 1000 : -1000), -1e9);
  return [min, Math.min(schema.maximum ?? min + 2000, 1e9)];
};

/** A value that satisfies the schema as far as the JSON schema says (zod refinements are not in it). */
export function validValue(schema: JsonSchema | undefined, ids: string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validValue(s, ids, depth + 1)));
  if (schema.allOf?.length) return validValue(Object.assign({}, ...schema.allOf), ids, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'null' : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return iso;
      if (schema.format === 'date') return iso.map((d) => d.slice(0, 10));
      if (schema.format === 'email') return fc.constantFrom('fuzz@example.test', 'owner@fuzz.test');
      if (schema.format === 'uri') return fc.constantFrom('https://example.com/hook', 'http://127.0.0.1:9/x');
      if (schema.format === 'uuid' || ids.length === 0) return fc.oneof(fc.uuid(), fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 40) }));
      return fc.oneof(fc.constantFrom(...ids), fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 20, 40) }));
    }
    case 'integer': {
      const [min, max] = bounds(schema);
      return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
    }
    case 'number': {
      const [min, max] = bounds(schema);
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(schema.items, ids, depth + 1), { maxLength: 3 });
    case 'object': {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const entries = Object.fromEntries(props.map(([name, s]) => [name, validValue(s, ids, depth + 1)]));
      return fc.record(entries, { requiredKeys: props.map(([name]) => name).filter((n) => required.has(n)) });
    }
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** The valid value with one field (at any depth of the top level) replaced by a hostile one, or an extra one added. */
function mutated(schema: JsonSchema | null, ids: string[]): fc.Arbitrary<unknown> {
  const base = validValue(schema ?? undefined, ids);
  return fc.tuple(base, hostileValue, fc.nat(), fc.boolean()).map(([value, bad, pick, extra]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad;
    const keys = Object.keys(schema?.properties ?? {});
    const key = extra || keys.length === 0 ? `extra_${pick % 3}` : keys[pick % keys.length];
    return { ...(value as object), [key]: bad };
  });
}

/** Raw bodies JSON.parse chokes on or barely survives. */
const rawBodies = fc.oneof(
  fc.constantFrom('', '{', '}', 'null', '[]', '"x"', '1e999', '{"a":1e999}', '{"latitude":1e999,"longitude":-1e999}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '\u0000', '{"a":1,"a":2}', 'true', '\ufeff{}'),
  fc.integer({ min: 1000, max: 120_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1000, max: 60_000 }).map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.integer({ min: 100_000, max: 1_500_000 }).map((size) => JSON.stringify({ name: 'x'.repeat(size), plate: 'y'.repeat(size / 10) })),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => JSON.stringify({ fixes: Array.from({ length: n }, () => ({ latitude: 1, longitude: 1, timestamp: '2026-06-01T07:59:00Z' })) })),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const contentTypes = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'image/jpeg', 'application/xml', 'application/json; charset=latin1', '', 'application/json, text/plain');

/** encodeURIComponent throws on a lone surrogate; send it as the (invalid) UTF-8 bytes a sloppy client would. */
const encodeSegment = (value: string) =>
  value.replace(/[\ud800-\udfff]/g, 'SURROGATE').split('SURROGATE').map(encodeURIComponent).join('%ED%A0%80');

function queryString(op: Operation, ids: string[]): fc.Arbitrary<{ text: string; note: string }> {
  const params = op.query.map(({ name, schema }) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.option(validValue(schema, ids).map((v) => [[name, String(v)]]), { nil: [] as string[][] }) },
      { weight: 2, arbitrary: anyString.map((v) => [[name, v]]) },
      // Duplicated parameters: frameworks disagree on which one wins.
      { weight: 1, arbitrary: fc.tuple(validValue(schema, ids), anyString).map(([a, b]) => [[name, String(a)], [name, b]]) },
    ),
  );
  const unknown = fc.option(fc.tuple(anyString, anyString).map(([k, v]) => [[k || 'x', v]]), { nil: [] as string[][] });
  return fc.tuple(fc.tuple(...params, unknown), fc.boolean()).map(([lists, raw]) => {
    const pairs = lists.flat() as string[][];
    if (pairs.length === 0) return { text: '', note: 'no query' };
    // Most through URLSearchParams; some hand-encoded so malformed escapes (%zz, lone %) reach the server.
    const text = raw ? pairs.map(([k, v]) => `${encodeSegment(k).replace(/%25/g, "%")}=${v.replace(/[&#\s]/g, encodeURIComponent)}`).join('&') : new URLSearchParams(pairs).toString();
    return { text: `?${text}`, note: `query ${JSON.stringify(pairs).slice(0, 200)}` };
  });
}

function pathWith(op: Operation, ids: string[]): fc.Arbitrary<{ path: string; note: string }> {
  const idArb = fc.oneof(
    { weight: 3, arbitrary: ids.length ? fc.constantFrom(...ids) : fc.uuid() },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: anyString },
  );
  return fc.tuple(...op.pathParams.map(() => idArb)).map((values) => {
    let i = 0;
    const path = op.path.replace(/\{(\w+)\}/g, () => encodeSegment(String(values[i++])) || 'x');
    return { path, note: op.pathParams.length ? `path ${JSON.stringify(values).slice(0, 120)}` : '' };
  });
}

/** One request to `op`: valid, a field made hostile, a raw or huge body, a wrong content type, or no/garbage credentials. */
export function requestFor(op: Operation, ids: string[]): fc.Arbitrary<FuzzRequest> {
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  const body = fc.oneof(
    { weight: 3, arbitrary: validValue(op.body ?? undefined, ids).map((v) => ({ text: JSON.stringify(v) as string | undefined, type: 'application/json', note: 'valid body' })) },
    { weight: 4, arbitrary: mutated(op.body, ids).map((v) => ({ text: JSON.stringify(v) as string | undefined, type: 'application/json', note: `mutated body ${JSON.stringify(v)?.slice(0, 200)}` })) },
    { weight: 2, arbitrary: rawBodies.map((text) => ({ text: text as string | undefined, type: 'application/json', note: `raw body (${text.length} chars) ${text.slice(0, 60)}` })) },
    { weight: 1, arbitrary: fc.tuple(validValue(op.body ?? undefined, ids), contentTypes).map(([v, type]) => ({ text: JSON.stringify(v) as string | undefined, type, note: `content-type ${JSON.stringify(type)}` })) },
    { weight: 1, arbitrary: fc.constant({ text: undefined as string | undefined, type: '', note: 'no body' }) },
  );
  const credential = fc.constantFrom<FuzzRequest['credential']>('own', 'own', 'own', 'own', 'api-key', 'cookie', 'other', 'none', 'garbage');
  return fc.tuple(pathWith(op, ids), queryString(op, ids), hasBody ? body : fc.constant({ text: undefined, type: '', note: '' }), credential).map(([path, query, b, cred]) => ({
    method: op.method,
    url: `http://localhost${path.path}${query.text}`,
    headers: (b.type ? { 'content-type': b.type } : {}) as Record<string, string>,
    body: b.text,
    credential: cred,
    note: [path.note, query.note, b.note, cred === 'own' ? '' : `credential ${cred}`].filter(Boolean).join('; '),
  }));
}
