import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { readOnlyQuery } from './read-only-query.ts';

let testDb: TestDatabase;
before(async () => {
  testDb = await openTestDatabase();
  await testDb.db.query(
    "INSERT INTO clientes (cedula, nombres, fecha_nacimiento) VALUES ('V12345678', 'Ana Pérez', '1990-05-17')",
  );
});
after(() => testDb.close());

test('returns columns and rows as arrays, dates as calendar strings', async () => {
  const table = await readOnlyQuery(
    testDb.db,
    'SELECT cedula, nombres, fecha_nacimiento, count(*) OVER () AS total FROM clientes',
  );
  assert.deepEqual(table, {
    columnas: ['cedula', 'nombres', 'fecha_nacimiento', 'total'],
    filas: [['V12345678', 'Ana Pérez', '1990-05-17', 1]],
  });
});

test('writes are refused and change nothing', async () => {
  await assert.rejects(readOnlyQuery(testDb.db, "UPDATE clientes SET nombres = 'X'"), /read-only/);
  await assert.rejects(readOnlyQuery(testDb.db, 'SELECT 1; DELETE FROM clientes'));
  await assert.rejects(
    readOnlyQuery(testDb.db, "SELECT set_config('transaction_read_only', 'off', true); DELETE FROM clientes"),
  );
  const { rows } = await testDb.db.query<{ nombres: string }>('SELECT nombres FROM clientes');
  assert.deepEqual(rows, [{ nombres: 'Ana Pérez' }]);
});
