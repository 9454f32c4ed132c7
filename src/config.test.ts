import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: PGlite in ./data, port 3000, Caracas time', () => {
  const config = loadConfig({});
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: path.resolve('data', 'pgdata') });
  assert.equal(config.http.port, 3000);
  assert.equal(config.timeZone, 'America/Caracas');
});

test('DATABASE_URL selects the server; --data-dir wins over RAPICREDIT_DATA_DIR', () => {
  assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database, {
    kind: 'postgres',
    url: 'postgres://u@h:5432/db',
  });
  const config = loadConfig({ RAPICREDIT_DATA_DIR: '/tmp/env-dir' }, { dataDir: '/tmp/cli-dir' });
  assert.equal(config.dataDir, '/tmp/cli-dir');
});

test('memory:// keeps the database in memory', () => {
  const config = loadConfig({ RAPICREDIT_DATA_DIR: 'memory://' });
  assert.equal(config.inMemory, true);
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: 'memory://' });
});

test('invalid configuration lists every problem, each naming its variable', () => {
  let caught: unknown;
  try {
    loadConfig({
      DATABASE_URL: 'mysql://root@localhost/db',
      PORT: 'ochenta',
      RAPICREDIT_ZONA_HORARIA: 'Marte/Olympus',
      RAPICREDIT_SESION_HORAS: '0',
      RAPICREDIT_COOKIE_SEGURA: 'quizás',
      RAPICREDIT_LOGIN_MAX_INTENTOS: '-3',
    });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError);
  const variables = caught.problems.map((problem) => problem.split(':')[0]);
  assert.deepEqual(variables.sort(), [
    'DATABASE_URL',
    'PORT',
    'RAPICREDIT_COOKIE_SEGURA',
    'RAPICREDIT_LOGIN_MAX_INTENTOS',
    'RAPICREDIT_SESION_HORAS',
    'RAPICREDIT_ZONA_HORARIA',
  ]);
  assert.match(caught.message, /Configuración no válida/);
  assert.match(caught.message, /PORT: debe ser un número entero/);
});
