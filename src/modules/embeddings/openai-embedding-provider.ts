import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { AppError } from '../../errors.ts';
import type { EmbeddingProvider } from './embedding-provider.ts';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const PROBE_TEXT = 'dimensiones';

/** Native vector lengths of OpenAI's models, so the usual setup needs no probe request. */
const nativeDimensions: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

export interface OpenAiEmbeddingOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (`http://localhost:11434/v1`); OpenAI itself when omitted. */
  baseURL?: string;
  model: string;
  /**
   * Asks the model for vectors of this length (OpenAI's `dimensions`). When omitted the model's native length
   * is used: known for OpenAI's models, otherwise learned from one probe request at creation.
   */
  dimensions?: number;
  /** Inputs per request (default 64). */
  batchSize?: number;
  /** Retries on 408/409/429/5xx and connection errors, with exponential backoff (default 4). */
  maxRetries?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Embeddings from the OpenAI API or a compatible server. Async because a model of unknown size is probed once.
 * The model id is `openai:<model>` for OpenAI and `<host>:<model>` otherwise, plus `@<n>` when shorter vectors
 * are requested, so vectors of different shapes never share an id.
 */
export async function createOpenAiEmbeddingProvider(options: OpenAiEmbeddingOptions): Promise<EmbeddingProvider> {
  const { apiKey, model, batchSize = 64 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`Invalid batchSize: ${batchSize}`);
  const baseURL = options.baseURL ?? OPENAI_BASE_URL;
  const client = new OpenAI({
    apiKey,
    baseURL,
    // Explicit nulls keep the SDK from picking these up from process.env.
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: options.maxRetries ?? 4,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const native = nativeDimensions[model];
  const requestedDimensions = options.dimensions === native ? undefined : options.dimensions;

  async function embedBatch(input: string[]): Promise<number[][]> {
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await client.embeddings.create({
        model,
        input,
        encoding_format: 'float',
        ...(requestedDimensions === undefined ? {} : { dimensions: requestedDimensions }),
      });
    } catch (error) {
      throw toAppError(error, apiKey);
    }
    return inInputOrder(response, input.length);
  }

  const dimensions = options.dimensions ?? native ?? (await embedBatch([PROBE_TEXT]))[0]?.length ?? 0;
  if (dimensions < 1) throw new AppError('UPSTREAM', 'El servicio de embeddings devolvió un vector vacío.');

  async function embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += batchSize) {
      for (const vector of await embedBatch(texts.slice(start, start + batchSize))) {
        if (vector.length !== dimensions) {
          throw new AppError(
            'UPSTREAM',
            `El servicio de embeddings devolvió un vector de ${vector.length} dimensiones; se esperaban ${dimensions}.`,
          );
        }
        vectors.push(vector);
      }
    }
    return vectors;
  }

  return {
    model: `${providerName(baseURL)}:${model}${requestedDimensions === undefined ? '' : `@${requestedDimensions}`}`,
    dimensions,
    embedDocuments: embed,
    embedQuery: async (text) => (await embed([text]))[0]!,
  };
}

function providerName(baseURL: string): string {
  const host = new URL(baseURL).host;
  return host === 'api.openai.com' ? 'openai' : host;
}

/** The API tags each vector with its input's index and does not promise to keep the order. */
function inInputOrder(response: OpenAI.CreateEmbeddingResponse, count: number): number[][] {
  const vectors: number[][] = new Array(count);
  for (const item of response.data ?? []) {
    if (!Number.isInteger(item.index) || item.index < 0 || item.index >= count || vectors[item.index]) continue;
    if (!Array.isArray(item.embedding)) {
      throw new AppError('UPSTREAM', 'El servicio de embeddings devolvió un vector en un formato desconocido.');
    }
    vectors[item.index] = item.embedding;
  }
  const received = vectors.filter(Boolean).length;
  if (received !== count) {
    throw new AppError('UPSTREAM', `El servicio de embeddings devolvió ${received} vectores para ${count} textos.`);
  }
  return vectors;
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ': la clave de API fue rechazada, revise OPENAI_API_KEY';
  if (status === 404) return ': el modelo o la URL no existen, revise RAPICREDIT_EMBEDDINGS_MODELO y OPENAI_BASE_URL';
  if (status === 429) return ': límite de peticiones alcanzado';
  if (status >= 500) return ': error interno del servicio';
  return '';
}

function toAppError(error: unknown, apiKey: string): unknown {
  if (error instanceof APIConnectionTimeoutError) {
    return new AppError('UPSTREAM', 'El servicio de embeddings no respondió a tiempo.', { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new AppError('UPSTREAM', 'No se pudo conectar con el servicio de embeddings.', { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    // A server may echo the key it received; it must not reach users or logs.
    const upstreamMessage = apiKey ? error.message.split(apiKey).join('***') : error.message;
    return new AppError(
      'UPSTREAM',
      `El servicio de embeddings respondió con el estado ${error.status}${statusHint(error.status)}.`,
      {
        cause: error,
        details: { status: error.status, upstreamMessage },
      },
    );
  }
  return error;
}
