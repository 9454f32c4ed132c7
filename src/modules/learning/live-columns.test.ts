import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { technicalFields, type LiveColumn } from './live-columns.ts';

function column(overrides: Partial<LiveColumn> = {}): LiveColumn {
  return {
    tabla: 'pagos',
    campo: 'canal',
    tipo_dato: 'text',
    es_obligatorio: false,
    tiene_indice: false,
    tabla_referenciada: null,
    campo_referenciado: null,
    valores_check: [],
    muestra: { ejemplos: ['web', 'caja', 'web2'], filas: 500, distintos: ['web', 'caja', 'web2'] },
    ...overrides,
  };
}

describe('technicalFields', () => {
  test('a CHECK list replaces the possible values', () => {
    const fields = technicalFields(column({ valores_check: ['A', 'B'] }), false, {
      valores_posibles: ['escrito a mano'],
      ejemplos_valores: [],
    });
    assert.deepEqual(fields.valores_posibles, ['A', 'B']);
  });

  test('few sampled values of a text column are added to the hand-written ones, never removing them', () => {
    const fields = technicalFields(column(), false, { valores_posibles: ['taquilla', 'web'], ejemplos_valores: [] });
    assert.deepEqual(fields.valores_posibles, ['taquilla', 'web', 'caja', 'web2']);
  });

  test('no derived values: too few rows, too many values, personal data or not text keep the current list', () => {
    const current = { valores_posibles: ['a mano'], ejemplos_valores: [] };
    const many = Array.from({ length: 13 }, (_, index) => `v${index}`);
    for (const [label, live, personal] of [
      ['few rows', column({ muestra: { ejemplos: ['x'], filas: 5, distintos: ['x'] } }), false],
      ['many values', column({ muestra: { ejemplos: many, filas: 900, distintos: many } }), false],
      ['personal', column(), true],
      ['not text', column({ tipo_dato: 'integer', muestra: { ejemplos: ['1'], filas: 900, distintos: null } }), false],
    ] as const) {
      assert.deepEqual(technicalFields(live, personal, current).valores_posibles, ['a mano'], label);
    }
  });

  test('examples: five distinct, masked for personal data, kept when the table is empty', () => {
    const names = ['Ana Díaz', 'Ana Duarte', 'Luis Pérez', 'Rosa Gil', 'Juan Mora', 'Eva Sosa', 'Pedro Luna'];
    const masked = technicalFields(column({ muestra: { ejemplos: names, filas: 7, distintos: null } }), true);
    assert.deepEqual(masked.ejemplos_valores, ['A••• D•••', 'L••• P•••', 'R••• G•••', 'J••• M•••', 'E••• S•••']);
    const plain = technicalFields(column({ muestra: { ejemplos: names, filas: 7, distintos: null } }), false);
    assert.deepEqual(plain.ejemplos_valores, names.slice(0, 5));
    const empty = technicalFields(column({ muestra: { ejemplos: [], filas: 0, distintos: [] } }), false, {
      valores_posibles: [],
      ejemplos_valores: ['escrito a mano'],
    });
    assert.deepEqual(empty.ejemplos_valores, ['escrito a mano']);
  });

  test('a foreign key is read from the referenced table', () => {
    const fields = technicalFields(
      column({ campo: 'cliente_id', tipo_dato: 'integer', tabla_referenciada: 'clientes', campo_referenciado: 'id' }),
      false,
    );
    assert.deepEqual(
      [fields.es_clave_foranea, fields.tabla_referenciada, fields.campo_referenciado],
      [true, 'clientes', 'id'],
    );
  });
});
