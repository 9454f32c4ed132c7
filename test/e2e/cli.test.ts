import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, startCli, stopCli } from '../support/cli.ts';
import { createServerDatabase, onServer } from '../support/database.ts';

const EVALUATION_BOOK = path.resolve(import.meta.dirname, '../../../shared/eval/libro-evaluacion.sql');

/** Where this file's CLI runs keep their data: a temporary PGlite folder, or a fresh server database. */
let env: Record<string, string>;
let workDir: string;
let dropServerDatabase: (() => Promise<void>) | undefined;

before(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'rc-cli-'));
  if (onServer) {
    const server = await createServerDatabase();
    dropServerDatabase = server.drop;
    env = { DATABASE_URL: server.url, RAPICREDIT_DATA_DIR: path.join(workDir, 'data') };
  } else {
    env = { RAPICREDIT_DATA_DIR: path.join(workDir, 'data') };
  }
});
after(async () => {
  await dropServerDatabase?.();
  rmSync(workDir, { recursive: true, force: true });
});

function json<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('rapicredit-ai command line', () => {
  test('migrate applies the schema once; a second run has nothing to do', async () => {
    const first = await runCli(['migrate', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(json<{ applied: unknown[] }>(first.stdout).applied.length >= 4);
    const second = await runCli(['migrate'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /ya estaba al día/);
  });

  test('db load applies the evaluation book; sql --json answers from it', async () => {
    const load = await runCli(['db', 'load', EVALUATION_BOOK, '--json'], env);
    assert.equal(load.code, 0, load.stderr);
    const result = await runCli(['sql', 'SELECT count(*) AS cuotas, min(estado) AS estado FROM cuotas', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(json(result.stdout), { columnas: ['cuotas', 'estado'], filas: [[8964, 'ADELANTADO']] });
  });

  test('a failing db load reports the statement in Spanish and applies nothing', async () => {
    const script = path.join(workDir, 'malo.sql');
    writeFileSync(
      script,
      "INSERT INTO clientes (cedula, nombres) VALUES ('V1111111', 'Nueva Persona');\nINSERT INTO clientes (cedula) VALUES ('V2222222');\n",
    );
    const load = await runCli(['db', 'load', script], env);
    assert.equal(load.code, 1);
    assert.match(load.stderr, /La sentencia 2 \(línea 2\) falló.*No se aplicó ningún cambio/s);
    const check = await runCli(['sql', "SELECT count(*) FROM clientes WHERE cedula = 'V1111111'", '--json'], env);
    assert.deepEqual(json<{ filas: unknown[][] }>(check.stdout).filas, [[0]]);
  });

  test('sql --file answers one JSON line per query, with errors in place', async () => {
    const file = path.join(workDir, 'consultas.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ sql: "SELECT count(*) AS n FROM prestamos WHERE estado = 'APROBADO'" }),
        JSON.stringify({ sql: 'DELETE FROM pagos' }),
        '{"sql": 42}',
        JSON.stringify({ sql: 'SELECT nombre_inexistente FROM clientes' }),
      ].join('\n'),
    );
    const result = await runCli(['sql', '--file', file, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    assert.deepEqual(lines[0], { columnas: ['n'], filas: [[237]] });
    assert.match(String(lines[1]?.error), /read-only/);
    assert.match(String(lines[2]?.error), /"sql"/);
    assert.match(String(lines[3]?.error), /nombre_inexistente/);
    const pagos = await runCli(['sql', 'SELECT count(*) FROM pagos', '--json'], env);
    assert.deepEqual(json<{ filas: unknown[][] }>(pagos.stdout).filas, [[6976]]);
  });

  test('users add creates an account; a wrong role is refused in Spanish', async () => {
    const created = await runCli(
      [
        'users',
        'add',
        '--email',
        'Maria@RapiCredit.com',
        '--password',
        'clave-segura-1',
        '--rol',
        'ANALISTA',
        '--json',
      ],
      env,
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(json<{ email: string }>(created.stdout).email, 'maria@rapicredit.com');
    const refused = await runCli(
      ['users', 'add', '--email', 'x@rapicredit.com', '--password', 'clave-segura-1', '--rol', 'JEFE'],
      env,
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /rol/i);
  });

  test('invalid configuration lists every problem and exits with code 2', async () => {
    const result = await runCli(['migrate'], { ...env, PORT: 'ochenta', RAPICREDIT_ZONA_HORARIA: 'Marte/Olympus' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /PORT: debe ser un número entero/);
    assert.match(result.stderr, /RAPICREDIT_ZONA_HORARIA: no es una zona horaria/);
  });
});

describe(
  'one embedded data folder, two processes',
  { skip: onServer && 'only PGlite folders are single-process' },
  () => {
    test('a command while the server runs stops with a Spanish message naming the server; data stays intact', async () => {
      const server = await startCli(['serve', '--port', '0', '--services', 'api'], env, /escuchando en (http:\/\/\S+)/);
      try {
        const blocked = await runCli(['sql', 'SELECT count(*) FROM clientes'], env);
        assert.equal(blocked.code, 1);
        assert.match(blocked.stderr, /está en uso por el proceso \d+/);
        assert.ok(blocked.stderr.includes(server.match[1] ?? '???'), blocked.stderr);
        const health = await fetch(`${server.match[1]}/api/v1/salud`);
        assert.equal(health.status, 200);
      } finally {
        assert.equal(await stopCli(server.child), 0);
      }
      const after = await runCli(['sql', 'SELECT count(*) FROM cuotas', '--json'], env);
      assert.deepEqual(json<{ filas: unknown[][] }>(after.stdout).filas, [[8964]]);
    });

    test('two migrate runs started together never corrupt the folder', async () => {
      const folder = { RAPICREDIT_DATA_DIR: path.join(workDir, 'concurrente') };
      const runs = await Promise.all([runCli(['migrate'], folder), runCli(['migrate'], folder)]);
      assert.ok(runs.some((run) => run.code === 0));
      for (const run of runs.filter((item) => item.code !== 0)) assert.match(run.stderr, /está en uso/);
      const check = await runCli(['sql', 'SELECT count(*) FROM schema_migrations', '--json'], folder);
      assert.equal(check.code, 0, check.stderr);
      const again = await runCli(['migrate'], folder);
      assert.match(again.stdout, /ya estaba al día/);
    });
  },
);

describe('two migrate processes on one server database', { skip: !onServer && 'needs a PostgreSQL server' }, () => {
  test('both succeed and each migration is applied once', async () => {
    const server = await createServerDatabase();
    try {
      const runs = await Promise.all([1, 2].map(() => runCli(['migrate', '--json'], { DATABASE_URL: server.url })));
      for (const run of runs) assert.equal(run.code, 0, run.stderr);
      const applied = runs.flatMap((run) =>
        json<{ applied: { version: number }[] }>(run.stdout).applied.map((m) => m.version),
      );
      assert.equal(applied.length, new Set(applied).size);
    } finally {
      await server.drop();
    }
  });
});
