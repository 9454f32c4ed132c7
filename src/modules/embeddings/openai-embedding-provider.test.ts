import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { AppError } from '../../errors.ts';
import { createOpenAiEmbeddingProvider } from './openai-embedding-provider.ts';

const API_KEY = 'sk-test-4f9c2b7e1d';

interface EmbeddingRequest {
  headers: IncomingHttpHeaders;
  body: { model: string; input: string[]; encoding_format?: string; dimensions?: number };
}

type Reply = (request: EmbeddingRequest, response: ServerResponse, attempt: number) => void;

/** A vector that identifies its text, so tests can tell whether the order was kept. */
function vectorFor(text: string, length: number): number[] {
  return Array.from({ length }, (_, position) => (position === 0 ? Number(text.replace(/\D/g, '') || 0) : position));
}

/** Answers like OpenAI's POST /v1/embeddings: `dimensions` if asked, else 3 numbers per input. */
function answerEmbeddings(
  request: EmbeddingRequest,
  response: ServerResponse,
  options: { length?: number; shuffle?: boolean } = {},
): void {
  const length = options.length ?? request.body.dimensions ?? 3;
  const data = request.body.input.map((text, index) => ({
    object: 'embedding',
    index,
    embedding: vectorFor(text, length),
  }));
  if (options.shuffle)
    data.sort((left, right) => ((left.index * 7) % 5) - ((right.index * 7) % 5) || right.index - left.index);
  sendJson(response, 200, {
    object: 'list',
    data,
    model: request.body.model,
    usage: { prompt_tokens: data.length, total_tokens: data.length },
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const servers: Array<{ close: () => void }> = [];
after(() => servers.forEach((server) => server.close()));

/** An in-test OpenAI-compatible server; `reply` decides each answer, `requests` records what arrived. */
async function startServer(reply: Reply = (request, response) => answerEmbeddings(request, response)) {
  const requests: EmbeddingRequest[] = [];
  const server = createServer((incoming, response) => {
    let raw = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => (raw += chunk));
    incoming.on('end', () => {
      if (incoming.method !== 'POST' || incoming.url !== '/v1/embeddings') {
        sendJson(response, 404, { error: { message: 'not found' } });
        return;
      }
      const request: EmbeddingRequest = { headers: incoming.headers, body: JSON.parse(raw) };
      requests.push(request);
      reply(request, response, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, port, requests };
}

test('batches inputs and keeps their order even when the server shuffles the answer', async () => {
  const server = await startServer((request, response) => answerEmbeddings(request, response, { shuffle: true }));
  const provider = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    model: 'test-embedding',
    dimensions: 3,
  });
  const texts = Array.from({ length: 150 }, (_, index) => `texto ${index}`);

  const vectors = await provider.embedDocuments(texts);

  assert.deepEqual(
    server.requests.map((request) => request.body.input.length),
    [64, 64, 22],
  );
  assert.deepEqual(
    vectors.map((vector) => vector[0]),
    texts.map((_, index) => index),
  );
  assert.equal(server.requests[0]?.headers.authorization, `Bearer ${API_KEY}`);
  assert.equal(server.requests[0]?.body.encoding_format, 'float');
  assert.equal(server.requests[0]?.body.dimensions, 3);
  assert.equal(provider.dimensions, 3);
  assert.equal(provider.model, `127.0.0.1:${server.port}:test-embedding@3`);
  assert.deepEqual(await provider.embedDocuments([]), []);
});

test('a model of unknown size is probed once; its native size is not requested', async () => {
  const server = await startServer((request, response) => answerEmbeddings(request, response, { length: 5 }));
  const provider = await createOpenAiEmbeddingProvider({ apiKey: API_KEY, baseURL: server.baseURL, model: 'nomic' });

  assert.equal(provider.dimensions, 5);
  assert.equal(provider.model, `127.0.0.1:${server.port}:nomic`);
  assert.equal(server.requests.length, 1);
  assert.deepEqual(await provider.embedQuery('consulta 42'), [42, 1, 2, 3, 4]);
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1]?.body.dimensions, undefined);
});

test("OpenAI's own models need no probe and get a stable id", async () => {
  const provider = await createOpenAiEmbeddingProvider({ apiKey: API_KEY, model: 'text-embedding-3-small' });
  assert.equal(provider.model, 'openai:text-embedding-3-small');
  assert.equal(provider.dimensions, 1536);
  const shortened = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    model: 'text-embedding-3-large',
    dimensions: 256,
  });
  assert.equal(shortened.model, 'openai:text-embedding-3-large@256');
  assert.equal(shortened.dimensions, 256);
});

for (const status of [429, 500]) {
  test(`retries after ${status} and then succeeds`, async () => {
    const server = await startServer((request, response, attempt) => {
      if (attempt === 1) sendJson(response, status, { error: { message: 'busy' } }, { 'retry-after-ms': '10' });
      else answerEmbeddings(request, response);
    });
    const provider = await createOpenAiEmbeddingProvider({
      apiKey: API_KEY,
      baseURL: server.baseURL,
      model: 'test-embedding',
      dimensions: 3,
    });

    assert.deepEqual(await provider.embedQuery('pregunta 7'), [7, 1, 2]);
    assert.equal(server.requests.length, 2);
  });
}

test('gives up after maxRetries with a Spanish UPSTREAM error', async () => {
  const server = await startServer((_request, response) =>
    sendJson(response, 503, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1' }),
  );
  const provider = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    model: 'test-embedding',
    dimensions: 3,
    maxRetries: 2,
  });

  await assert.rejects(provider.embedQuery('hola'), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'UPSTREAM');
    assert.match(error.message, /respondió con el estado 503/);
    return true;
  });
  assert.equal(server.requests.length, 3);
});

for (const status of [400, 401]) {
  test(`does not retry ${status} and never shows the API key`, async () => {
    const server = await startServer((_request, response) =>
      sendJson(response, status, { error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid' } }),
    );
    const provider = await createOpenAiEmbeddingProvider({
      apiKey: API_KEY,
      baseURL: server.baseURL,
      model: 'test-embedding',
      dimensions: 3,
    });

    await assert.rejects(provider.embedDocuments(['uno', 'dos']), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'UPSTREAM');
      assert.match(error.message, new RegExp(`^El servicio de embeddings respondió con el estado ${status}`));
      assert.ok(!error.message.includes(API_KEY));
      assert.ok(!JSON.stringify(error.details).includes(API_KEY));
      return true;
    });
    assert.equal(server.requests.length, 1);
  });
}

test('a vector of the wrong length is rejected', async () => {
  const server = await startServer((request, response) => answerEmbeddings(request, response, { length: 2 }));
  const provider = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    model: 'test-embedding',
    dimensions: 3,
  });

  await assert.rejects(provider.embedDocuments(['a', 'b']), {
    code: 'UPSTREAM',
    message: 'El servicio de embeddings devolvió un vector de 2 dimensiones; se esperaban 3.',
  });
});

test('missing vectors in the answer are rejected', async () => {
  const server = await startServer((request, response) => {
    const embedding = vectorFor(request.body.input[0] ?? '', 3);
    sendJson(response, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding }], model: 'x' });
  });
  const provider = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    baseURL: server.baseURL,
    model: 'test-embedding',
    dimensions: 3,
  });

  await assert.rejects(provider.embedDocuments(['a', 'b']), {
    code: 'UPSTREAM',
    message: 'El servicio de embeddings devolvió 1 vectores para 2 textos.',
  });
});

test('an unreachable server becomes a Spanish UPSTREAM error', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const provider = await createOpenAiEmbeddingProvider({
    apiKey: API_KEY,
    baseURL: `http://127.0.0.1:${port}/v1`,
    model: 'test-embedding',
    dimensions: 3,
    maxRetries: 0,
  });

  await assert.rejects(provider.embedQuery('hola'), {
    code: 'UPSTREAM',
    message: 'No se pudo conectar con el servicio de embeddings.',
  });
});
