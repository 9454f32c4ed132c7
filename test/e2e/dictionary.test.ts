import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/index.ts';
import { createOpenAiChatProvider } from '../../src/modules/llm/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { type ChatRequest, type OpenAiServer, startOpenAiServer } from '../support/openai-server.ts';

type App = ReturnType<typeof createApp>;
interface ErrorBody {
  error: { codigo: string; mensaje: string };
}
interface Entry {
  id: number;
  palabra: string;
  definicion: string;
  categoria: string | null;
  tabla_relacionada: string | null;
  campo_relacionado: string | null;
  valor: string | null;
  condicion_sql: string | null;
  expresion_sql: string | null;
  sinonimos: string[];
  ejemplos_uso: string[];
  activo: boolean;
  creado_por: number | null;
  creado_por_email: string | null;
  actualizado_por: number | null;
  actualizado_por_email: string | null;
  creado_en: string;
  actualizado_en: string;
}
interface Improvement {
  entrada_id: number | null;
  propuesta: Omit<Entry, 'id' | 'palabra' | 'activo' | `${string}_por${string}` | `${string}_en`> | null;
  valida: boolean;
  problemas: string[];
  pregunta_aclaratoria: string | null;
  explicacion: string;
  modelo: string;
}
interface Answer {
  ruta: string;
  sql: string | null;
  no_entendidas: string[];
}

const BASE = '/api/v1/ai/diccionario';
const LIVE_QUESTION = '¿Cuántos préstamos vivos hay?';
const admin = { email: 'admin.diccionario@rapicredit.com', password: 'clave-admin-1', rol: 'ADMIN' };
const analyst = { email: 'analista.diccionario@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
const liveLoan = {
  palabra: 'préstamo vivo',
  definicion: 'Préstamo desembolsado que se está pagando.',
  categoria: 'Filtro',
  tabla_relacionada: 'prestamos',
  campo_relacionado: 'estado',
  valor: 'aprobado',
  sinonimos: ['préstamos vivos', 'Prestamos Vivos', ' préstamo  vivo ', 'crédito vivo'],
};

const jsonRequest = (method: string, body: unknown, token: string) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
});

async function expectError(response: Response, status: number, codigo: string, mensaje?: RegExp): Promise<string> {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.codigo, codigo);
  if (mensaje) assert.match(body.error.mensaje, mensaje);
  return body.error.mensaje;
}

async function ok<T>(response: Response, status = 200): Promise<T> {
  assert.equal(response.status, status, await response.clone().text());
  return (await response.json()) as T;
}

let database: TestDatabase;
let adminId = 0;

before(async () => {
  database = await openTestDatabase();
  adminId = (await createUser({ db: database.db, input: admin })).id;
  await createUser({ db: database.db, input: analyst });
});
after(() => database.close());

async function login(app: App, user: { email: string; password: string }): Promise<string> {
  await database.db.query('DELETE FROM intentos_login');
  const response = await app.request('/api/v1/auth/login', {
    method: 'POST',
    body: JSON.stringify({ ...user, tipo: 'bearer' }),
    headers: { 'content-type': 'application/json' },
  });
  return (await ok<{ token: string }>(response)).token;
}

describe('HTTP API: the semantic dictionary', () => {
  let dataDir: string;
  let app: App;
  const tokens = { admin: '', analyst: '' };

  const call = (method: string, url: string, body: unknown, token = tokens.admin) =>
    app.request(
      url,
      body === undefined ? { method, headers: { authorization: `Bearer ${token}` } } : jsonRequest(method, body, token),
    );
  const get = (url: string, token = tokens.admin) => call('GET', url, undefined, token);
  const ask = async (pregunta: string) => ok<Answer>(await call('POST', '/api/v1/ai/chat', { pregunta }));

  async function count(sql = 'SELECT count(*)::int AS n FROM ai_diccionario_semantico'): Promise<number> {
    const { rows } = await database.db.query<{ n: number }>(sql);
    return rows[0]?.n ?? -1;
  }
  async function entryNamed(palabra: string): Promise<Entry> {
    const list = await ok<{ entradas: Entry[] }>(await get(`${BASE}?palabra=${encodeURIComponent(palabra)}`));
    const [entry] = list.entradas;
    assert.ok(entry, `an entry for «${palabra}»`);
    return entry;
  }
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-diccionario-'));
    app = createApp({ db: database.db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }) });
    tokens.admin = await login(app, admin);
    tokens.analyst = await login(app, analyst);
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  test('an entry created through the API changes the next answer to the same question', async () => {
    const beforeEntry = await ask(LIVE_QUESTION);
    assert.doesNotMatch(beforeEntry.sql ?? '', /APROBADO/, 'not understood that way before the entry');
    assert.ok(
      beforeEntry.no_entendidas.some((word) => /vivo/.test(word)),
      JSON.stringify(beforeEntry.no_entendidas),
    );

    const created = await ok<Entry>(await call('POST', BASE, liveLoan), 201);
    assert.equal(created.palabra, 'préstamo vivo');
    assert.equal(created.valor, 'APROBADO', 'the canonical spelling of the possible value');
    assert.equal(created.categoria, 'filtro');
    assert.deepEqual(created.sinonimos, ['préstamos vivos', 'crédito vivo'], 'trimmed, deduplicated, without the word');
    assert.equal(created.creado_por, adminId);
    assert.equal(created.actualizado_por, adminId);
    assert.equal(created.creado_por_email, admin.email);
    assert.ok(!Number.isNaN(Date.parse(created.creado_en)) && !Number.isNaN(Date.parse(created.actualizado_en)));

    const afterEntry = await ask(LIVE_QUESTION);
    assert.equal(afterEntry.ruta, 'base_datos');
    assert.match(afterEntry.sql ?? '', /prestamos\.estado = 'APROBADO'/);

    const found = await ok<{ total: number; entradas: Entry[] }>(await get(`${BASE}?texto=PRESTAMO%20VIV`));
    assert.deepEqual(
      found.entradas.map((entry) => entry.id),
      [created.id],
    );
    const bySynonym = await ok<{ entradas: Entry[] }>(await get(`${BASE}?palabra=Credito%20Vivo`));
    assert.deepEqual(
      bySynonym.entradas.map((entry) => entry.id),
      [created.id],
    );
    const filtered = await ok<{ total: number; entradas: Entry[] }>(
      await get(`${BASE}?categoria=filtro&tabla=prestamos&activo=true&limite=2`),
    );
    assert.ok(filtered.total > 2 && filtered.entradas.length === 2, 'paginated, with the total before paging');
    assert.ok(
      filtered.entradas.every((entry) => entry.categoria === 'filtro' && entry.tabla_relacionada === 'prestamos'),
    );
  });

  test('the same word with other accents or case, or a synonym another entry owns, is a 409 naming it', async () => {
    const before = await count();
    await expectError(
      await call('POST', BASE, { ...liveLoan, palabra: 'PRESTAMO VIVO', sinonimos: [] }),
      409,
      'CONFLICT',
      /«préstamo vivo»/,
    );
    await expectError(
      await call('POST', BASE, {
        palabra: 'crédito al día',
        definicion: 'x',
        sinonimos: ['Créditos Vivos', 'Credito vivo'],
      }),
      409,
      'CONFLICT',
      /«Credito vivo» ya pertenece a la entrada «préstamo vivo»/,
    );
    const live = await entryNamed('préstamo vivo');
    await expectError(
      await call('POST', `${BASE}/${live.id}/sinonimos`, { sinonimo: 'vigente' }),
      409,
      'CONFLICT',
      /«vigente» ya pertenece a la entrada «préstamo activo»/,
    );
    assert.equal(await count(), before, 'nothing saved');
  });

  test('a table, column, value or SQL the engine cannot use is a 400 and saves nothing', async () => {
    const before = await count();
    const attempt = (changes: Record<string, unknown>) =>
      call('POST', BASE, { palabra: 'palabra de prueba', definicion: 'Prueba.', ...changes });
    await expectError(await attempt({ tabla_relacionada: 'prestamo' }), 400, 'INVALID_INPUT', /tabla «prestamo»/);
    await expectError(
      await attempt({ tabla_relacionada: 'prestamos', campo_relacionado: 'estatus' }),
      400,
      'INVALID_INPUT',
      /columna «estatus» no existe en la tabla prestamos/,
    );
    await expectError(
      await attempt({ tabla_relacionada: 'users', campo_relacionado: 'password_hash' }),
      400,
      'INVALID_INPUT',
      /password_hash/,
    );
    await expectError(
      await attempt({ campo_relacionado: 'estado' }),
      400,
      'INVALID_INPUT',
      /requiere tabla_relacionada/,
    );
    await expectError(
      await attempt({ tabla_relacionada: 'prestamos', campo_relacionado: 'estado', valor: 'VIVO' }),
      400,
      'INVALID_INPUT',
      /«VIVO» no es uno de los valores posibles de prestamos\.estado: DRAFT, EN_REVISION, APROBADO/,
    );
    await expectError(
      await attempt({ tabla_relacionada: 'cuotas', campo_relacionado: 'dias_mora', valor: 'muchos' }),
      400,
      'INVALID_INPUT',
      /no se puede comparar con cuotas\.dias_mora/,
    );
    await expectError(
      await attempt({
        tabla_relacionada: 'prestamos',
        condicion_sql: "prestamos.estado = 'APROBADO'; DROP TABLE clientes",
      }),
      400,
      'INVALID_INPUT',
    );
    await expectError(
      await attempt({
        tabla_relacionada: 'clientes',
        condicion_sql: "EXISTS (SELECT 1 FROM users u WHERE u.password_hash LIKE 'a%')",
      }),
      400,
      'INVALID_INPUT',
      /password_hash/,
    );
    await expectError(
      await attempt({ condicion_sql: 'prestamos.id > 0' }),
      400,
      'INVALID_INPUT',
      /requieren tabla_relacionada/,
    );
    await expectError(await attempt({ sinonimos: 'uno, dos' }), 400, 'INVALID_INPUT', /sinonimos/);
    await expectError(await attempt({ palabra: '   ' }), 400, 'INVALID_INPUT', /palabra/);
    await expectError(await attempt({ palabra: 'x'.repeat(121) }), 400, 'INVALID_INPUT', /120 caracteres/);
    await expectError(await attempt({ categoria: 'x'.repeat(41) }), 400, 'INVALID_INPUT', /40 caracteres/);
    await expectError(await attempt({ sinonimo: 'typo' }), 400, 'INVALID_INPUT', /campos desconocidos: sinonimo/);
    assert.equal(await count(), before, 'nothing saved');
    assert.equal(await count('SELECT count(*)::int AS n FROM clientes'), 0, 'clientes still exists');
  });

  test('ANALISTA reads the dictionary but every edit, export, import and proposal is 403', async () => {
    const live = await entryNamed('préstamo vivo');
    const list = await ok<{ total: number }>(await get(BASE, tokens.analyst));
    assert.ok(list.total > 100, 'the default dictionary');
    assert.equal((await ok<Entry>(await get(`${BASE}/${live.id}`, tokens.analyst))).palabra, 'préstamo vivo');
    const before = await count();
    const forbidden = [
      call('POST', BASE, { palabra: 'otra', definicion: 'x' }, tokens.analyst),
      call('PATCH', `${BASE}/${live.id}`, { definicion: 'cambiada' }, tokens.analyst),
      call('DELETE', `${BASE}/${live.id}`, undefined, tokens.analyst),
      call('POST', `${BASE}/${live.id}/sinonimos`, { sinonimo: 'vivito' }, tokens.analyst),
      call('POST', `${BASE}/importar`, [], tokens.analyst),
      call('GET', `${BASE}/exportar`, undefined, tokens.analyst),
      call('POST', `${BASE}/mejorar`, { palabra: 'vivo' }, tokens.analyst),
    ];
    for (const response of await Promise.all(forbidden)) await expectError(response, 403, 'FORBIDDEN');
    assert.equal(await count(), before);
    assert.equal((await entryNamed('préstamo vivo')).definicion, liveLoan.definicion);
  });

  test('an edit based on a stale copy is refused with 409; unknown ids are 404', async () => {
    const read = await entryNamed('préstamo vivo');
    const first = await ok<Entry>(
      await call('PATCH', `${BASE}/${read.id}`, {
        definicion: 'Préstamo activo.',
        actualizado_en: read.actualizado_en,
      }),
    );
    assert.equal(first.definicion, 'Préstamo activo.');
    assert.notEqual(first.actualizado_en, read.actualizado_en);
    await expectError(
      await call('PATCH', `${BASE}/${read.id}`, { definicion: 'Otra.', actualizado_en: read.actualizado_en }),
      409,
      'CONFLICT',
      /La entrada «préstamo vivo» fue modificada por otro usuario .*; vuelva a cargarla\./,
    );
    await expectError(
      await call('DELETE', `${BASE}/${read.id}?actualizado_en=${encodeURIComponent(read.actualizado_en)}`, undefined),
      409,
      'CONFLICT',
    );
    assert.equal((await entryNamed('préstamo vivo')).definicion, 'Préstamo activo.');
    await expectError(await get(`${BASE}/999999`), 404, 'NOT_FOUND', /No existe la entrada 999999/);
    await expectError(await call('PATCH', `${BASE}/999999`, { definicion: 'x' }), 404, 'NOT_FOUND');
    await expectError(await call('DELETE', `${BASE}/999999`, undefined), 404, 'NOT_FOUND');
    await expectError(await call('PATCH', `${BASE}/${read.id}`, {}), 400, 'INVALID_INPUT', /al menos un campo/);
  });

  test('concurrent edits without a version all land: each is recomputed on the row as it is', async () => {
    const live = await entryNamed('préstamo vivo');
    const words = ['préstamo en marcha', 'préstamo andando', 'préstamo corriendo'];
    const responses = await Promise.all(
      words.map((sinonimo) => call('POST', `${BASE}/${live.id}/sinonimos`, { sinonimo })),
    );
    for (const response of responses) await ok<Entry>(response);
    const after = await entryNamed('préstamo vivo');
    for (const word of words) assert.ok(after.sinonimos.includes(word), `${word} in ${after.sinonimos.join(', ')}`);
  });

  test('every edit leaves a row in the change history, linked to the rating under review', async () => {
    const conversation = await database.db.query<{ id: number }>(
      "INSERT INTO conversaciones_ai (pregunta, respuesta) VALUES ($1, 'No entendí «vivos».') RETURNING id",
      [LIVE_QUESTION],
    );
    const rating = await database.db.query<{ id: number }>(
      `INSERT INTO ai_calificaciones_chat (conversacion_id, pregunta, respuesta_ai, calificacion, usuario_email)
       VALUES ($1, $2, 'No entendí', 'abajo', $3) RETURNING id`,
      [conversation.rows[0]?.id, LIVE_QUESTION, analyst.email],
    );
    const ratingId = rating.rows[0]?.id ?? 0;
    const created = await ok<Entry>(
      await call('POST', BASE, {
        palabra: 'cuota al día',
        definicion: 'Cuota pagada.',
        tabla_relacionada: 'cuotas',
        campo_relacionado: 'estado',
        valor: 'PAGADO',
        calificacion_id: ratingId,
      }),
      201,
    );
    await expectError(
      await call('PATCH', `${BASE}/${created.id}`, { definicion: 'x', calificacion_id: 987654 }),
      404,
      'NOT_FOUND',
      /calificación 987654/,
    );
    const edited = await ok<Entry>(
      await call('PATCH', `${BASE}/${created.id}`, {
        ejemplos_uso: ['¿Cuántas cuotas al día hay?'],
        calificacion_id: ratingId,
      }),
    );
    assert.deepEqual(edited.ejemplos_uso, ['¿Cuántas cuotas al día hay?']);
    const withSynonym = await ok<Entry>(
      await call('POST', `${BASE}/${created.id}/sinonimos`, { sinonimo: 'cuotas al día' }),
    );
    assert.deepEqual(withSynonym.sinonimos, ['cuotas al día']);
    const again = await ok<Entry>(await call('POST', `${BASE}/${created.id}/sinonimos`, { sinonimo: 'CUOTAS AL DIA' }));
    assert.equal(again.actualizado_en, withSynonym.actualizado_en, 'a synonym it already has changes nothing');
    const removed = await ok<Entry>(
      await call(
        'DELETE',
        `${BASE}/${created.id}?actualizado_en=${encodeURIComponent(withSynonym.actualizado_en)}`,
        undefined,
      ),
    );
    assert.equal(removed.palabra, 'cuota al día');
    await expectError(await get(`${BASE}/${created.id}`), 404, 'NOT_FOUND');

    const { rows } = await database.db.query<{
      accion: string;
      usuario_id: number | null;
      usuario_email: string;
      calificacion_id: number | null;
      antes: { definicion?: string } | null;
      despues: { valor?: string } | null;
      creado_en: Date | null;
    }>(
      `SELECT accion, usuario_id, usuario_email, calificacion_id, antes, despues, creado_en FROM ai_historial_cambios
        WHERE entidad = 'diccionario' AND registro_id = $1 ORDER BY id`,
      [created.id],
    );
    assert.deepEqual(
      rows.map((row) => [row.accion, row.calificacion_id]),
      [
        ['crear', ratingId],
        ['editar', ratingId],
        ['editar', null],
        ['eliminar', null],
      ],
    );
    assert.ok(rows.every((row) => row.usuario_email === admin.email && row.usuario_id === adminId && row.creado_en));
    assert.equal(rows[0]?.despues?.valor, 'PAGADO');
    assert.equal(rows[3]?.antes?.definicion, 'Cuota pagada.', 'the history keeps what a removed entry said');
  });

  test('export then import changes nothing; an import with one bad item saves none of it', async () => {
    const exported = await ok<Record<string, unknown>[]>(await get(`${BASE}/exportar`));
    assert.equal(exported.length, await count());
    assert.deepEqual(Object.keys(exported[0] ?? {}), [
      'palabra',
      'definicion',
      'categoria',
      'tabla_relacionada',
      'campo_relacionado',
      'valor',
      'condicion_sql',
      'expresion_sql',
      'sinonimos',
      'ejemplos_uso',
      'activo',
    ]);
    assert.deepEqual(await ok(await get(`${BASE}/exportar`)), exported, 'a stable order');
    const history = () => count("SELECT count(*)::int AS n FROM ai_historial_cambios WHERE accion = 'importar'");

    const roundTrip = await ok<Record<string, number>>(await call('POST', `${BASE}/importar`, exported));
    assert.deepEqual(roundTrip, { total: exported.length, creadas: 0, actualizadas: 0, sin_cambios: exported.length });
    assert.equal(await history(), 0);

    const before = await count();
    const bad = [
      { palabra: 'préstamo moroso grave', definicion: 'Nuevo y válido.' },
      { palabra: 'cuota rara', definicion: 'Mala.', tabla_relacionada: 'cuotas', campo_relacionado: 'no_existe' },
      { definicion: 'Sin palabra.' },
    ];
    const message = await expectError(await call('POST', `${BASE}/importar`, { entradas: bad }), 400, 'INVALID_INPUT');
    assert.match(message, /no se guardó/);
    assert.match(message, /entrada 2 «cuota rara»: La columna «no_existe»/);
    assert.match(message, /entrada 3: palabra/);
    assert.doesNotMatch(message, /entrada 1/);
    assert.equal(await count(), before, 'the valid item was not saved either');

    const live = exported.find((entry) => entry.palabra === 'préstamo vivo');
    assert.ok(live);
    const changed = [
      ...exported.filter((entry) => entry !== live),
      { ...live, palabra: 'PRÉSTAMO VIVO', definicion: 'Definición importada.' },
      {
        palabra: 'cliente inactivo',
        definicion: 'Cliente INACTIVO.',
        tabla_relacionada: 'clientes',
        campo_relacionado: 'estado',
        valor: 'inactivo',
      },
    ];
    const imported = await ok<Record<string, number>>(await call('POST', `${BASE}/importar`, { entradas: changed }));
    assert.deepEqual(imported, { total: changed.length, creadas: 1, actualizadas: 1, sin_cambios: changed.length - 2 });
    assert.equal((await entryNamed('préstamo vivo')).definicion, 'Definición importada.');
    assert.equal((await entryNamed('cliente inactivo')).valor, 'INACTIVO');
    assert.equal(await history(), 2, 'one history row per created or updated entry');

    await expectError(await call('POST', `${BASE}/importar`, { otra: 1 }), 400, 'INVALID_INPUT');
  });

  test('Mejorar con IA (local) proposes a column and value, or asks which one, and saves nothing', async () => {
    const before = await count();
    const history = await count('SELECT count(*)::int AS n FROM ai_historial_cambios');
    const improve = async (body: unknown) => ok<Improvement>(await call('POST', `${BASE}/mejorar`, body));

    const vigente = await improve({ palabra: 'préstamo vigente' });
    assert.equal(vigente.modelo, 'local-diccionario-v1');
    assert.equal(vigente.valida, true, JSON.stringify(vigente));
    assert.equal(vigente.pregunta_aclaratoria, null);
    assert.deepEqual(
      [vigente.propuesta?.tabla_relacionada, vigente.propuesta?.campo_relacionado, vigente.propuesta?.valor],
      ['prestamos', 'estado', 'APROBADO'],
    );
    assert.ok(vigente.propuesta?.sinonimos.includes('préstamos vigentes'));
    assert.match(vigente.explicacion, /préstamo activo/);

    const unknown = await improve({ palabra: 'préstamo durmiente' });
    assert.equal(unknown.propuesta, null);
    assert.match(
      unknown.pregunta_aclaratoria ?? '',
      /^¿«préstamo durmiente» se refiere a un valor de prestamos\.estado/,
    );
    assert.match(unknown.explicacion, /No encontré/);

    const explained = await improve({ palabra: 'préstamo durmiente', contexto: 'Es un préstamo RECHAZADO.' });
    assert.deepEqual([explained.propuesta?.campo_relacionado, explained.propuesta?.valor], ['estado', 'RECHAZADO']);

    const tie = await improve({ palabra: 'finalizados' });
    assert.equal(tie.propuesta, null);
    assert.match(
      tie.pregunta_aclaratoria ?? '',
      /clientes\.estado = FINALIZADO.* o a .*prestamos\.estado = FINALIZADO|prestamos.*o a.*clientes/,
    );

    const stored = await entryNamed('préstamo vivo');
    const existing = await improve({ id: stored.id });
    assert.equal(existing.entrada_id, stored.id);
    assert.equal(existing.propuesta?.valor, 'APROBADO', 'an entry with a meaning keeps it');

    await expectError(
      await call('POST', `${BASE}/mejorar`, {}),
      400,
      'INVALID_INPUT',
      /id de una entrada o una palabra/,
    );
    await expectError(await call('POST', `${BASE}/mejorar`, { id: 999999 }), 404, 'NOT_FOUND');
    assert.equal(await count(), before, 'nothing saved');
    assert.equal(await count('SELECT count(*)::int AS n FROM ai_historial_cambios'), history);
  });
});

describe('HTTP API: Mejorar con IA through an OpenAI-compatible model', () => {
  const MODEL = 'modelo-diccionario-prueba';
  let dataDir: string;
  let server: OpenAiServer;
  let app: App;
  let token = '';
  let replies: string[];

  const improve = async (body: unknown) => {
    const response = await app.request(`${BASE}/mejorar`, jsonRequest('POST', body, token));
    return ok<Improvement>(response);
  };
  const count = async () =>
    (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_diccionario_semantico')).rows[0]?.n;
  const lastUser = (request: ChatRequest | undefined) =>
    [...(request?.messages ?? [])].reverse().find((message) => message.role === 'user')?.content ?? '';

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-diccionario-llm-'));
    server = await startOpenAiServer({ chat: () => replies.shift() ?? '{}' });
    const chat = createOpenAiChatProvider({
      apiKey: 'sk-prueba',
      baseUrl: server.baseUrl,
      modelo: MODEL,
      maxRetries: 0,
    });
    app = createApp({ db: database.db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }), chat });
    token = await login(app, admin);
  });
  beforeEach(() => {
    server.chatRequests.length = 0;
    replies = [];
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const proposal = (changes: Record<string, unknown>) =>
    JSON.stringify({
      propuesta: {
        definicion: 'Préstamo que se está pagando (según el modelo).',
        categoria: 'filtro',
        tabla_relacionada: 'prestamos',
        campo_relacionado: 'estado',
        valor: 'APROBADO',
        condicion_sql: null,
        sinonimos: ['préstamos corrientes'],
        ejemplos_uso: ['¿Cuántos préstamos corrientes hay?'],
        ...changes,
      },
      pregunta_aclaratoria: null,
      explicacion: 'Corriente equivale a APROBADO.',
    });

  test("uses the model's JSON, sent with the field definitions, and saves nothing", async () => {
    const before = await count();
    replies = [proposal({})];
    const result = await improve({ palabra: 'préstamo corriente', contexto: 'los que se están pagando' });
    assert.equal(result.modelo, MODEL);
    assert.equal(result.valida, true, JSON.stringify(result));
    assert.equal(result.propuesta?.definicion, 'Préstamo que se está pagando (según el modelo).');
    assert.equal(result.propuesta?.valor, 'APROBADO');
    assert.equal(result.explicacion, 'Corriente equivale a APROBADO.');
    assert.equal(server.chatRequests.length, 1);
    const sent = lastUser(server.chatRequests[0]);
    assert.match(sent, /préstamo corriente/);
    assert.match(sent, /los que se están pagando/);
    assert.match(sent, /"EN_REVISION"/, 'the possible values of prestamos.estado go with the request');
    assert.ok(server.chatRequests[0]?.response_format, 'JSON mode');
    assert.equal(await count(), before);
  });

  test('a proposal with invalid SQL is repaired once, then reported as invalid and never saved', async () => {
    const before = await count();
    const dangerous = proposal({ valor: null, condicion_sql: "prestamos.estado = 'APROBADO'; DROP TABLE clientes" });
    replies = [dangerous, dangerous];
    const result = await improve({ palabra: 'préstamo corriente' });
    assert.equal(result.valida, false);
    assert.equal(result.problemas.length, 1);
    assert.match(result.problemas[0] ?? '', /«;»/);
    assert.match(result.explicacion, /no es válida/);
    assert.equal(server.chatRequests.length, 2, 'one repair attempt');
    assert.match(lastUser(server.chatRequests[1]), /rechazada/);
    assert.equal(await count(), before);

    replies = [proposal({ valor: 'VIVO' }), proposal({})];
    const repaired = await improve({ palabra: 'préstamo corriente' });
    assert.equal(repaired.valida, true, 'the repaired proposal is used');
    assert.equal(repaired.propuesta?.valor, 'APROBADO');
  });

  test('the model may ask one clarifying question instead', async () => {
    replies = [
      JSON.stringify({
        propuesta: null,
        pregunta_aclaratoria: '¿Corriente significa APROBADO o también EN_REVISION?',
        explicacion: 'Es ambiguo.',
      }),
    ];
    const result = await improve({ palabra: 'préstamo corriente' });
    assert.equal(result.propuesta, null);
    assert.equal(result.pregunta_aclaratoria, '¿Corriente significa APROBADO o también EN_REVISION?');
    replies = ['esto no es JSON', 'tampoco'];
    const broken = await improve({ palabra: 'préstamo corriente' });
    assert.equal(broken.valida, false);
    assert.match(broken.problemas.join(' '), /JSON/);
  });
});
