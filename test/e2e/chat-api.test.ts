import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { loadScript } from '../../src/db/load-script.ts';
import { createApp } from '../../src/http/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const EVALUATION_BOOK = new URL('../../../shared/eval/libro-evaluacion.sql', import.meta.url);
const OVERDUE_QUESTION = '¿Cuántas cuotas vencidas tiene el cliente V11034041?';
const OVERDUE_GOLD = `SELECT COUNT(*)::int AS n FROM cuotas cu JOIN prestamos p ON p.id = cu.prestamo_id
  JOIN clientes c ON c.id = p.cliente_id
  WHERE c.cedula = 'V11034041' AND cu.fecha_vencimiento < CURRENT_DATE AND cu.estado IN ('ATRASADO', 'PARCIAL')`;

type App = ReturnType<typeof createApp>;
interface ErrorBody {
  error: { codigo: string; mensaje: string };
}
interface AnswerBody {
  conversacion_id: number;
  hilo_id: number;
  pregunta: string;
  respuesta: string;
  ruta: string;
  sql: string | null;
  parametros: unknown[];
  columnas: string[];
  filas: unknown[][];
  modelo_usado: string;
  tokens_usados: number;
  tiempo_respuesta_ms: number;
}
interface ConversationBody {
  id: number;
  hilo_id: number | null;
  pregunta: string;
  respuesta: string;
  contexto_usado: Record<string, unknown>;
  documentos_usados: number[];
  modelo_usado: string | null;
  tokens_usados: number | null;
  tiempo_respuesta: number | null;
  usuario_id: number | null;
  cliente_id: number | null;
  prestamo_id: number | null;
}
interface ListBody {
  total: number;
  conversaciones: ConversationBody[];
}

const admin = { email: 'admin@rapicredit.com', password: 'clave-admin-1', rol: 'ADMIN' };
const analyst = { email: 'analista@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
const otherAnalyst = { email: 'otra.analista@rapicredit.com', password: 'clave-analista-2', rol: 'ANALISTA' };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const jsonRequest = (method: string, body: unknown, headers: Record<string, string>) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

async function expectError(response: Response, status: number, codigo: string, mensaje?: RegExp) {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.codigo, codigo);
  if (mensaje) assert.match(body.error.mensaje, mensaje);
  return body.error.mensaje;
}

describe('HTTP API: chat on the evaluation loan book', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: App;
  const tokens = { admin: '', analyst: '', other: '' };
  const ids = { admin: 0, analyst: 0, other: 0 };
  let overdueGold: number;
  let clientId: number;

  const ask = (body: unknown, token: string) =>
    app.request('/api/v1/ai/chat', jsonRequest('POST', body, bearer(token)));
  const get = (url: string, token: string) => app.request(url, { headers: bearer(token) });

  async function answer(body: unknown, token: string): Promise<AnswerBody> {
    const response = await ask(body, token);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as AnswerBody;
  }

  async function list(query: string, token: string): Promise<ListBody> {
    const response = await get(`/api/v1/ai/conversaciones${query}`, token);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as ListBody;
  }

  async function login(user: { email: string; password: string }): Promise<string> {
    const response = await app.request('/api/v1/auth/login', jsonRequest('POST', { ...user, tipo: 'bearer' }, {}));
    assert.equal(response.status, 200);
    return ((await response.json()) as { token: string }).token;
  }

  async function conversationCount(): Promise<number> {
    const { rows } = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversaciones_ai');
    return rows[0]?.n ?? -1;
  }

  before(async () => {
    database = await openTestDatabase();
    await loadScript(database.db, readFileSync(EVALUATION_BOOK, 'utf8'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-chat-api-'));
    app = createApp({ db: database.db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }) });
    ids.admin = (await createUser({ db: database.db, input: admin })).id;
    ids.analyst = (await createUser({ db: database.db, input: analyst })).id;
    ids.other = (await createUser({ db: database.db, input: otherAnalyst })).id;
    tokens.admin = await login(admin);
    tokens.analyst = await login(analyst);
    tokens.other = await login(otherAnalyst);
    const gold = await database.db.query<{ n: number }>(OVERDUE_GOLD);
    overdueGold = gold.rows[0]?.n ?? -1;
    assert.ok(overdueGold > 0, 'the evaluation book gives this client overdue installments');
    const client = await database.db.query<{ id: number }>("SELECT id FROM clientes WHERE cedula = 'V11034041'");
    clientId = client.rows[0]?.id ?? -1;
  });
  beforeEach(() => database.db.query('DELETE FROM intentos_login'));
  after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('ANALISTA and ADMIN get the overdue installments of a client from the database, with the gold figure', async () => {
    for (const [who, token] of [
      ['analyst', tokens.analyst],
      ['admin', tokens.admin],
    ] as const) {
      const body = await answer({ pregunta: OVERDUE_QUESTION }, token);
      assert.equal(body.ruta, 'base_datos', who);
      assert.equal(body.pregunta, OVERDUE_QUESTION);
      assert.ok(body.sql, `${who}: the SQL is shown`);
      assert.match(body.sql, /^SELECT/i);
      assert.deepEqual(body.filas, [[overdueGold]], who);
      assert.match(body.respuesta, new RegExp(`\\b${overdueGold} cuotas\\b`), body.respuesta);
      assert.equal(body.modelo_usado, 'local-semantico-v1');
      assert.equal(body.tokens_usados, 0);
      assert.equal(body.hilo_id, body.conversacion_id, 'a first question starts its own thread');
    }
  });

  test('the stored conversation has every column filled and links the client', async () => {
    const body = await answer({ pregunta: OVERDUE_QUESTION }, tokens.analyst);
    const response = await get(`/api/v1/ai/conversaciones/${body.conversacion_id}`, tokens.analyst);
    assert.equal(response.status, 200);
    const stored = (await response.json()) as ConversationBody;
    assert.equal(stored.pregunta, OVERDUE_QUESTION);
    assert.equal(stored.respuesta, body.respuesta);
    assert.equal(stored.hilo_id, body.conversacion_id);
    assert.equal(stored.contexto_usado.sql, body.sql);
    assert.deepEqual(stored.contexto_usado.parametros, body.parametros);
    assert.ok(
      (stored.contexto_usado.parametros as unknown[]).includes('V11034041'),
      'the cédula is a parameter, not spliced into the SQL',
    );
    assert.doesNotMatch(String(stored.contexto_usado.sql), /V11034041/);
    assert.equal(stored.contexto_usado.filas, 1);
    assert.ok(Array.isArray(stored.contexto_usado.terminos_diccionario));
    assert.ok((stored.contexto_usado.terminos_diccionario as string[]).includes('cuota vencida'));
    assert.deepEqual(stored.documentos_usados, []);
    assert.equal(stored.modelo_usado, 'local-semantico-v1');
    assert.equal(stored.tokens_usados, 0);
    assert.ok(stored.tiempo_respuesta !== null && stored.tiempo_respuesta >= 0);
    assert.equal(stored.usuario_id, ids.analyst);
    assert.equal(stored.cliente_id, clientId);
  });

  test('without a session the chat answers 401 and stores nothing', async () => {
    const before = await conversationCount();
    const response = await app.request(
      '/api/v1/ai/chat',
      jsonRequest('POST', { pregunta: '¿Cuántos préstamos activos hay?' }, {}),
    );
    await expectError(response, 401, 'UNAUTHENTICATED', /Inicie sesión/);
    await expectError(await app.request('/api/v1/ai/conversaciones'), 401, 'UNAUTHENTICATED');
    assert.equal(await conversationCount(), before);
  });

  test('malformed requests are rejected with 400 and a Spanish message naming the field', async () => {
    const before = await conversationCount();
    const cases: [unknown, RegExp][] = [
      [{ pregunta: 5 }, /pregunta.*(texto|obligatoria)/],
      [{}, /pregunta.*obligatoria/],
      [{ pregunta: '' }, /pregunta.*vacía/],
      [{ pregunta: '   ' }, /pregunta.*vacía/],
      [{ pregunta: 'a'.repeat(3000) }, /pregunta.*2000 caracteres/],
      [{ pregunta: '¿Cuántos préstamos activos hay?', hilo_id: 'x' }, /hilo_id.*entero/],
      [{ pregunta: '¿Cuántos préstamos activos hay?', hilo_id: 0 }, /hilo_id.*mayor que 0/],
      [{ pregunta: '¿Cuántos préstamos activos hay?', hilo_id: 1.5 }, /hilo_id.*entero/],
    ];
    for (const [body, message] of cases) {
      const response = await ask(body, tokens.analyst);
      await expectError(response, 400, 'INVALID_INPUT', message);
    }
    const notJson = await app.request('/api/v1/ai/chat', {
      method: 'POST',
      body: '{"pregunta": ',
      headers: { 'content-type': 'application/json', ...bearer(tokens.analyst) },
    });
    await expectError(notJson, 400, 'INVALID_INPUT', /JSON válido/);
    assert.equal(await conversationCount(), before, 'a rejected request stores no conversation');
  });

  test('continuing a thread that does not exist is 404, in Spanish', async () => {
    const before = await conversationCount();
    const response = await ask({ pregunta: '¿y cuántas cuotas le quedan?', hilo_id: 999_999 }, tokens.analyst);
    await expectError(response, 404, 'NOT_FOUND', /No existe el hilo 999999/);
    assert.equal(await conversationCount(), before);
  });

  test("an ANALISTA can neither read nor continue another analyst's conversation; ADMIN can", async () => {
    const mine = await answer({ pregunta: '¿Cuál es el saldo pendiente del préstamo 94?' }, tokens.analyst);

    // The other analyst is told it does not exist, exactly as for an id that was never used.
    const read = await get(`/api/v1/ai/conversaciones/${mine.conversacion_id}`, tokens.other);
    const hidden = await expectError(read, 404, 'NOT_FOUND');
    const never = await expectError(await get('/api/v1/ai/conversaciones/999999', tokens.other), 404, 'NOT_FOUND');
    assert.equal(hidden.replace(String(mine.conversacion_id), 'N'), never.replace('999999', 'N'));

    const before = await conversationCount();
    const continued = await ask({ pregunta: '¿y cuántas cuotas le quedan?', hilo_id: mine.hilo_id }, tokens.other);
    await expectError(continued, 404, 'NOT_FOUND', new RegExp(`No existe el hilo ${mine.hilo_id}`));
    assert.equal(await conversationCount(), before, 'nothing was added to the thread');

    const adminRead = await get(`/api/v1/ai/conversaciones/${mine.conversacion_id}`, tokens.admin);
    assert.equal(adminRead.status, 200);
    assert.equal(((await adminRead.json()) as ConversationBody).usuario_id, ids.analyst);
    const adminFollowUp = await answer(
      { pregunta: '¿y cuántas cuotas le quedan?', hilo_id: mine.hilo_id },
      tokens.admin,
    );
    assert.equal(adminFollowUp.hilo_id, mine.hilo_id);
    assert.equal(adminFollowUp.ruta, 'base_datos');
    assert.ok(adminFollowUp.parametros.includes(94), JSON.stringify(adminFollowUp.parametros));
  });

  test('the list shows an ANALISTA only their own conversations, ADMIN all, and a thread in order', async () => {
    const own = await answer({ pregunta: '¿Cuántos préstamos activos hay?' }, tokens.other);
    const followUp = await answer({ pregunta: '¿y cuántos finalizados?', hilo_id: own.hilo_id }, tokens.other);
    const last = await answer({ pregunta: '¿Cuántos clientes hay?', hilo_id: own.hilo_id }, tokens.other);
    await answer({ pregunta: '¿Cuántos clientes hay?' }, tokens.analyst);

    const all = await database.db.query<{ usuario_id: number | null }>('SELECT usuario_id FROM conversaciones_ai');
    const ownedBy = (id: number) => all.rows.filter((row) => row.usuario_id === id).length;

    const analystList = await list('?limite=500', tokens.analyst);
    assert.equal(analystList.total, ownedBy(ids.analyst));
    assert.ok(analystList.conversaciones.length > 0);
    assert.ok(analystList.conversaciones.every((row) => row.usuario_id === ids.analyst));

    const otherList = await list('?limite=500', tokens.other);
    assert.equal(otherList.total, 3);
    assert.deepEqual(
      otherList.conversaciones.map((row) => row.id),
      [last.conversacion_id, followUp.conversacion_id, own.conversacion_id],
      'newest first',
    );
    // An analyst cannot widen the list to someone else with usuario_id.
    const widened = await list(`?usuario_id=${ids.analyst}&limite=500`, tokens.other);
    assert.ok(widened.conversaciones.every((row) => row.usuario_id === ids.other));

    const adminList = await list('?limite=500', tokens.admin);
    assert.equal(adminList.total, all.rows.length);
    assert.equal(adminList.conversaciones.length, all.rows.length);
    const byUser = await list(`?usuario_id=${ids.other}`, tokens.admin);
    assert.equal(byUser.total, 3);

    for (const token of [tokens.other, tokens.admin]) {
      const thread = await list(`?hilo_id=${own.hilo_id}`, token);
      assert.equal(thread.total, 3);
      assert.deepEqual(
        thread.conversaciones.map((row) => [row.id, row.hilo_id, row.pregunta]),
        [
          [own.conversacion_id, own.hilo_id, '¿Cuántos préstamos activos hay?'],
          [followUp.conversacion_id, own.hilo_id, '¿y cuántos finalizados?'],
          [last.conversacion_id, own.hilo_id, '¿Cuántos clientes hay?'],
        ],
        'a thread is listed oldest first',
      );
    }
    const strangerThread = await list(`?hilo_id=${own.hilo_id}`, tokens.analyst);
    assert.deepEqual(strangerThread, { total: 0, conversaciones: [] });

    await expectError(await get('/api/v1/ai/conversaciones?hilo_id=x', tokens.admin), 400, 'INVALID_INPUT', /hilo/);
  });
});
