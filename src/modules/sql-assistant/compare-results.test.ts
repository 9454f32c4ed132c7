import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareResults } from './compare-results.ts';

const one = (column: string, ...values: unknown[]) => ({ columnas: [column], filas: values.map((value) => [value]) });

describe('compareResults: values', () => {
  test('5, 5.00 and "5.00" are the same number', () => {
    assert.deepEqual(compareResults(one('total', 5), one('x', 5.0)), { igual: true });
    assert.deepEqual(compareResults(one('total', 5), one('x', '5.00')), { igual: true });
    assert.deepEqual(compareResults(one('total', '5.00'), one('x', ' 5 ')), { igual: true });
    assert.equal(compareResults(one('total', 5), one('x', 5.01)).igual, false);
  });

  test('numbers are rounded half away from zero to 2 decimals, without binary noise', () => {
    assert.equal(compareResults(one('a', 2.675), one('b', 2.68)).igual, true);
    assert.equal(compareResults(one('a', 2.675), one('b', '2.68')).igual, true);
    assert.equal(compareResults(one('a', 1.005), one('b', 1.01)).igual, true);
    assert.equal(compareResults(one('a', 0.1 + 0.2), one('b', 0.3)).igual, true);
    assert.equal(compareResults(one('a', 1.1149999999999998), one('b', 1.12)).igual, true);
    assert.equal(compareResults(one('a', -2.675), one('b', -2.68)).igual, true);
    assert.equal(compareResults(one('a', -0.001), one('b', 0)).igual, true);
    assert.equal(compareResults(one('a', 33.333333333333336), one('b', '33.3333333333333333')).igual, true);
    assert.equal(compareResults(one('a', 1234567.894), one('b', 1234567.89)).igual, true);
    assert.equal(compareResults(one('a', 12n), one('b', '12.000')).igual, true);
    assert.equal(compareResults(one('a', 1e-7), one('b', 0)).igual, true);
    assert.equal(compareResults(one('a', 2.674), one('b', 2.68)).igual, false);
  });

  test('text that is not a plain decimal stays text', () => {
    assert.equal(compareResults(one('a', 'V11034041'), one('b', ' V11034041 ')).igual, true);
    assert.equal(compareResults(one('a', '0x10'), one('b', 16)).igual, false);
    assert.equal(compareResults(one('a', ''), one('b', 0)).igual, false);
    assert.equal(compareResults(one('a', 'ana'), one('b', 'Ana')).igual, false);
  });

  test('dates: date strings, midnight timestamps and Date objects at midnight', () => {
    const utcMidnight = new Date(Date.UTC(2026, 2, 1));
    const localMidnight = new Date(2026, 2, 1);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', utcMidnight)).igual, true);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', localMidnight)).igual, true);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', '2026-03-01T00:00:00.000Z')).igual, true);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', '2026-03-01 00:00:00')).igual, true);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', '2026-03-01 00:00:00+00')).igual, true);
    assert.equal(compareResults(one('fecha', '2026-03-01'), one('x', '2026-03-02')).igual, false);
  });

  test('timestamps that are not at midnight compare as instants', () => {
    const instant = new Date(Date.UTC(2026, 2, 1, 15, 37, 12));
    assert.equal(compareResults(one('t', instant), one('x', '2026-03-01T15:37:12.000Z')).igual, true);
    assert.equal(compareResults(one('t', instant), one('x', '2026-03-01 15:37:12+00')).igual, true);
    assert.equal(compareResults(one('t', instant), one('x', '2026-03-01')).igual, false);
    assert.equal(compareResults(one('t', instant), one('x', new Date(instant.getTime() + 1000))).igual, false);
  });

  test('YYYY-MM month keys are the first day of the month', () => {
    assert.equal(compareResults(one('mes', '2026-03-01'), one('x', '2026-03')).igual, true);
    assert.equal(compareResults(one('mes', new Date(Date.UTC(2026, 2, 1))), one('x', '2026-03')).igual, true);
    assert.equal(compareResults(one('mes', '2026-03-15'), one('x', '2026-03')).igual, false);
  });

  test('NULL equals only NULL; undefined counts as NULL; booleans as they are', () => {
    assert.equal(compareResults(one('a', null), one('b', undefined)).igual, true);
    assert.equal(compareResults(one('a', null), one('b', 0)).igual, false);
    assert.equal(compareResults(one('a', null), one('b', '')).igual, false);
    assert.equal(compareResults(one('a', null), one('b', 'null')).igual, false);
    assert.equal(compareResults(one('a', true), one('b', true)).igual, true);
    assert.equal(compareResults(one('a', true), one('b', 'true')).igual, false);
    assert.equal(compareResults(one('a', false), one('b', 0)).igual, false);
  });
});

describe('compareResults: rows and columns', () => {
  const gold = {
    columnas: ['cedula', 'saldo_pendiente', 'cuotas'],
    filas: [
      ['V1', '100.50', 3],
      ['V2', 20, 1],
      ['V3', 0, 0],
    ],
  };

  test('row order, column order and column names are ignored', () => {
    const answer = {
      columnas: ['n', 'saldo', 'documento'],
      filas: [
        [0, 0, 'V3'],
        [3, 100.5, 'V1'],
        [1, '20.00', 'V2'],
      ],
    };
    assert.deepEqual(compareResults(gold, answer), { igual: true });
  });

  test('extra answer columns are allowed', () => {
    const answer = {
      columnas: ['id', 'cedula', 'nombre', 'saldo', 'cuotas'],
      filas: [
        [1, 'V1', 'Ana', 100.5, 3],
        [2, 'V2', 'Luis', 20, 1],
        [3, 'V3', 'Eva', 0, 0],
      ],
    };
    assert.deepEqual(compareResults(gold, answer), { igual: true });
  });

  test('a missing column is reported by the gold name', () => {
    const answer = { columnas: ['cedula', 'cuotas', 'otro'], filas: gold.filas.map((row) => [row[0], row[2], 7]) };
    assert.deepEqual(compareResults(gold, answer), {
      igual: false,
      motivo: 'Ninguna columna de la respuesta coincide con la columna esperada «saldo_pendiente»',
    });
  });

  test('too few answer columns', () => {
    const answer = { columnas: ['cedula'], filas: gold.filas.map((row) => [row[0]]) };
    assert.deepEqual(compareResults(gold, answer), {
      igual: false,
      motivo: 'La respuesta tiene 1 columna; se esperaban al menos 3',
    });
  });

  test('row counts must be equal', () => {
    const answer = { columnas: gold.columnas, filas: gold.filas.slice(0, 2) };
    assert.deepEqual(compareResults(gold, answer), {
      igual: false,
      motivo: 'La respuesta tiene 2 filas; se esperaban 3',
    });
    assert.deepEqual(compareResults(one('a', 1), one('a', 1, 1)), {
      igual: false,
      motivo: 'La respuesta tiene 2 filas; se esperaba 1',
    });
  });

  test('columns that match one by one but pair values differently are not equal', () => {
    const answer = {
      columnas: ['cedula', 'saldo', 'cuotas'],
      filas: [
        ['V1', 20, 3],
        ['V2', 100.5, 1],
        ['V3', 0, 0],
      ],
    };
    assert.deepEqual(compareResults(gold, answer), {
      igual: false,
      motivo: 'Las columnas coinciden una a una pero las filas no',
    });
  });

  test('two gold columns cannot share one answer column', () => {
    const goldPair = {
      columnas: ['a', 'b'],
      filas: [
        [1, 1],
        [2, 2],
      ],
    };
    const answer = {
      columnas: ['x', 'y'],
      filas: [
        [1, 5],
        [2, 6],
      ],
    };
    const result = compareResults(goldPair, answer);
    assert.equal(result.igual, false);
    assert.match(result.motivo ?? '', /Ninguna columna .*«b»|columna distinta/);
    const duplicated = {
      columnas: ['x', 'y'],
      filas: [
        [1, 1],
        [2, 2],
      ],
    };
    assert.equal(compareResults(goldPair, duplicated).igual, true);
    const single = { columnas: ['x'], filas: [[1], [2]] };
    assert.equal(compareResults(goldPair, single).igual, false);
  });

  test('the injective mapping is required even when values match column by column', () => {
    const goldPair = {
      columnas: ['a', 'b'],
      filas: [
        [1, 1],
        [2, 2],
      ],
    };
    const answer = {
      columnas: ['x', 'y', 'z'],
      filas: [
        [1, 9, 1],
        [2, 8, 2],
      ],
    };
    assert.equal(compareResults(goldPair, answer).igual, true);
    const onlyOne = {
      columnas: ['x', 'y', 'z'],
      filas: [
        [1, 9, 7],
        [2, 8, 6],
      ],
    };
    assert.match(compareResults(goldPair, onlyOne).motivo ?? '', /«b» solo coincide con columnas ya usadas/);
  });

  test('rows are a multiset: duplicates count', () => {
    const goldDup = { columnas: ['a'], filas: [[1], [1], [2]] };
    assert.equal(compareResults(goldDup, { columnas: ['a'], filas: [[1], [2], [2]] }).igual, false);
    assert.equal(compareResults(goldDup, { columnas: ['a'], filas: [[2], [1], [1]] }).igual, true);
    const twoSame = {
      columnas: ['a', 'b'],
      filas: [
        [1, 'x'],
        [1, 'x'],
      ],
    };
    assert.equal(compareResults(twoSame, { columnas: ['a', 'b'], filas: [[1, 'x']] }).igual, false);
  });

  test('label columns are left out of the comparison', () => {
    const goldBuckets = {
      columnas: ['rango', 'clientes'],
      filas: [
        ['1-30 días', 12],
        ['31-60 días', 5],
      ],
    };
    const answer = {
      columnas: ['tramo', 'total'],
      filas: [
        ['De 1 a 30', 12],
        ['De 31 a 60', 5],
      ],
    };
    assert.equal(compareResults(goldBuckets, answer).igual, false);
    assert.deepEqual(compareResults(goldBuckets, answer, { columnasEtiqueta: ['rango'] }), { igual: true });
    const countsOnly = { columnas: ['total'], filas: [[5], [12]] };
    assert.equal(compareResults(goldBuckets, countsOnly, { columnasEtiqueta: ['rango'] }).igual, true);
  });

  test('empty results are equal whatever their columns', () => {
    assert.deepEqual(compareResults({ columnas: ['a', 'b'], filas: [] }, { columnas: ['z'], filas: [] }), {
      igual: true,
    });
  });

  test('a NULL aggregate row equals only a NULL row', () => {
    const goldNull = one('total', null);
    assert.deepEqual(compareResults(goldNull, one('suma', null)), { igual: true });
    assert.deepEqual(compareResults(goldNull, { columnas: ['suma'], filas: [] }), {
      igual: false,
      motivo: 'La respuesta tiene 0 filas; se esperaba 1',
    });
    assert.equal(compareResults(goldNull, one('suma', 0)).igual, false);
  });
});

describe('compareResults: search', () => {
  const seeded = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };

  test('200 rows × 10 columns, shuffled with extra columns, is fast', () => {
    const random = seeded(7);
    const columns = Array.from({ length: 10 }, (_, index) => `c${index}`);
    const filas = Array.from({ length: 200 }, () => columns.map((_, index) => Math.floor(random() * (index + 2))));
    const permutation = [3, 11, 7, 0, 9, 2, 10, 5, 1, 8, 4, 6];
    const answerRows = filas
      .map((row) => permutation.map((source) => (source < 10 ? row[source] : Math.floor(random() * 3))))
      .reverse();
    const started = performance.now();
    const result = compareResults(
      { columnas: columns, filas },
      { columnas: permutation.map((p) => `a${p}`), filas: answerRows },
    );
    assert.deepEqual(result, { igual: true });
    assert.ok(performance.now() - started < 1000);
    // Swap two different values of one column: column multisets stay equal, rows do not.
    const first = answerRows[0] ?? [];
    const second = answerRows.find((row) => row[0] !== first[0]) ?? [];
    [first[0], second[0]] = [second[0], first[0]];
    const broken = compareResults(
      { columnas: columns, filas },
      { columnas: permutation.map((p) => `a${p}`), filas: answerRows },
    );
    assert.deepEqual(broken, { igual: false, motivo: 'Las columnas coinciden una a una pero las filas no' });
  });

  test('many identical columns do not blow up the search', () => {
    const columns = Array.from({ length: 10 }, (_, index) => `c${index}`);
    const filas = Array.from({ length: 200 }, (_, row) => columns.map(() => row % 2));
    const answer = { columnas: [...columns, 'extra'], filas: filas.map((row) => [...row, 1]) };
    const started = performance.now();
    assert.deepEqual(compareResults({ columnas: columns, filas }, answer), { igual: true });
    const wrong = {
      columnas: [...columns, 'extra'],
      filas: filas.map((row, index) => [...row.slice(1), index === 0 ? 1 : row[0], 1]),
    };
    assert.equal(compareResults({ columnas: columns, filas }, wrong).igual, false);
    assert.ok(performance.now() - started < 1000);
  });
});
