import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An in-test server speaking OpenAI's embeddings wire format (`POST /v1/embeddings`). */
export interface EmbeddingsServer {
  /** `http://127.0.0.1:<port>/v1`, for OPENAI_BASE_URL. */
  baseUrl: string;
  /** The `input` of every request received, in arrival order. */
  readonly requests: string[][];
  /** Requests whose input matches are never answered (a hung upstream); unset to answer everything. */
  holdWhen: ((input: string[]) => boolean) | undefined;
  /** Resolves with the input of the next request (from now on) that matches. */
  nextRequest(match: (input: string[]) => boolean): Promise<string[]>;
  close(): Promise<void>;
}

/** A deterministic vector of `dimensions` values in [-1, 1] for `text`. */
export function vectorFor(text: string, dimensions: number): number[] {
  const digest = createHash('sha512').update(text).digest();
  return Array.from({ length: dimensions }, (_, index) => (digest[index % digest.length] as number) / 127.5 - 1);
}

/**
 * Starts the server on a free local port. Vectors have the requested `dimensions` or
 * `defaultDimensions` (8), so an unknown model is probed as with a real compatible server.
 */
export async function startEmbeddingsServer(defaultDimensions = 8): Promise<EmbeddingsServer> {
  const held: ServerResponse[] = [];
  const waiters: { match: (input: string[]) => boolean; resolve: (input: string[]) => void }[] = [];
  const state: EmbeddingsServer = {
    baseUrl: '',
    requests: [],
    holdWhen: undefined,
    nextRequest: (match) => new Promise((resolve) => waiters.push({ match, resolve })),
    close: async () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/embeddings') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
        return;
      }
      const parsed = JSON.parse(body) as { model: string; input: string | string[]; dimensions?: number };
      const input = typeof parsed.input === 'string' ? [parsed.input] : parsed.input;
      state.requests.push(input);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(input)) waiter.resolve(input);
        else waiters.push(waiter);
      }
      if (state.holdWhen?.(input)) {
        held.push(response);
        return;
      }
      const dimensions = parsed.dimensions ?? defaultDimensions;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          object: 'list',
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: vectorFor(text, dimensions) })),
          model: parsed.model,
          usage: { prompt_tokens: 0, total_tokens: 0 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
