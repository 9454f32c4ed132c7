import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { insertClient, insertLoan } from '../../../test/factories.ts';
import { onServer, openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { AppError } from '../../errors.ts';
import { runGuardedQuery } from './run-guarded-query.ts';
import { ALLOWED_TABLES } from './sql-guard.ts';

let testDb: TestDatabase;
let cedula: string;
before(async () => {
  testDb = await openTestDatabase();
  const client = await insertClient(testDb.db, { nombres: 'Ana Pérez' });
  cedula = client.cedula;
  // Approved three months ago, so some cuotas are already due (the gold ratios divide by them).
  const approved = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  await insertLoan(testDb.db, { cliente_id: client.id, numero_cuotas: 6, fecha_aprobacion: approved });
  await insertClient(testDb.db, { nombres: 'Beatriz Rojas' });
});
after(() => testDb.close());

const limits = { maxRows: 100, timeoutMs: 5_000 };

async function counts(): Promise<unknown> {
  const { rows } = await testDb.db.query(
    'SELECT (SELECT count(*) FROM clientes) AS clientes, (SELECT count(*) FROM cuotas) AS cuotas, ' +
      "(SELECT count(*) FROM prestamos WHERE estado = 'APROBADO') AS aprobados",
  );
  return rows[0];
}

test('returns columns and rows of an allowed query, with parameters, the executed SQL and the tables', async () => {
  const result = await runGuardedQuery(
    testDb.db,
    'SELECT c.nombres, count(cu.id) AS cuotas FROM clientes c JOIN prestamos p ON p.cliente_id = c.id ' +
      'JOIN cuotas cu ON cu.prestamo_id = p.id WHERE c.cedula = $1 GROUP BY c.nombres;',
    [cedula],
    limits,
  );
  assert.deepEqual(result.columnas, ['nombres', 'cuotas']);
  assert.deepEqual(result.filas, [['Ana Pérez', 6]]);
  assert.equal(result.truncada, false);
  assert.match(result.sql, /^SELECT \* FROM \(SELECT c\.nombres.*GROUP BY c\.nombres\) AS consulta LIMIT 101$/);
  assert.deepEqual(result.tablas, ['clientes', 'cuotas', 'prestamos']);
});

test('cuts the rows at maxRows, keeps the inner ORDER BY and says the result was truncated', async () => {
  const sql = 'SELECT n FROM generate_series(1, 10) AS g(n) ORDER BY n DESC';
  const cut = await runGuardedQuery(testDb.db, sql, [], { maxRows: 3, timeoutMs: 5_000 });
  assert.deepEqual(cut.filas, [[10], [9], [8]]);
  assert.equal(cut.truncada, true);
  const whole = await runGuardedQuery(testDb.db, sql, [], { maxRows: 10, timeoutMs: 5_000 });
  assert.equal(whole.filas.length, 10);
  assert.equal(whole.truncada, false);
});

test('the column allowlist matches the migrated tables (users without its private columns)', async () => {
  for (const [table, allowed] of Object.entries(ALLOWED_TABLES)) {
    const { rows } = await testDb.db.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1",
      [table],
    );
    const actual = rows.map((row) => row.column_name).sort();
    const expected = table === 'users' ? [...allowed, 'creado_en', 'password_hash', 'ultimo_acceso'] : [...allowed];
    assert.deepEqual(actual, expected.sort(), table);
  }
});

test('every gold query of the evaluation set runs once wrapped', async () => {
  const goldFile = new URL('../../../../shared/eval/nl2sql-dev.jsonl', import.meta.url);
  const gold = readFileSync(goldFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; sql_esperado: string });
  for (const item of gold) {
    const result = await runGuardedQuery(testDb.db, item.sql_esperado, [], limits);
    assert.ok(result.columnas.length > 0, item.id);
  }
});

test('no write gets through, and the data stays the same', async () => {
  const before = await counts();
  const attempts = [
    'DELETE FROM clientes',
    "UPDATE prestamos SET estado = 'RECHAZADO'",
    'SELECT 1; DELETE FROM cuotas',
    'SELECT 1 /* */; TRUNCATE cuotas CASCADE',
    'WITH borrados AS (DELETE FROM cuotas RETURNING id) SELECT count(*) FROM borrados',
    "SELECT set_config('transaction_read_only', 'off', true), (SELECT count(*) FROM clientes)",
    'SELECT * INTO copia FROM clientes',
    'SELECT id FROM clientes FOR UPDATE',
  ];
  for (const sql of attempts) {
    await assert.rejects(runGuardedQuery(testDb.db, sql, [], limits), { name: 'AppError', code: 'INVALID_INPUT' }, sql);
  }
  assert.deepEqual(await counts(), before);
  const { rows } = await testDb.db.query("SELECT to_regclass('copia') AS tabla");
  assert.deepEqual(rows, [{ tabla: null }]);
});

test('a database error becomes a Spanish INVALID_INPUT error that keeps the original as cause', async () => {
  await assert.rejects(runGuardedQuery(testDb.db, 'SELECT 1 / 0 AS x', [], limits), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.equal(error.message, 'La base de datos rechazó la consulta: division by zero.');
    assert.equal((error.cause as { code?: string }).code, '22012');
    return true;
  });
  await assert.rejects(runGuardedQuery(testDb.db, 'SELECT nombre FROM clientes', [], limits), {
    code: 'INVALID_INPUT',
    message: /^La base de datos rechazó la consulta: column "nombre" does not exist/,
  });
});

// PGlite runs in the same thread and never fires statement_timeout, so only the server can show it.
test(
  'a query slower than timeoutMs is cancelled with a Spanish message',
  { skip: !onServer && 'PGlite no aplica statement_timeout' },
  async () => {
    const heavy = 'SELECT count(*) FROM generate_series(1, 100000) AS a, generate_series(1, 100000) AS b';
    const started = Date.now();
    await assert.rejects(runGuardedQuery(testDb.db, heavy, [], { maxRows: 10, timeoutMs: 50 }), {
      name: 'AppError',
      code: 'INVALID_INPUT',
      message: /^La consulta tardó más de 50 ms y se canceló/,
    });
    assert.ok(Date.now() - started < 5_000);
    // The connection is usable again afterwards.
    const next = await runGuardedQuery(testDb.db, 'SELECT 1 AS uno', [], limits);
    assert.deepEqual(next.filas, [[1]]);
  },
);
