import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/database.ts';
import { loadScript } from '../../src/db/load-script.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';
import { createApp } from '../../src/http/index.ts';
import { evaluateQuestions, type EvaluationItem } from '../../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { compareResults } from '../../src/modules/sql-assistant/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { onServer, openTestDatabase, TEST_TIME_ZONE, type TestDatabase } from '../support/database.ts';

const SHARED = new URL('../../../shared/eval/', import.meta.url);
const DEV_SET: EvaluationItem[] = readFileSync(new URL('nl2sql-dev.jsonl', SHARED), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as EvaluationItem);

// "La quincena pasada": the first half of this month when today is past the 15th, else the second
// half of last month.
const HALF_MONTH_START = `(CASE WHEN extract(day FROM CURRENT_DATE) > 15 THEN date_trunc('month', CURRENT_DATE)
  ELSE date_trunc('month', CURRENT_DATE) - interval '1 month' + interval '15 days' END)::date`;
const HALF_MONTH_END = `(CASE WHEN extract(day FROM CURRENT_DATE) > 15 THEN date_trunc('month', CURRENT_DATE) + interval '15 days'
  ELSE date_trunc('month', CURRENT_DATE) END)::date`;
const COLLECTED_LAST_HALF_MONTH = `SELECT coalesce(sum(monto_pagado), 0) AS cobrado FROM pagos
  WHERE fecha_pago >= ${HALF_MONTH_START} AND fecha_pago < ${HALF_MONTH_END}`;
const LIVE_LOANS = `SELECT count(*) AS prestamos FROM prestamos WHERE estado = 'APROBADO'`;
const MOTORBIKE_LOANS = `SELECT count(*) AS prestamos FROM prestamos WHERE producto = 'MOTO'`;

const admin = { email: 'admin@rapicredit.com', password: 'clave-admin-1', rol: 'ADMIN' };
const analyst = { email: 'analista@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
const otherAnalyst = { email: 'otra.analista@rapicredit.com', password: 'clave-analista-2', rol: 'ANALISTA' };

type App = ReturnType<typeof createApp>;
interface Answer {
  conversacion_id: number;
  respuesta: string;
  ruta: string;
  sql: string | null;
  columnas: string[];
  filas: unknown[][];
  modelo_usado: string;
  no_entendidas: string[];
}
interface Rating {
  id: number;
  conversacion_id: number;
  calificacion: 'arriba' | 'abajo';
  estrellas: number | null;
  usuario_email: string;
  pregunta: string;
  respuesta_ai: string;
  procesado: boolean;
  mejorado: boolean;
  notas_procesamiento: string | null;
}
interface ReviewItem {
  calificacion: Rating;
  conversacion: {
    pregunta: string;
    respuesta: string;
    sql: string | null;
    filas: number;
    muestra_filas: unknown[][];
    terminos_diccionario: string[];
    no_entendidas: string[];
  };
  ejemplo_verificado: { id: number } | null;
}
interface Reask {
  antes: { respuesta: string; sql: string | null; filas: unknown[][] };
  despues: { respuesta: string; sql: string | null; columnas: string[]; filas: unknown[][] };
  cambio: boolean;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const jsonRequest = (method: string, body: unknown, token: string) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...bearer(token) },
});

describe('the learning loop through the API: a bad answer, its review, and a better next answer', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: App;
  const tokens = { admin: '', analyst: '', other: '' };
  let devBefore: number;

  async function call<T>(app_: App, method: string, url: string, token: string, body?: unknown, status = 200) {
    const response = await app_.request(
      url,
      body === undefined ? { method, headers: bearer(token) } : jsonRequest(method, body, token),
    );
    const text = await response.text();
    assert.equal(response.status, status, `${method} ${url}: ${text}`);
    return JSON.parse(text) as T;
  }
  const ask = (pregunta: string, token = tokens.analyst, app_ = app) =>
    call<Answer>(app_, 'POST', '/api/v1/ai/chat', token, { pregunta });

  async function gold(sql: string) {
    const { columns, rows } = await database.db.queryArrays(sql);
    return { columnas: columns, filas: rows };
  }
  async function assertAnswers(answer: Answer, goldSql: string, message: string) {
    const comparison = compareResults(await gold(goldSql), { columnas: answer.columnas, filas: answer.filas });
    assert.ok(comparison.igual, `${message}: ${comparison.motivo ?? ''}\n${answer.respuesta}\n${answer.sql ?? ''}`);
  }
  async function assertWrong(answer: Answer, goldSql: string) {
    const comparison = compareResults(await gold(goldSql), { columnas: answer.columnas, filas: answer.filas });
    assert.ok(!comparison.igual, `the question must be answered wrongly before the fix:\n${answer.sql ?? ''}`);
  }
  const rate = (conversationId: number, body: unknown, token = tokens.analyst, status = 200) =>
    call<Rating>(app, 'POST', `/api/v1/ai/conversaciones/${conversationId}/calificacion`, token, body, status);

  async function login(user: { email: string; password: string }): Promise<string> {
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ ...user, tipo: 'bearer' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { token: string }).token;
  }

  /** The admin's review of one rating: re-ask, expect a changed answer equal to the gold, accept. */
  async function reviewAndAccept(ratingId: number, goldSql: string) {
    const reask = await call<Reask>(app, 'POST', `/api/v1/ai/calificaciones/${ratingId}/repreguntar`, tokens.admin);
    assert.equal(reask.cambio, true, 'the re-asked answer changed');
    const comparison = compareResults(await gold(goldSql), {
      columnas: reask.despues.columnas,
      filas: reask.despues.filas,
    });
    assert.ok(comparison.igual, `re-asked answer is right: ${comparison.motivo ?? ''}`);
    const processed = await call<Rating>(app, 'POST', `/api/v1/ai/calificaciones/${ratingId}/procesar`, tokens.admin, {
      notas: 'Corregido en la revisión',
      aceptar: true,
    });
    assert.equal(processed.procesado, true);
    assert.equal(processed.mejorado, true);
    const item = await call<ReviewItem>(app, 'GET', `/api/v1/ai/calificaciones/${ratingId}`, tokens.admin);
    assert.equal(item.calificacion.procesado, true);
    assert.equal(item.calificacion.mejorado, true);
    assert.equal(item.calificacion.notas_procesamiento, 'Corregido en la revisión');
  }

  before(async () => {
    database = await openTestDatabase();
    await loadScript(database.db, readFileSync(new URL('libro-evaluacion.sql', SHARED), 'utf8'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-learning-'));
    app = createApp({ db: database.db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }) });
    for (const user of [admin, analyst, otherAnalyst]) await createUser({ db: database.db, input: user });
    tokens.admin = await login(admin);
    tokens.analyst = await login(analyst);
    tokens.other = await login(otherAnalyst);
    const report = await evaluateQuestions({ db: database.db, embeddings: createLocalEmbeddingProvider() }, DEV_SET);
    devBefore = report.correctas;
  });
  beforeEach(() => database.db.query('DELETE FROM intentos_login'));
  after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a new way to say a period: thumbs down → corrected SQL → the question and a paraphrase are right', async () => {
    const question = '¿Cuánto se cobró en la quincena pasada?';
    const wrong = await ask(question);
    await assertWrong(wrong, COLLECTED_LAST_HALF_MONTH);
    const rating = await rate(wrong.conversacion_id, { pulgar: 'abajo', feedback: 'No entendió «quincena pasada».' });
    assert.equal(rating.calificacion, 'abajo');
    assert.equal(rating.usuario_email, analyst.email);
    assert.equal(rating.pregunta, question);
    assert.equal(rating.respuesta_ai, wrong.respuesta);

    const queue = await call<{ total: number; calificaciones: ReviewItem[] }>(
      app,
      'GET',
      '/api/v1/ai/calificaciones?pendientes=true',
      tokens.admin,
    );
    const item = queue.calificaciones.find((each) => each.calificacion.id === rating.id);
    assert.ok(item, 'the thumbs down is in the review queue');
    assert.equal(item.conversacion.pregunta, question);
    assert.equal(item.conversacion.sql, wrong.sql);
    assert.deepEqual(item.conversacion.no_entendidas, ['quincena']);
    assert.ok(item.conversacion.muestra_filas.length > 0, 'the rows the answer showed');

    // Accepting before any improvement is refused: nothing was fixed yet.
    await call(app, 'POST', `/api/v1/ai/calificaciones/${rating.id}/procesar`, tokens.admin, { aceptar: true }, 409);

    const correction = await call<{ ejemplo: { id: number }; vista_previa: { filas: unknown[][] } }>(
      app,
      'POST',
      `/api/v1/ai/conversaciones/${wrong.conversacion_id}/correccion`,
      tokens.admin,
      { sql: COLLECTED_LAST_HALF_MONTH, calificacion_id: rating.id },
    );
    assert.equal(correction.vista_previa.filas.length, 1);
    await reviewAndAccept(rating.id, COLLECTED_LAST_HALF_MONTH);

    const again = await ask(question, tokens.other);
    await assertAnswers(again, COLLECTED_LAST_HALF_MONTH, 'the same question');
    assert.equal(again.modelo_usado, 'ejemplo-verificado');
    const paraphrase = await ask('¿Cuánto cobramos la quincena pasada?');
    await assertAnswers(paraphrase, COLLECTED_LAST_HALF_MONTH, 'a paraphrase');
    // Another period is another question: the correction does not leak into it.
    const otherPeriod = await ask('¿Cuánto se cobró este mes?');
    assert.notEqual(otherPeriod.modelo_usado, 'ejemplo-verificado');
  });

  test('a business term it does not know: stars 1 → dictionary entry with its value → right answers', async () => {
    const question = '¿Cuántos préstamos vivos hay?';
    const wrong = await ask(question);
    await assertWrong(wrong, LIVE_LOANS);
    const rating = await rate(wrong.conversacion_id, { estrellas: 1, feedback: '«Vivo» es un préstamo aprobado.' });
    assert.equal(rating.calificacion, 'abajo', '1-2 stars count as thumbs down');
    const conversation = await call<{ calificacion: number; feedback: string }>(
      app,
      'GET',
      `/api/v1/ai/conversaciones/${wrong.conversacion_id}`,
      tokens.analyst,
    );
    assert.equal(conversation.calificacion, 1);
    assert.equal(conversation.feedback, '«Vivo» es un préstamo aprobado.');

    await call(
      app,
      'POST',
      '/api/v1/ai/diccionario',
      tokens.admin,
      {
        palabra: 'préstamo vivo',
        definicion: 'Préstamo aprobado que se está pagando (estado APROBADO).',
        categoria: 'filtro',
        tabla_relacionada: 'prestamos',
        campo_relacionado: 'estado',
        valor: 'APROBADO',
        sinonimos: ['crédito vivo'],
        calificacion_id: rating.id,
      },
      201,
    );
    await reviewAndAccept(rating.id, LIVE_LOANS);
    await assertAnswers(await ask(question), LIVE_LOANS, 'the same question');
    await assertAnswers(await ask('Dame el número de créditos vivos que tenemos'), LIVE_LOANS, 'a paraphrase');
  });

  test('a new colloquial word: thumbs down → a synonym → right answers', async () => {
    const question = '¿Cuántos préstamos de burras hay?';
    const wrong = await ask(question, tokens.other);
    await assertWrong(wrong, MOTORBIKE_LOANS);
    const rating = await rate(wrong.conversacion_id, { pulgar: 'abajo' }, tokens.other);
    const { rows } = await database.db.query<{ id: number }>(
      `SELECT id FROM ai_diccionario_semantico WHERE palabra = 'moto'`,
    );
    const motoId = rows[0]?.id;
    assert.ok(motoId, 'the default dictionary has «moto»');
    await call(app, 'POST', `/api/v1/ai/diccionario/${motoId}/sinonimos`, tokens.admin, {
      sinonimo: 'burra',
      calificacion_id: rating.id,
    });
    await reviewAndAccept(rating.id, MOTORBIKE_LOANS);
    await assertAnswers(await ask(question), MOTORBIKE_LOANS, 'the same question');
    await assertAnswers(await ask('Número de créditos para burras'), MOTORBIKE_LOANS, 'a paraphrase');
  });

  test('after the corrections the dev set is not worse', async () => {
    const report = await evaluateQuestions({ db: database.db, embeddings: createLocalEmbeddingProvider() }, DEV_SET);
    const failures = report.fallos.map((failure) => `${failure.id}: ${failure.motivo}`).join('\n');
    assert.ok(report.correctas >= devBefore, `${report.correctas} < ${devBefore} after the corrections\n${failures}`);
  });

  test('one rating per user per conversation: rating again replaces it, other users keep theirs', async () => {
    const answer = await ask('¿Cuántos clientes hay?');
    await rate(answer.conversacion_id, { estrellas: 2 });
    const replaced = await rate(answer.conversacion_id, { estrellas: 5, feedback: 'Bien' });
    assert.equal(replaced.calificacion, 'arriba');
    assert.equal(replaced.estrellas, 5);
    await rate(answer.conversacion_id, { pulgar: 'abajo' }, tokens.admin);
    const { rows } = await database.db.query<{ usuario_email: string; calificacion: string }>(
      'SELECT usuario_email, calificacion FROM ai_calificaciones_chat WHERE conversacion_id = $1 ORDER BY usuario_email',
      [answer.conversacion_id],
    );
    assert.deepEqual(rows, [
      { usuario_email: admin.email, calificacion: 'abajo' },
      { usuario_email: analyst.email, calificacion: 'arriba' },
    ]);
    const stored = await database.db.query<{ calificacion: number }>(
      'SELECT calificacion FROM conversaciones_ai WHERE id = $1',
      [answer.conversacion_id],
    );
    assert.equal(stored.rows[0]?.calificacion, 5);

    // Ten ratings sent at once by the same user still leave one row, with one of the verdicts sent.
    const burst = await ask('¿Cuántos pagos hay?');
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        rate(burst.conversacion_id, { pulgar: index % 2 === 0 ? 'arriba' : 'abajo' }),
      ),
    );
    const after = await database.db.query<{ id: number; calificacion: string }>(
      'SELECT id, calificacion FROM ai_calificaciones_chat WHERE conversacion_id = $1',
      [burst.conversacion_id],
    );
    assert.equal(after.rows.length, 1);
    assert.ok(sent.every((rating) => rating.id === after.rows[0]?.id));
  });

  test('bad ratings get clear Spanish errors and change nothing', async () => {
    const answer = await ask('¿Cuántos préstamos hay?');
    const error = async (
      body: unknown,
      token: string,
      status: number,
      pattern: RegExp,
      id = answer.conversacion_id,
    ) => {
      const result = await call<{ error: { mensaje: string } }>(
        app,
        'POST',
        `/api/v1/ai/conversaciones/${id}/calificacion`,
        token,
        body,
        status,
      );
      assert.match(result.error.mensaje, pattern);
    };
    await error({ estrellas: 6 }, tokens.analyst, 400, /1 al 5/);
    await error({ estrellas: '5' }, tokens.analyst, 400, /entero/);
    await error({ pulgar: 'medio' }, tokens.analyst, 400, /arriba/);
    await error({}, tokens.analyst, 400, /estrellas|pulgar/);
    await error({ estrellas: 1, pulgar: 'arriba' }, tokens.analyst, 400, /contradicen/);
    await error({ pulgar: 'abajo' }, tokens.other, 404, /No existe la conversación/);
    await error({ pulgar: 'abajo' }, tokens.analyst, 404, /No existe la conversación/, 999_999);
    const { rows } = await database.db.query('SELECT 1 FROM ai_calificaciones_chat WHERE conversacion_id = $1', [
      answer.conversacion_id,
    ]);
    assert.equal(rows.length, 0);
  });

  test('ANALISTA cannot review, correct, re-ask, process or read the history (403)', async () => {
    const answer = await ask('¿Cuántos clientes activos hay?');
    const rating = await rate(answer.conversacion_id, { pulgar: 'abajo' });
    const forbidden: [string, string, unknown?][] = [
      ['GET', '/api/v1/ai/calificaciones'],
      ['GET', `/api/v1/ai/calificaciones/${rating.id}`],
      ['GET', '/api/v1/ai/calificaciones/estadisticas'],
      ['POST', `/api/v1/ai/calificaciones/${rating.id}/repreguntar`, {}],
      ['POST', `/api/v1/ai/calificaciones/${rating.id}/procesar`, { notas: 'x' }],
      ['POST', `/api/v1/ai/conversaciones/${answer.conversacion_id}/correccion`, { sql: LIVE_LOANS }],
      ['GET', '/api/v1/ai/ejemplos'],
      ['GET', '/api/v1/ai/cambios'],
    ];
    for (const [method, url, body] of forbidden) await call(app, method, url, tokens.analyst, body, 403);
    const { rows } = await database.db.query<{ procesado: boolean }>(
      'SELECT procesado FROM ai_calificaciones_chat WHERE id = $1',
      [rating.id],
    );
    assert.equal(rows[0]?.procesado, false);
  });

  test('a correction must be a safe, working SELECT; processing without accepting is not an improvement', async () => {
    const answer = await ask('¿Cuántos clientes inactivos hay?');
    const rating = await rate(answer.conversacion_id, { pulgar: 'abajo' });
    const url = `/api/v1/ai/conversaciones/${answer.conversacion_id}/correccion`;
    for (const sql of [
      'DELETE FROM prestamos',
      'SELECT password_hash FROM users',
      "SELECT 1; UPDATE users SET rol = 'ADMIN'",
      'SELECT columna_que_no_existe FROM clientes',
      'SELECT count(*) FROM clientes WHERE id = $1',
    ]) {
      const result = await call<{ error: { mensaje: string } }>(app, 'POST', url, tokens.admin, { sql }, 400);
      assert.ok(result.error.mensaje.length > 10, result.error.mensaje);
    }
    await call(app, 'POST', url, tokens.admin, {}, 400);
    const { rows } = await database.db.query('SELECT 1 FROM ai_ejemplos_verificados WHERE conversacion_id = $1', [
      answer.conversacion_id,
    ]);
    assert.equal(rows.length, 0, 'nothing stored');
    const processed = await call<Rating>(app, 'POST', `/api/v1/ai/calificaciones/${rating.id}/procesar`, tokens.admin, {
      notas: 'La respuesta era correcta',
    });
    assert.equal(processed.procesado, true);
    assert.equal(processed.mejorado, false);
    const pending = await call<{ calificaciones: ReviewItem[] }>(
      app,
      'GET',
      '/api/v1/ai/calificaciones?pendientes=true',
      tokens.admin,
    );
    assert.ok(!pending.calificaciones.some((item) => item.calificacion.id === rating.id));
    const filtered = await call<{ calificaciones: ReviewItem[] }>(
      app,
      'GET',
      '/api/v1/ai/calificaciones?calificacion=abajo&procesado=true&desde=2000-01-01',
      tokens.admin,
    );
    assert.ok(filtered.calificaciones.some((item) => item.calificacion.id === rating.id));
    assert.ok(filtered.calificaciones.every((item) => item.calificacion.procesado));
    await call(app, 'GET', '/api/v1/ai/calificaciones?desde=ayer', tokens.admin, undefined, 400);
  });

  test('every edit is recorded with who and when', async () => {
    const history = await call<{
      cambios: {
        entidad: string;
        accion: string;
        usuario_email: string;
        creado_en: string;
        calificacion_id: number | null;
      }[];
    }>(app, 'GET', '/api/v1/ai/cambios?limite=100', tokens.admin);
    const kinds = new Set(history.cambios.map((change) => `${change.entidad}:${change.accion}`));
    for (const kind of ['ejemplo:corregir', 'calificacion:procesar']) assert.ok(kinds.has(kind), kind);
    assert.ok(
      history.cambios.some((change) => change.entidad === 'diccionario'),
      'dictionary edits recorded',
    );
    for (const change of history.cambios) {
      assert.equal(change.usuario_email, admin.email);
      assert.ok(!Number.isNaN(Date.parse(change.creado_en)));
    }
    assert.ok(history.cambios.filter((change) => change.calificacion_id !== null).length >= 6);
  });

  test('the quality dashboard data', async () => {
    const stats = await call<{
      distribucion_estrellas: { estrellas: number; total: number }[];
      pulgares: { arriba: number; abajo: number };
      evolucion: { positivas: number; negativas: number; porcentaje_positivo: number | null }[];
      preguntas_fallidas: { pregunta: string; veces: number }[];
      mejoras: { mejoradas: number; procesadas: number; ejemplos_verificados: number; tasa_mejora: number };
    }>(app, 'GET', '/api/v1/ai/calificaciones/estadisticas?agrupar=dia', tokens.admin);
    const { rows } = await database.db.query<{ arriba: number; abajo: number }>(
      `SELECT count(*) FILTER (WHERE calificacion = 'arriba')::int AS arriba,
              count(*) FILTER (WHERE calificacion = 'abajo')::int AS abajo FROM ai_calificaciones_chat`,
    );
    assert.deepEqual(stats.pulgares, rows[0]);
    assert.equal(stats.distribucion_estrellas.find((row) => row.estrellas === 1)?.total, 1);
    assert.equal(stats.mejoras.mejoradas, 3);
    assert.ok(stats.mejoras.procesadas >= 4);
    assert.equal(stats.mejoras.ejemplos_verificados, 1);
    const today = stats.evolucion.at(-1);
    assert.ok(today && today.negativas >= 5 && today.porcentaje_positivo !== null);
    assert.ok(stats.preguntas_fallidas.some((row) => row.pregunta === '¿Cuántos préstamos vivos hay?'));
    await call(app, 'GET', '/api/v1/ai/calificaciones/estadisticas?agrupar=anual', tokens.admin, undefined, 400);
  });

  test('an edit made elsewhere (another process, plain SQL) changes the next answer without a restart', async () => {
    const question = '¿Cuántos préstamos en la calle hay?';
    let other: Database | undefined;
    let otherApp = app;
    if (onServer && database.url) {
      other = await openPostgresDatabase({ url: database.url, timeZone: TEST_TIME_ZONE, maxConnections: 2 });
      otherApp = createApp({ db: other, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }) });
    }
    try {
      await assertWrong(await ask(question, tokens.analyst, otherApp), LIVE_LOANS);
      // The edit goes through the first process (or straight to the database), the question to the other.
      await database.db.query(
        `INSERT INTO ai_diccionario_semantico (palabra, definicion, categoria, tabla_relacionada, campo_relacionado, valor)
         VALUES ('en la calle', 'Préstamo aprobado que se está cobrando.', 'filtro', 'prestamos', 'estado', 'APROBADO')`,
      );
      await assertAnswers(await ask(question, tokens.analyst, otherApp), LIVE_LOANS, 'after the edit');
      await database.db.query(`DELETE FROM ai_diccionario_semantico WHERE palabra = 'en la calle'`);
      await assertWrong(await ask(question, tokens.analyst, otherApp), LIVE_LOANS);
    } finally {
      await other?.close();
    }
  });
});
