import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AppError } from '../../errors.ts';
import { guardSql } from './sql-guard.ts';

const goldFile = new URL('../../../../shared/eval/nl2sql-dev.jsonl', import.meta.url);
const gold = readFileSync(goldFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { id: string; sql_esperado: string });

/** Words a Spanish refusal from the guard always contains (never parser or driver English alone). */
const SPANISH =
  /no está permitid|no están permitid|solo se permite|no es válida|no se puede|está vacía|no existe o no/i;

async function assertRejected(sql: string, names: RegExp): Promise<void> {
  await assert.rejects(guardSql(sql, { maxRows: 10 }), (error: unknown) => {
    assert.ok(error instanceof AppError, `not an AppError for: ${sql}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, SPANISH, `not a Spanish refusal for: ${sql}`);
    assert.match(error.message, names, `the message does not name the offender for: ${sql}`);
    return true;
  });
}

test('all gold queries of the evaluation set pass the guard', async () => {
  assert.equal(gold.length, 40);
  for (const item of gold) {
    const guarded = await guardSql(item.sql_esperado, { maxRows: 100 });
    assert.ok(guarded.sql.startsWith('SELECT * FROM ('), item.id);
    assert.ok(guarded.sql.endsWith(') AS consulta LIMIT 101'), item.id);
    assert.ok(guarded.tablas.length > 0, item.id);
  }
});

test('reports the distinct tables read, sorted, including subqueries', async () => {
  const d001 = gold.find((item) => item.id === 'd001');
  assert.ok(d001);
  assert.deepEqual((await guardSql(d001.sql_esperado, { maxRows: 5 })).tablas, ['clientes', 'cuotas', 'prestamos']);
  const guarded = await guardSql(
    'SELECT p.id FROM prestamos p WHERE EXISTS (SELECT 1 FROM pagos pg WHERE pg.prestamo_id = p.id) ' +
      'AND p.id IN (SELECT prestamo_id FROM prestamos)',
    { maxRows: 5 },
  );
  assert.deepEqual(guarded.tablas, ['pagos', 'prestamos']);
});

test('wraps the query with LIMIT maxRows + 1, without its trailing semicolon and comments', async () => {
  assert.deepEqual(await guardSql('SELECT nombres FROM clientes ORDER BY nombres DESC; -- fin\n', { maxRows: 10 }), {
    sql: 'SELECT * FROM (SELECT nombres FROM clientes ORDER BY nombres DESC) AS consulta LIMIT 11',
    tablas: ['clientes'],
  });
  const accented = await guardSql("/* inicio */ SELECT 'Óscar Peña' AS nombre /* ñ */ ;", { maxRows: 1 });
  assert.equal(accented.sql, "SELECT * FROM (SELECT 'Óscar Peña' AS nombre) AS consulta LIMIT 2");
});

test('a line comment cannot smuggle a second statement, and a closed comment does not hide one', async () => {
  const guarded = await guardSql('SELECT 1 -- ; DELETE FROM pagos', { maxRows: 5 });
  assert.equal(guarded.sql, 'SELECT * FROM (SELECT 1) AS consulta LIMIT 6');
  await assertRejected('SELECT 1 /* */; DELETE FROM pagos', /2 \(SELECT, DELETE\)/);
  await assertRejected('SELECT 1; DROP TABLE clientes', /2 \(SELECT, DROP\)/);
});

test('accepts CTEs, recursive CTEs, set operations, prediction tables and the public columns of users', async () => {
  const accepted: [string, string[]][] = [
    [
      "WITH morosos AS (SELECT DISTINCT p.cliente_id FROM prestamos p JOIN cuotas cu ON cu.prestamo_id = p.id WHERE cu.estado = 'ATRASADO') " +
        'SELECT c.nombres FROM clientes c JOIN morosos m ON m.cliente_id = c.id ORDER BY c.nombres',
      ['clientes', 'cuotas', 'prestamos'],
    ],
    ['WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT n FROM t', []],
    // A CTE may reuse a forbidden table's name: the name then means the CTE.
    ['WITH sesiones AS (SELECT id FROM clientes) SELECT id FROM sesiones', ['clientes']],
    [
      'SELECT cliente_id FROM prestamos UNION SELECT cliente_id FROM pagos EXCEPT SELECT id FROM clientes',
      ['clientes', 'pagos', 'prestamos'],
    ],
    [
      'SELECT mr.nivel_riesgo, count(*), round(avg(mr.probabilidad_impago), 4) FROM modelos_riesgo mr ' +
        "JOIN prestamos p ON p.id = mr.prestamo_id WHERE p.estado = 'APROBADO' GROUP BY 1 ORDER BY 1",
      ['modelos_riesgo', 'prestamos'],
    ],
    [
      "SELECT mic.cuota_id, f ->> 'factor' AS factor FROM modelos_impago_cuotas mic, jsonb_array_elements(mic.factores) AS f " +
        "WHERE mic.nivel_riesgo = 'ALTO' AND mic.fecha_evaluacion >= now() - INTERVAL '7 days'",
      ['modelos_impago_cuotas'],
    ],
    ["SELECT u.nombre, u.apellido, email FROM users u WHERE u.activo AND u.rol = 'ANALISTA'", ['users']],
    [
      'SELECT c.nombres, row_number() OVER (PARTITION BY c.estado ORDER BY c.fecha_registro DESC) AS puesto, ' +
        "extract(year FROM age(c.fecha_nacimiento))::int AS edad, to_char(c.fecha_registro AT TIME ZONE 'America/Caracas', 'YYYY-MM') " +
        "FROM clientes c WHERE c.cedula LIKE 'J%' AND lower(c.nombres) LIKE '%' || lower($1) || '%' AND c.fecha_registro < CURRENT_DATE",
      ['clientes'],
    ],
    [
      'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total_financiamiento) FILTER (WHERE estado = $1), ' +
        "CAST(sum(total_financiamiento) AS numeric(14, 2)), coalesce(max(concesionario), nullif(analista, '')) " +
        'FROM prestamos GROUP BY analista',
      ['prestamos'],
    ],
  ];
  for (const [sql, tablas] of accepted) assert.deepEqual((await guardSql(sql, { maxRows: 5 })).tablas, tablas, sql);
});

test('refuses every statement that is not a SELECT, naming what it is', async () => {
  const refused: [string, RegExp][] = [
    ['DROP TABLE clientes', /DROP/],
    ["INSERT INTO clientes (cedula, nombres) VALUES ('V1234567', 'X')", /INSERT/],
    ['UPDATE pagos SET monto_pagado = 1', /UPDATE/],
    ['DELETE FROM pagos', /DELETE/],
    ['TRUNCATE pagos', /TRUNCATE/],
    ["COPY clientes TO '/tmp/x'", /COPY/],
    ["COPY (SELECT * FROM clientes) TO PROGRAM 'curl x'", /COPY/],
    ['CREATE TABLE copia AS SELECT * FROM clientes', /CREATE TABLE AS/],
    ['SET statement_timeout = 0', /SET/],
    ["SET LOCAL transaction_read_only = 'off'", /SET/],
    ['BEGIN', /BEGIN/],
    ['COMMIT', /COMMIT/],
    ['EXPLAIN ANALYZE SELECT 1', /EXPLAIN/],
    ['CALL hacer_algo()', /CALL/],
    ['DO $$ BEGIN PERFORM 1; END $$', /DO/],
    ['LISTEN canal', /LISTEN/],
    ["NOTIFY canal, 'x'", /NOTIFY/],
    ['PREPARE p AS SELECT 1', /PREPARE/],
    ['EXECUTE p', /EXECUTE/],
    ['SHOW ALL', /SHOW/],
  ];
  for (const [sql, names] of refused) await assertRejected(sql, names);
});

test('refuses writes and locks hidden inside a SELECT', async () => {
  await assertRejected('WITH x AS (DELETE FROM pagos RETURNING *) SELECT * FROM x', /WITH x.*DELETE/);
  await assertRejected('WITH x AS (UPDATE cuotas SET total_pagado = 0 RETURNING id) SELECT count(*) FROM x', /UPDATE/);
  await assertRejected(
    "WITH a AS (SELECT 1), x AS (INSERT INTO clientes (cedula, nombres) VALUES ('V1234567', 'X') RETURNING id) SELECT * FROM a",
    /INSERT/,
  );
  await assertRejected('SELECT * INTO nueva FROM clientes', /INTO/);
  await assertRejected('SELECT id FROM clientes UNION SELECT id INTO nueva FROM prestamos', /INTO/);
  await assertRejected('SELECT * FROM clientes FOR UPDATE', /FOR UPDATE/);
  await assertRejected('SELECT * FROM (SELECT id FROM clientes FOR SHARE) t', /FOR SHARE/);
});

test('refuses tables outside the allowlist wherever they appear', async () => {
  const refused: [string, RegExp][] = [
    ['SELECT * FROM configuracion_sistema', /configuracion_sistema/],
    ['SELECT * FROM pg_catalog.pg_user', /pg_catalog\.pg_user/],
    ['SELECT * FROM pg_user', /pg_user/],
    ['SELECT table_name FROM information_schema.tables', /information_schema\.tables/],
    ['SELECT nombres FROM clientes WHERE id IN (SELECT usuario_id FROM sesiones)', /sesiones/],
    ['SELECT (SELECT count(*) FROM conversaciones_ai) AS n', /conversaciones_ai/],
    ['SELECT CASE WHEN EXISTS (SELECT 1 FROM documentos_ai) THEN 1 END', /documentos_ai/],
    ['SELECT coalesce((SELECT max(version) FROM schema_migrations), 0)', /schema_migrations/],
    ['WITH x AS (SELECT * FROM intentos_login) SELECT * FROM x', /intentos_login/],
    ['SELECT c.id FROM clientes c JOIN LATERAL (SELECT * FROM sesiones s) s ON true', /sesiones/],
    // Without RECURSIVE a later CTE does not hide the real table from an earlier one.
    ['WITH a AS (SELECT * FROM sesiones), sesiones AS (SELECT 1) SELECT * FROM a', /sesiones/],
    ['SELECT * FROM otro_esquema.clientes', /otro_esquema\.clientes/],
    ['SELECT * FROM public.ai_diccionario_semantico', /ai_diccionario_semantico/],
    ['SELECT nombres FROM clientes TABLESAMPLE SYSTEM (10)', /TABLESAMPLE/],
  ];
  for (const [sql, names] of refused) await assertRejected(sql, names);
});

test('never exposes password_hash or the private columns of users', async () => {
  const refused: [string, RegExp][] = [
    ['SELECT nombres FROM clientes UNION SELECT email, password_hash FROM users', /password_hash/],
    ['SELECT id FROM users WHERE password_hash LIKE $1', /password_hash/],
    ['SELECT * FROM users', /\* con la tabla users/],
    ['TABLE users', /users/],
    ['SELECT c.nombres, u.* FROM clientes c, users u', /u\.\* con la tabla users/],
    ['SELECT * FROM clientes c, users u', /users/],
    ['SELECT u FROM users u', /fila completa de users \(u\)/],
    ['SELECT to_jsonb(u) FROM users u', /fila completa de users/],
    ['SELECT (SELECT users) FROM users', /fila completa de users/],
    ['SELECT x.p FROM users AS x(i, e, n, a, p)', /renombrar las columnas de users/],
    ['SELECT u.ultimo_acceso FROM users u', /ultimo_acceso.*users/],
    ['SELECT creado_en FROM users', /creado_en de users/],
    ['SELECT j.* FROM (users a JOIN clientes b ON true) AS j', /j\.\*/],
    ['SELECT j.* FROM users a JOIN users b USING (id) AS j', /j\.\*/],
    ['SELECT a.id FROM users a JOIN users b USING (password_hash)', /password_hash/],
    ['SELECT "PASSWORD_HASH" FROM users', /password_hash/i],
  ];
  for (const [sql, names] of refused) await assertRejected(sql, names);
});

test('names a misspelled or unknown column of an allowed table', async () => {
  await assertRejected('SELECT c.nombre FROM clientes c', /columna nombre.*tabla clientes/);
  await assertRejected('SELECT cuotas.saldo FROM cuotas', /columna saldo.*tabla cuotas/);
});

test('refuses functions outside the allowlist, naming them', async () => {
  const calls = [
    'pg_sleep(10)',
    "pg_read_file('/etc/passwd')",
    "pg_read_binary_file('/etc/passwd')",
    "pg_ls_dir('.')",
    "dblink('host=x', 'SELECT 1')",
    "set_config('transaction_read_only', 'off', true)",
    "current_setting('data_directory')",
    "lo_import('/etc/passwd')",
    "lo_export(1, '/tmp/x')",
    'lo_get(1)',
    'pg_terminate_backend(1)',
    "query_to_xml('SELECT * FROM sesiones', true, true, '')",
    'version()',
    "nextval('clientes_id_seq')",
    'pg_catalog.pg_sleep(1)',
  ];
  for (const call of calls) {
    const name = call.slice(0, call.indexOf('('));
    await assertRejected(`SELECT ${call}`, new RegExp(`función ${name.replace('.', '\\.')} `));
  }
  await assertRejected('SELECT nombres FROM clientes WHERE id = (SELECT pg_sleep(5))::int', /pg_sleep/);
  await assertRejected('SELECT n FROM generate_series(1, 3) AS n ORDER BY pg_sleep(1)', /pg_sleep/);
  await assertRejected('SELECT public.lower(nombres) FROM clientes', /public\.lower/);
  await assertRejected('SELECT current_user', /CURRENT_USER/);
  await assertRejected("SELECT 'clientes'::regclass", /regclass/);
  await assertRejected('SELECT 1 OPERATOR(public.+) 1', /public\.\+/);
  await assertRejected("SELECT xmlparse(document '<a/>')", /XML/);
});

test('explains syntax errors and empty input in Spanish, with the position', async () => {
  await assertRejected(
    'SELEC nombres FROM clientes',
    /no es válida: error de sintaxis cerca de "SELEC" \(posición 1\)/,
  );
  await assertRejected("SELECT 'ñandú' + FROM clientes", /cerca de "FROM" \(posición 18\)/);
  await assertRejected('SELECT nombres FROM', /no es válida: .*\(posición 20\)/);
  await assertRejected('', /vacía/);
  await assertRejected('-- nada que hacer\n;', /vacía/);
});

test('requires a positive integer maxRows', async () => {
  await assert.rejects(guardSql('SELECT 1', { maxRows: 0 }), { code: 'INVALID_INPUT' });
});
