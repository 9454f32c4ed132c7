import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { loadScript } from '../../src/db/load-script.ts';
import { createApp } from '../../src/http/index.ts';
import { answerQuestion, type ChatAnswer } from '../../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { cliActor, correctConversation } from '../../src/modules/learning/index.ts';
import { type ChatProvider, createOpenAiChatProvider } from '../../src/modules/llm/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import {
  type ChatReplyOverride,
  type ChatRequest,
  type OpenAiServer,
  startOpenAiServer,
} from '../support/openai-server.ts';

const EVALUATION_BOOK = new URL('../../../shared/eval/libro-evaluacion.sql', import.meta.url);
const MODEL = 'modelo-de-prueba';
const API_KEY = 'sk-prueba-secreta-123';
const ACTIVE_SQL = "SELECT COUNT(*) AS n FROM prestamos WHERE estado = 'APROBADO'";
const embeddings = createLocalEmbeddingProvider();

interface StoredConversation {
  respuesta: string;
  contexto_usado: Record<string, unknown>;
  modelo_usado: string;
  tokens_usados: number;
  calificacion: number | null;
}

type Reply = string | ChatReplyOverride;

/** A SQL request asks for JSON; the prose request (the answer written from the rows) does not. */
const isSqlRequest = (request: ChatRequest) => request.response_format !== undefined;
const lastUserMessage = (request: ChatRequest) =>
  [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
const systemPrompt = (request: ChatRequest | undefined) =>
  request?.messages.find((message) => message.role === 'system')?.content ?? '';
/** Whitespace-separated words, as the in-test server counts tokens. */
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The prose a model writes from the rows it is given: it repeats the first row. */
function proseFromRows(request: ChatRequest): string {
  const firstRow = /Filas \(\d+[^)]*\):\n(.*)/.exec(lastUserMessage(request))?.[1] ?? '(sin filas)';
  return `Según la consulta, el resultado es ${firstRow}.`;
}

describe('answers through an OpenAI-compatible chat model (evaluation loan book)', () => {
  let database: TestDatabase;
  let server: OpenAiServer;
  let chat: ChatProvider;
  /** Replies to the SQL requests, in order; the prose request is answered from the rows. */
  let sqlReplies: Reply[];
  const sent: { request: ChatRequest; reply: string }[] = [];

  const ask = (pregunta: string, provider: ChatProvider = chat): Promise<ChatAnswer> =>
    answerQuestion({ db: database.db, embeddings, chat: provider }, { pregunta });

  async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
    const { rows } = await database.db.query<{ value: T }>(sql, params);
    return (rows[0] as { value: T }).value;
  }

  async function stored(id: number): Promise<StoredConversation> {
    const { rows } = await database.db.query<StoredConversation>(
      'SELECT respuesta, contexto_usado, modelo_usado, tokens_usados, calificacion FROM conversaciones_ai WHERE id = $1',
      [id],
    );
    assert.ok(rows[0], `conversation ${id} stored`);
    return rows[0];
  }

  const sqlRequests = () => server.chatRequests.filter(isSqlRequest);
  const clientCount = () => one<number>('SELECT count(*)::int AS value FROM clientes');

  before(async () => {
    database = await openTestDatabase();
    await loadScript(database.db, readFileSync(EVALUATION_BOOK, 'utf8'));
    server = await startOpenAiServer({
      chat: (request) => {
        const reply = isSqlRequest(request) ? (sqlReplies.shift() ?? '{"sql": null}') : proseFromRows(request);
        if (typeof reply === 'string') sent.push({ request, reply });
        return reply;
      },
    });
    chat = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: MODEL, maxRetries: 0 });
  });
  beforeEach(() => {
    server.chatRequests.length = 0;
    sent.length = 0;
    sqlReplies = [];
  });
  after(async () => {
    await server.close();
    await database.close();
  });

  test('the model writes the SQL from field definitions and the dictionary, and the prose from the rows', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rc-chat-llm-'));
    try {
      const app = createApp({ db: database.db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }), chat });
      const user = { email: 'analista.llm@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
      await createUser({ db: database.db, input: user });
      const login = await app.request('/api/v1/auth/login', {
        method: 'POST',
        body: JSON.stringify({ ...user, tipo: 'bearer' }),
        headers: { 'content-type': 'application/json' },
      });
      const { token } = (await login.json()) as { token: string };
      sqlReplies = [JSON.stringify({ sql: ACTIVE_SQL })];
      const response = await app.request('/api/v1/ai/chat', {
        method: 'POST',
        body: JSON.stringify({ pregunta: '¿Cuántos préstamos activos hay?' }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200, await response.clone().text());
      const answer = (await response.json()) as ChatAnswer;

      const active = await one<number>("SELECT count(*)::int AS value FROM prestamos WHERE estado = 'APROBADO'");
      assert.equal(answer.ruta, 'base_datos');
      assert.equal(answer.sql, ACTIVE_SQL);
      assert.deepEqual(answer.columnas, ['n']);
      assert.deepEqual(answer.filas, [[active]]);
      assert.equal(answer.respuesta, `Según la consulta, el resultado es [${active}].`, 'the prose is the model’s');
      assert.equal(answer.modelo_usado, MODEL);

      assert.equal(server.chatRequests.length, 2, 'one SQL request, one prose request');
      const [sqlRequest, proseRequest] = server.chatRequests;
      assert.equal(sqlRequest?.model, MODEL);
      assert.deepEqual(sqlRequest?.response_format, { type: 'json_object' });
      assert.equal(lastUserMessage(sqlRequest as ChatRequest), '¿Cuántos préstamos activos hay?');
      const prompt = systemPrompt(sqlRequest);
      const field = await database.db.query<{ campo: string; definicion: string }>(
        "SELECT campo, definicion FROM ai_definiciones_campos WHERE tabla = 'prestamos' AND campo = 'estado' AND activo",
      );
      assert.ok(field.rows[0]);
      assert.ok(prompt.includes(`estado text: ${field.rows[0].definicion}`), 'the field definition is in the prompt');
      const term = await database.db.query<{ definicion: string; condicion_sql: string }>(
        "SELECT definicion, condicion_sql FROM ai_diccionario_semantico WHERE palabra = 'préstamo activo'",
      );
      assert.ok(term.rows[0]);
      assert.ok(
        prompt.includes(`- préstamo activo (${term.rows[0].definicion}) condición: ${term.rows[0].condicion_sql}`),
        'the dictionary definition of «préstamo activo» is in the prompt',
      );
      assert.ok(lastUserMessage(proseRequest as ChatRequest).includes(`[${active}]`), 'the prose request has the rows');

      const billed = sent.reduce(
        (sum, { request, reply }) =>
          sum + request.messages.reduce((words, message) => words + wordCount(message.content), 0) + wordCount(reply),
        0,
      );
      assert.equal(answer.tokens_usados, billed, 'the tokens the server reported for both requests');
      assert.ok(billed > 0);
      const row = await stored(answer.conversacion_id);
      assert.equal(row.modelo_usado, MODEL);
      assert.equal(row.tokens_usados, billed);
      assert.equal(row.contexto_usado.motor, 'llm');
      assert.equal(row.contexto_usado.sql, ACTIVE_SQL);
      assert.equal(row.contexto_usado.intentos, 1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a DELETE proposed by the model is rejected, repaired once with the guard error, and nothing is deleted', async () => {
    const clients = await clientCount();
    sqlReplies = [
      JSON.stringify({ sql: 'DELETE FROM clientes' }),
      JSON.stringify({ sql: 'SELECT COUNT(*) AS n FROM clientes' }),
    ];
    const answer = await ask('¿Cuántos clientes hay?');
    assert.equal(await clientCount(), clients, 'no client was deleted');
    const requests = sqlRequests();
    assert.equal(requests.length, 2, 'the first SQL and one repair');
    const repair = requests[1] as ChatRequest;
    assert.deepEqual(
      repair.messages.slice(-2).map((message) => message.role),
      ['assistant', 'user'],
    );
    assert.equal(repair.messages.at(-2)?.content, JSON.stringify({ sql: 'DELETE FROM clientes' }));
    assert.match(lastUserMessage(repair), /^La consulta fue rechazada: Solo se permiten consultas de lectura/);
    assert.match(lastUserMessage(repair), /DELETE/);
    assert.equal(answer.sql, 'SELECT COUNT(*) AS n FROM clientes');
    assert.deepEqual(answer.filas, [[clients]]);
    assert.equal((await stored(answer.conversacion_id)).contexto_usado.intentos, 2);
  });

  test('two hostile queries in a row: a Spanish explanation, no rows, the error stored, no stack trace', async () => {
    sqlReplies = [
      JSON.stringify({ sql: 'SELECT email, password_hash FROM users' }),
      JSON.stringify({ sql: 'SELECT pg_sleep(5)' }),
    ];
    const started = performance.now();
    // Nothing in this question maps to the loan book, so only the model could have answered it.
    const answer = await ask('dame los datos de todos');
    assert.ok(performance.now() - started < 4000, 'pg_sleep never ran');
    assert.equal(sqlRequests().length, 2);
    assert.match(lastUserMessage(sqlRequests()[1] as ChatRequest), /La consulta fue rechazada: .*password_hash/);
    assert.match(answer.respuesta, /^No pude obtener una consulta válida: /);
    assert.match(answer.respuesta, /pg_sleep/);
    assert.doesNotMatch(answer.respuesta, /\bat .+:\d+:\d+|Error:|node_modules|\.ts\b/, 'no stack trace');
    assert.deepEqual(answer.filas, []);
    assert.deepEqual(answer.columnas, []);
    const hashes = await database.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    for (const { password_hash } of hashes.rows) assert.ok(!answer.respuesta.includes(password_hash));
    const row = await stored(answer.conversacion_id);
    assert.equal(typeof row.contexto_usado.error, 'string');
    assert.match(String(row.contexto_usado.error), /pg_sleep/);
    assert.deepEqual(row.contexto_usado.muestra_filas, []);
    assert.equal(row.modelo_usado, MODEL);
    assert.ok(row.tokens_usados > 0);
  });

  test('when the model fails on a question the local engine understands, the local answer is given and the attempt kept', async () => {
    sqlReplies = [
      JSON.stringify({ sql: 'SELECT email, password_hash FROM users' }),
      JSON.stringify({ sql: 'SELECT pg_sleep(5)' }),
    ];
    const clients = await clientCount();
    const answer = await ask('¿Cuántos clientes hay?');
    assert.equal(answer.ruta, 'base_datos');
    assert.deepEqual(answer.filas, [[clients]]);
    assert.equal(answer.modelo_usado, 'local-semantico-v1');
    assert.ok(answer.tokens_usados > 0, 'the tokens the model spent are still counted');
    const row = await stored(answer.conversacion_id);
    const attempt = row.contexto_usado.intento_modelo as { modelo: string; error: string; intentos: number };
    assert.equal(attempt.modelo, MODEL);
    assert.equal(attempt.intentos, 2);
    assert.match(attempt.error, /pg_sleep/);
  });

  test('a reply that is not the JSON asked for is repaired, not taken as a refusal', async () => {
    sqlReplies = ['Claro, aquí tiene la consulta que cuenta los clientes.', 'Sigo sin escribir JSON.'];
    const answer = await ask('¿Cuántos clientes hay?');
    assert.equal(sqlRequests().length, 2);
    assert.match(lastUserMessage(sqlRequests()[1] as ChatRequest), /no es el JSON pedido/);
    assert.equal(answer.ruta, 'base_datos');
    assert.deepEqual(answer.filas, [[await clientCount()]], 'the local engine answered');
    assert.doesNotMatch(answer.respuesta, /No puedo responder/);
  });

  test('a conversation rated 5 becomes a few-shot example for a similar question; one rated 2 does not', async () => {
    const local = (pregunta: string) => answerQuestion({ db: database.db, embeddings }, { pregunta });
    const good = await local('¿Cuántos préstamos activos tiene la cartera?');
    const bad = await local('¿Cuántos préstamos finalizados tiene la cartera?');
    const withCedula = await local('¿Cuántas cuotas vencidas tiene el cliente V11034041?');
    await database.db.query('UPDATE conversaciones_ai SET calificacion = 5 WHERE id = ANY($1)', [
      [good.conversacion_id, withCedula.conversacion_id],
    ]);
    await database.db.query('UPDATE conversaciones_ai SET calificacion = 2 WHERE id = $1', [bad.conversacion_id]);

    sqlReplies = [JSON.stringify({ sql: ACTIVE_SQL })];
    const answer = await ask('¿cuántos préstamos activos quedan en la cartera?');
    const prompt = systemPrompt(sqlRequests()[0]);
    assert.ok(
      prompt.includes(`Ejemplos aprobados:\nP: ${good.pregunta}\nSQL: ${good.sql}`),
      'the well-rated question and its SQL are in the prompt',
    );
    assert.ok(!prompt.includes(bad.pregunta), 'a poorly rated conversation is no example');
    const row = await stored(answer.conversacion_id);
    assert.ok((row.contexto_usado.ejemplos as number[]).includes(good.conversacion_id));
    assert.ok(!(row.contexto_usado.ejemplos as number[]).includes(bad.conversacion_id));

    // An example whose SQL ran with parameters shows their values: the model's SQL has none.
    const otherCedula = await one<string>("SELECT cedula AS value FROM clientes WHERE cedula <> 'V11034041' LIMIT 1");
    sqlReplies = [JSON.stringify({ sql: 'SELECT COUNT(*) AS n FROM cuotas' })];
    await ask(`¿Cuántas cuotas vencidas tiene el cliente ${otherCedula}?`);
    const withValues = systemPrompt(sqlRequests().at(-1));
    assert.ok(withValues.includes(`P: ${withCedula.pregunta}\nSQL: `), 'the rated cédula question is an example');
    const exampleSql = withValues.split(`P: ${withCedula.pregunta}\nSQL: `)[1]?.split('\n\n')[0] ?? '';
    assert.match(exampleSql, /'V11034041'/);
    assert.doesNotMatch(exampleSql, /\$\d/);
  });

  test('a verified correction answers its question without the model and is its first example for others', async () => {
    const admin = await cliActor(database.db, undefined);
    const local = await answerQuestion({ db: database.db, embeddings }, { pregunta: '¿Cuántos préstamos vivos hay?' });
    const corrected = "SELECT count(*) AS prestamos_vivos FROM prestamos WHERE estado = 'APROBADO'";
    await correctConversation(database.db, admin, local.conversacion_id, { sql: corrected });
    const active = await one<number>("SELECT count(*)::int AS value FROM prestamos WHERE estado = 'APROBADO'");

    const before = server.chatRequests.length;
    const same = await ask('¿Cuántos créditos vivos tenemos?');
    assert.equal(server.chatRequests.length, before, 'the model was not asked');
    assert.equal(same.modelo_usado, 'ejemplo-verificado');
    assert.deepEqual(same.filas, [[active]]);

    sqlReplies = [
      JSON.stringify({ sql: "SELECT count(*) AS n FROM prestamos WHERE estado = 'APROBADO' AND producto = 'MOTO'" }),
    ];
    await ask('¿Cuántos préstamos vivos de motos hay?');
    const prompt = systemPrompt(sqlRequests().at(-1));
    const examples = prompt.split('Ejemplos aprobados:\n')[1] ?? '';
    assert.ok(
      examples.startsWith(`P: ¿Cuántos préstamos vivos hay?\nSQL: ${corrected}`),
      `the correction is the first example:\n${examples.slice(0, 300)}`,
    );
  });

  for (const status of [500, 401]) {
    test(`a ${status} from the chat server falls back to the local engine, with a note`, async () => {
      sqlReplies = [
        {
          status,
          body: { error: { message: `Fallo de prueba con la clave ${API_KEY}`, type: 'server_error', code: null } },
        },
      ];
      const answer = await ask('¿Cuántos préstamos activos hay?');
      const active = await one<number>("SELECT count(*)::int AS value FROM prestamos WHERE estado = 'APROBADO'");
      assert.equal(server.chatRequests.length, 1);
      assert.equal(answer.ruta, 'base_datos');
      assert.deepEqual(answer.filas, [[active]]);
      assert.equal(answer.modelo_usado, 'local-semantico-v1');
      assert.equal(answer.tokens_usados, 0);
      assert.match(answer.respuesta, new RegExp(`^${active} préstamos`));
      assert.match(
        answer.respuesta,
        new RegExp(`El modelo de lenguaje no respondió \\(.*${status}.*\\); respondí con el motor local\\.$`),
      );
      assert.ok(!answer.respuesta.includes(API_KEY), 'the key is never shown');
      const row = await stored(answer.conversacion_id);
      assert.equal(row.respuesta, answer.respuesta);
      assert.equal(row.contexto_usado.motor, 'local');
    });
  }

  test('with the model down, an unanswerable question still says the model did not respond', async () => {
    sqlReplies = [{ status: 503, body: { error: { message: 'no disponible', type: 'server_error' } } }];
    const answer = await ask('dame los datos de todos');
    assert.equal(answer.ruta, 'ninguna');
    assert.match(answer.respuesta, /^No puedo responder esa pregunta/);
    assert.match(answer.respuesta, /El modelo de lenguaje no respondió \(.*503.*\)/);
  });
});
