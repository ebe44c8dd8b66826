/** Which statements go out named: only marked ones, under a name fixed by their text. */
import { expect, it } from 'vitest';
import { PREPARED_MARK } from '../../db/prepared.ts';
import { preparedName } from './prepared-statements.ts';

it('names a marked statement by its text, the same name every time, and leaves others unnamed', () => {
  const text = `${PREPARED_MARK}SELECT * FROM fleets WHERE id = ANY($1::text[])`;
  const name = preparedName(text);
  expect(name).toMatch(/^tw_[0-9a-f]{16}$/);
  expect(preparedName(text)).toBe(name);
  expect(preparedName(`${PREPARED_MARK}SELECT * FROM vehicles WHERE id = ANY($1::text[])`)).not.toBe(name);
  expect(preparedName('SELECT * FROM fleets WHERE id = ANY($1::text[])')).toBeNull();
  expect(preparedName(`SELECT 1 ${PREPARED_MARK}`)).toBeNull();
});
