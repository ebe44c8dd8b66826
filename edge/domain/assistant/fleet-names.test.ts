/** Plates and names as people type them, matched against one fleet's only. */
import { describe, expect, it } from 'vitest';
import { matchDriver, matchDriverWords, matchPlate, matchPlateDigits, type DriverRef, type TaxiRef } from './fleet-names.ts';

const taxis: TaxiRef[] = [
  { id: 't1', plate: '4821 KTX', status: 'active' },
  { id: 't2', plate: '3307 LMR', status: 'active' },
  { id: 't3', plate: '3307 LMX', status: 'active' },
  { id: 't4', plate: 'ZZT-9001', status: 'active' },
];
const drivers: DriverRef[] = [
  { id: 'd1', name: 'Lucía Fernández' },
  { id: 'd2', name: 'José Ramírez' },
  { id: 'd3', name: 'María José Gómez' },
  { id: 'd4', name: 'Ana Belén Ruiz' },
];
const found = (m: { kind: string; item?: { id: string } }) => (m.kind === 'found' ? m.item!.id : m.kind);

describe('matchPlate', () => {
  it('finds a plate however it is spaced, cased or dashed, and with one typo', () => {
    for (const written of ['4821 KTX', '4821ktx', '4821-ktx', 'ktx 4821', '4812 KTX', '4821 KXT', '4821 KTY']) expect(found(matchPlate(written, taxis)), written).toBe('t1');
    expect(found(matchPlate('zzt9001', taxis))).toBe('t4');
  });

  it('prefers the exact plate, says when two are equally near, and finds nothing far away', () => {
    expect(found(matchPlate('3307 LMR', taxis))).toBe('t2');
    expect(matchPlate('3307 LMZ', taxis)).toMatchObject({ kind: 'ambiguous', items: [{ id: 't2' }, { id: 't3' }] });
    expect(matchPlate('9999 AAA', taxis).kind).toBe('none');
    expect(matchPlate('48', taxis).kind).toBe('none');
  });

  it('finds a taxi by its number alone only when one plate has it', () => {
    expect(found(matchPlateDigits('4821', taxis))).toBe('t1');
    expect(matchPlateDigits('3307', taxis).kind).toBe('ambiguous');
  });
});

describe('matchDriver', () => {
  it('finds a driver by full name, surname or first name, with or without accents and with a typo in a long word', () => {
    for (const written of ['Lucía Fernández', 'lucia fernandez', 'Fernandez', 'Lucia', 'Lucia Fernandes']) expect(found(matchDriver(written, drivers)), written).toBe('d1');
  });

  it('breaks a tie by the fuller name, and says when a name fits two drivers', () => {
    expect(found(matchDriver('Jose Ramirez', drivers))).toBe('d2');
    expect(matchDriver('José', drivers)).toMatchObject({ kind: 'ambiguous' });
  });

  it('never reads short everyday words as names ("been" is not Belén)', () => {
    expect(matchDriverWords(['how', 'many', 'incidents', 'have', 'there', 'been', 'since', 'monday'], drivers).kind).toBe('none');
    expect(matchDriverWords(['the', 'and', 'de', 'la'], drivers).kind).toBe('none');
  });
});
