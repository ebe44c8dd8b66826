/**
 * The value shapes the Db port promises (ports/db.ts) for node-postgres-compatible drivers (pg and Neon's Pool):
 * int8 → number, numeric and date → string, bytea → plain Uint8Array, everything else as the driver parses it.
 */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const BYTEA = 17;

type Parser = (value: string) => unknown;
type GetTypeParser = (oid: number, format?: any) => Parser;

export function portTypeParsers(base: GetTypeParser): { getTypeParser: GetTypeParser } {
  return {
    getTypeParser(oid, format) {
      if (oid === INT8) return (value) => Number(value);
      if (oid === NUMERIC || oid === DATE) return (value) => value;
      if (oid === BYTEA) {
        const parse = base(BYTEA, format);
        // Buffer is a Uint8Array subclass; hand out the plain type so every adapter returns the same shape.
        return (value) => new Uint8Array(parse(value) as Uint8Array);
      }
      return base(oid, format);
    },
  };
}
