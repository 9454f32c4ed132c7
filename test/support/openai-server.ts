import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatMessage } from '../../src/modules/llm/index.ts';
import { vectorFor } from './embeddings-server.ts';

/** The body of a `POST /v1/chat/completions` request, as received. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  response_format?: unknown;
  temperature?: number;
  [field: string]: unknown;
}

/** A reply other than a normal completion: any status and JSON body (e.g. an OpenAI-style error). */
export interface ChatReplyOverride {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Decides each chat answer: a string is the assistant's content (200, real wire format); an object is sent as is.
 * It may be async; a promise that never settles leaves the request hanging (a hung upstream).
 */
export type ChatReply = (request: ChatRequest) => string | ChatReplyOverride | Promise<string | ChatReplyOverride>;

export interface OpenAiServerOptions {
  /** Defaults to echoing the last user message (as `{"respuesta": …}` in JSON mode). */
  chat?: ChatReply;
  /** Vector length for embeddings when the request names no `dimensions` (default 8). */
  embeddingDimensions?: number;
}

/** An in-test server speaking OpenAI's wire format: `POST /v1/chat/completions` and `POST /v1/embeddings`. */
export interface OpenAiServer {
  /** `http://127.0.0.1:<port>/v1`, for OPENAI_BASE_URL. */
  baseUrl: string;
  /** Every chat request body received, in arrival order. */
  readonly chatRequests: ChatRequest[];
  /** The `input` of every embeddings request received, in arrival order. */
  readonly embeddingRequests: string[][];
  close(): Promise<void>;
}

/** Whitespace-separated words: a stand-in for tokens, so usage is deterministic. */
function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function defaultChat(request: ChatRequest): string {
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  return request.response_format === undefined
    ? `Respuesta de prueba: ${lastUser}`
    : JSON.stringify({ respuesta: lastUser });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function openAiError(message: string, type: string): unknown {
  return { error: { message, type, param: null, code: null } };
}

/** Starts the server on a free local port. */
export async function startOpenAiServer(options: OpenAiServerOptions = {}): Promise<OpenAiServer> {
  const chat = options.chat ?? defaultChat;
  const defaultDimensions = options.embeddingDimensions ?? 8;
  let completions = 0;

  async function answerChat(request: ChatRequest, response: ServerResponse): Promise<void> {
    let reply: string | ChatReplyOverride;
    try {
      reply = await chat(request);
    } catch (error) {
      sendJson(response, 500, openAiError(`chat handler failed: ${String(error)}`, 'server_error'));
      return;
    }
    if (response.destroyed) return;
    if (typeof reply !== 'string') {
      sendJson(response, reply.status, reply.body, reply.headers);
      return;
    }
    const promptTokens = request.messages.reduce((sum, message) => sum + countTokens(message.content), 0);
    const completionTokens = countTokens(reply);
    completions += 1;
    sendJson(response, 200, {
      id: `chatcmpl-prueba-${completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  }

  function answerEmbeddings(
    body: { model: string; input: string | string[]; dimensions?: number },
    response: ServerResponse,
  ) {
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    state.embeddingRequests.push(input);
    const dimensions = body.dimensions ?? defaultDimensions;
    sendJson(response, 200, {
      object: 'list',
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dimensions) })),
      model: body.model,
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  }

  const server = createServer((request, response) => {
    let raw = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (raw += chunk));
    request.on('end', () => {
      const route = request.method === 'POST' ? request.url : undefined;
      if (route !== '/v1/chat/completions' && route !== '/v1/embeddings') {
        sendJson(response, 404, openAiError('not found', 'invalid_request_error'));
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(response, 400, openAiError('invalid JSON body', 'invalid_request_error'));
        return;
      }
      if (route === '/v1/embeddings') {
        answerEmbeddings(body as { model: string; input: string | string[]; dimensions?: number }, response);
        return;
      }
      const chatRequest = body as ChatRequest;
      state.chatRequests.push(chatRequest);
      void answerChat(chatRequest, response);
    });
  });

  const state: OpenAiServer = {
    baseUrl: '',
    chatRequests: [],
    embeddingRequests: [],
    close: async () => {
      // Hung requests hold their connections open; drop them so close() returns.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
