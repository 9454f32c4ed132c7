import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { loadScript } from './load-script.ts';

const EVALUATION_BOOK = new URL('../../../shared/eval/libro-evaluacion.sql', import.meta.url);
const DEV_QUESTIONS = new URL('../../../shared/eval/nl2sql-dev.jsonl', import.meta.url);

let testDb: TestDatabase;
before(async () => {
  testDb = await openTestDatabase();
});
after(() => testDb.close());

async function count(table: string): Promise<number> {
  const { rows } = await testDb.db.query<{ total: number }>(`SELECT count(*) AS total FROM ${table}`);
  return rows[0]?.total ?? -1;
}

test('a failing statement applies nothing of the script and names the statement', async () => {
  const script = [
    'BEGIN;',
    "INSERT INTO clientes (cedula, nombres) VALUES ('V12345678', 'Ana Pérez');",
    "INSERT INTO clientes (cedula, nombres) VALUES ('V87654321', 'José Ñáñez');",
    "INSERT INTO prestamos (cliente_id, producto, total_financiamiento, tasa_interes, modalidad_pago, numero_cuotas, cuota_periodo, fecha_requerimiento) VALUES (1, 'CASA', 1000, 20, 'MENSUAL', 12, 94.56, CURRENT_DATE);",
    'COMMIT;',
  ].join('\n');
  await assert.rejects(loadScript(testDb.db, script), (error: Error) => {
    assert.match(error.message, /La sentencia 3 \(línea 4\) falló/);
    assert.match(error.message, /No se aplicó ningún cambio/);
    return true;
  });
  assert.equal(await count('clientes'), 0);
});

test('a syntax error is reported with its line before anything runs', async () => {
  await assert.rejects(
    loadScript(testDb.db, "INSERT INTO clientes (cedula, nombres) VALUES ('V1234567', 'A');\nINSERTT INTO x;"),
    /no es válido \(línea 2\)/,
  );
  assert.equal(await count('clientes'), 0);
});

test('a script that rolls back on its own is refused up front', async () => {
  await assert.rejects(
    loadScript(testDb.db, "BEGIN; INSERT INTO clientes (cedula, nombres) VALUES ('V1234567', 'A'); ROLLBACK;"),
    /ROLLBACK/,
  );
  assert.equal(await count('clientes'), 0);
});

test('the evaluation loan book loads whole into a freshly migrated database', async () => {
  const report = await loadScript(testDb.db, readFileSync(EVALUATION_BOOK, 'utf8'));
  assert.equal(report.filasAfectadas, 300 + 450 + 8964 + 6976);
  assert.equal(await count('clientes'), 300);
  assert.equal(await count('prestamos'), 450);
  assert.equal(await count('cuotas'), 8964);
  assert.equal(await count('pagos'), 6976);
  // Sequences were reset by the book, so new rows get fresh ids.
  const { rows } = await testDb.db.query<{ id: number }>(
    "INSERT INTO clientes (cedula, nombres) VALUES ('V99999999', 'Cliente Nuevo') RETURNING id",
  );
  assert.equal(rows[0]?.id, 301);
});

test('every gold query of the question-to-SQL dev set runs unchanged on the loaded book', async () => {
  const items = readFileSync(DEV_QUESTIONS, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; sql_esperado: string });
  assert.ok(items.length >= 40);
  for (const item of items) {
    const result = await testDb.db.queryArrays(item.sql_esperado).catch((error: Error) => {
      throw new Error(`${item.id}: ${error.message}`);
    });
    assert.ok(result.columns.length > 0, item.id);
  }
});
