import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startOpenAiServer, type OpenAiServer, type OpenAiServerOptions } from '../../../test/support/openai-server.ts';
import { AppError } from '../../errors.ts';
import type { ChatMessage } from './chat-provider.ts';
import { chatProviderFromConfig, createOpenAiChatProvider } from './openai-chat-provider.ts';

const API_KEY = 'sk-test-chat-8d3a61f0';
const messages: ChatMessage[] = [
  { role: 'system', content: 'Eres el asistente de RAPICREDIT.' },
  { role: 'user', content: '¿Cuál es mi saldo?' },
];

const servers: OpenAiServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function startServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const server = await startOpenAiServer(options);
  servers.push(server);
  return server;
}

function assertUpstream(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'UPSTREAM');
    assert.match(error.message, pattern);
    assert.ok(!error.message.includes(API_KEY));
    assert.ok(!JSON.stringify(error.details ?? null).includes(API_KEY));
    return true;
  };
}

test('a completion returns the text, the answering model and the total tokens', async () => {
  const server = await startServer({ chat: () => 'Su saldo es de 1.200 bolívares.' });
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

  const completion = await provider.complete(messages, { temperature: 0.2 });

  // Prompt: 5 + 4 words; answer: 6 words (the in-test server counts words as tokens).
  assert.deepEqual(completion, { texto: 'Su saldo es de 1.200 bolívares.', modelo: 'modelo-prueba', tokens: 15 });
  assert.equal(provider.modelo, 'modelo-prueba');
  assert.equal(server.chatRequests.length, 1);
  assert.equal(server.chatRequests[0]?.model, 'modelo-prueba');
  assert.deepEqual(server.chatRequests[0]?.messages, messages);
  assert.equal(server.chatRequests[0]?.temperature, 0.2);
  assert.equal(server.chatRequests[0]?.response_format, undefined);
});

test('json mode asks for a JSON object', async () => {
  const server = await startServer();
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

  const completion = await provider.complete(messages, { json: true });

  assert.deepEqual(server.chatRequests[0]?.response_format, { type: 'json_object' });
  assert.deepEqual(JSON.parse(completion.texto), { respuesta: '¿Cuál es mi saldo?' });
});

test('missing usage counts as 0 tokens', async () => {
  const server = await startServer({
    chat: (request) => ({
      status: 200,
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 0,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'hola' }, finish_reason: 'stop' }],
      },
    }),
  });
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

  assert.deepEqual(await provider.complete(messages), { texto: 'hola', modelo: 'modelo-prueba', tokens: 0 });
});

for (const status of [400, 401]) {
  test(`${status} is not retried and the Spanish error never shows the API key`, async () => {
    const server = await startServer({
      chat: () => ({
        status,
        body: { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error' } },
      }),
    });
    const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

    await assert.rejects(
      provider.complete(messages),
      assertUpstream(
        status === 401
          ? /^El proveedor de chat rechazó la clave \(401\); revise OPENAI_API_KEY\.$/
          : /^El proveedor de chat rechazó la petición \(400\)\.$/,
      ),
    );
    assert.equal(server.chatRequests.length, 1);
  });
}

test('a 500 is retried and the next answer is used', async () => {
  const server = await startServer({
    chat: () =>
      server.chatRequests.length === 1
        ? {
            status: 500,
            body: { error: { message: 'boom', type: 'server_error' } },
            headers: { 'retry-after-ms': '10' },
          }
        : 'Ya funciona.',
  });
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

  assert.equal((await provider.complete(messages)).texto, 'Ya funciona.');
  assert.equal(server.chatRequests.length, 2);
});

test('a server that keeps failing gives up after 2 retries', async () => {
  const server = await startServer({
    chat: () => ({ status: 503, body: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '1' } }),
  });
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });

  await assert.rejects(provider.complete(messages), assertUpstream(/estado 503: error interno del servicio/));
  assert.equal(server.chatRequests.length, 3);
});

test('a hung server gives the Spanish timeout error', async () => {
  const server = await startServer({ chat: () => new Promise<never>(() => {}) });
  const provider = createOpenAiChatProvider({
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
    modelo: 'modelo-prueba',
    timeoutMs: 50,
    maxRetries: 0,
  });

  await assert.rejects(provider.complete(messages), assertUpstream(/^El proveedor de chat no respondió a tiempo\.$/));
});

test('a cancelled request is not reported as an upstream failure', async () => {
  const server = await startServer({ chat: () => new Promise<never>(() => {}) });
  const provider = createOpenAiChatProvider({ apiKey: API_KEY, baseUrl: server.baseUrl, modelo: 'modelo-prueba' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);

  await assert.rejects(provider.complete(messages, { signal: controller.signal }), (error: unknown) => {
    assert.ok(!(error instanceof AppError));
    return true;
  });
  assert.equal(server.chatRequests.length, 1);
});

test('an unreachable server is a Spanish connection error', async () => {
  const server = await startOpenAiServer();
  await server.close();
  const provider = createOpenAiChatProvider({
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
    modelo: 'modelo-prueba',
    maxRetries: 0,
  });

  await assert.rejects(provider.complete(messages), assertUpstream(/^No se pudo conectar con el proveedor de chat\.$/));
});

test('chatProviderFromConfig: none for local, an OpenAI-compatible provider for openai', async () => {
  assert.equal(chatProviderFromConfig({ proveedor: 'local', modelo: 'gpt-4o-mini', apiKey: API_KEY }), undefined);
  const server = await startServer({ chat: () => 'configurado' });
  const provider = chatProviderFromConfig({
    proveedor: 'openai',
    modelo: 'llama3.1',
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
  });
  assert.equal(provider?.modelo, 'llama3.1');
  assert.equal((await provider?.complete(messages))?.texto, 'configurado');
});
