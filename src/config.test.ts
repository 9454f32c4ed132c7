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
      RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'openai',
      RAPICREDIT_EMBEDDINGS_DIMENSIONES: 'muchas',
      RAPICREDIT_CHAT_PROVEEDOR: 'gemini',
      OPENAI_BASE_URL: 'ftp://ejemplo.com',
    });
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError);
  const variables = caught.problems.map((problem) => problem.split(':')[0]);
  assert.deepEqual(variables.sort(), [
    'DATABASE_URL',
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'PORT',
    'RAPICREDIT_CHAT_PROVEEDOR',
    'RAPICREDIT_COOKIE_SEGURA',
    'RAPICREDIT_EMBEDDINGS_DIMENSIONES',
    'RAPICREDIT_LOGIN_MAX_INTENTOS',
    'RAPICREDIT_SESION_HORAS',
    'RAPICREDIT_ZONA_HORARIA',
  ]);
  assert.match(caught.message, /Configuración no válida/);
  assert.match(caught.message, /PORT: debe ser un número entero/);
});

test('embeddings: local by default; openai takes its key, URL, model and dimensions', () => {
  assert.deepEqual(loadConfig({}).embeddings, {
    provider: 'local',
    model: 'text-embedding-3-small',
    dimensions: undefined,
    apiKey: undefined,
    baseURL: undefined,
  });
  const config = loadConfig({
    RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'openai',
    OPENAI_API_KEY: 'sk-prueba',
    OPENAI_BASE_URL: 'http://localhost:11434/v1',
    RAPICREDIT_EMBEDDINGS_MODELO: 'nomic-embed-text',
    RAPICREDIT_EMBEDDINGS_DIMENSIONES: '768',
  });
  assert.deepEqual(config.embeddings, {
    provider: 'openai',
    model: 'nomic-embed-text',
    dimensions: 768,
    apiKey: 'sk-prueba',
    baseURL: 'http://localhost:11434/v1',
  });
});

test('chat: openai when OPENAI_API_KEY is set, else local; RAPICREDIT_CHAT_PROVEEDOR wins', () => {
  assert.deepEqual(loadConfig({}).chat, {
    proveedor: 'local',
    modelo: 'gpt-4o-mini',
    apiKey: undefined,
    baseUrl: undefined,
  });
  assert.deepEqual(loadConfig({ OPENAI_API_KEY: 'sk-prueba', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).chat, {
    proveedor: 'openai',
    modelo: 'gpt-4o-mini',
    apiKey: 'sk-prueba',
    baseUrl: 'http://localhost:11434/v1',
  });
  const local = loadConfig({ OPENAI_API_KEY: 'sk-prueba', RAPICREDIT_CHAT_PROVEEDOR: 'local' });
  assert.equal(local.chat.proveedor, 'local');
  assert.equal(loadConfig({ OPENAI_API_KEY: 'sk-prueba', RAPICREDIT_CHAT_MODELO: 'llama3.1' }).chat.modelo, 'llama3.1');
  assert.throws(() => loadConfig({ RAPICREDIT_CHAT_PROVEEDOR: 'openai' }), {
    name: 'ConfigError',
    problems: ['OPENAI_API_KEY: es obligatoria cuando RAPICREDIT_CHAT_PROVEEDOR=openai'],
  });
});

test('the openai provider requires OPENAI_API_KEY; an unknown provider is named', () => {
  assert.throws(() => loadConfig({ RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'openai', OPENAI_API_KEY: '' }), {
    name: 'ConfigError',
    problems: ['OPENAI_API_KEY: es obligatoria cuando RAPICREDIT_EMBEDDINGS_PROVEEDOR=openai'],
  });
  assert.throws(() => loadConfig({ RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'azure' }), {
    problems: ['RAPICREDIT_EMBEDDINGS_PROVEEDOR: debe ser local u openai'],
  });
});
