import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCheckValues } from './check-values.ts';

describe('parseCheckValues', () => {
  test('reads the list of a one-column CHECK as pg_get_constraintdef prints it', async () => {
    assert.deepEqual(
      await parseCheckValues("CHECK ((estado = ANY (ARRAY['DRAFT'::text, 'EN_REVISION'::text, 'APROBADO'::text])))"),
      { campo: 'estado', valores: ['DRAFT', 'EN_REVISION', 'APROBADO'] },
    );
    assert.deepEqual(await parseCheckValues("CHECK ((metodo IN ('A', 'B')))"), {
      campo: 'metodo',
      valores: ['A', 'B'],
    });
  });

  test('sees through casts of varchar columns and reads numbers', async () => {
    assert.deepEqual(
      await parseCheckValues(
        "CHECK (((tipo)::text = ANY ((ARRAY['uno'::character varying, 'dos'::character varying])::text[])))",
      ),
      { campo: 'tipo', valores: ['uno', 'dos'] },
    );
    assert.deepEqual(await parseCheckValues('CHECK ((nivel = ANY (ARRAY[0, 1, 2])))'), {
      campo: 'nivel',
      valores: ['0', '1', '2'],
    });
  });

  test('ignores constraints that are not a list of values of one column', async () => {
    for (const definition of [
      "CHECK ((cedula ~ '^[VEJ][0-9]{6,10}$'::text))",
      'CHECK ((monto > (0)::numeric))',
      "CHECK ((estado <> ALL (ARRAY['X'::text])))",
      "CHECK ((estado NOT IN ('X', 'Y')))",
      "CHECK (((estado = ANY (ARRAY['A'::text])) AND (monto > 0)))",
      "CHECK ((lower(estado) = ANY (ARRAY['a'::text])))",
      'no es SQL',
    ]) {
      assert.equal(await parseCheckValues(definition), undefined, definition);
    }
  });
});
