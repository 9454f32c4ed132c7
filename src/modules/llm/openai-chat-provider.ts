import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { ChatCompletion, ChatProvider } from './chat-provider.ts';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAiChatOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (`http://localhost:11434/v1`); OpenAI itself when omitted. */
  baseUrl?: string;
  modelo: string;
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx, timeouts and connection errors, with exponential backoff (default 2). */
  maxRetries?: number;
}

/** A chat provider for the OpenAI API or any server speaking its `POST /chat/completions` wire format. */
export function createOpenAiChatProvider(options: OpenAiChatOptions): ChatProvider {
  const { apiKey, modelo } = options;
  const client = new OpenAI({
    apiKey,
    // Explicit values keep the SDK from picking these up from process.env.
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 60_000,
  });

  return {
    modelo,
    async complete(messages, { temperature, json = false, signal } = {}): Promise<ChatCompletion> {
      let response: OpenAI.ChatCompletion;
      try {
        response = await client.chat.completions.create(
          {
            model: modelo,
            messages,
            ...(temperature === undefined ? {} : { temperature }),
            ...(json ? { response_format: { type: 'json_object' as const } } : {}),
          },
          signal === undefined ? undefined : { signal },
        );
      } catch (error) {
        throw toAppError(error, apiKey);
      }
      const texto = response.choices?.[0]?.message?.content;
      if (typeof texto !== 'string') {
        throw new AppError('UPSTREAM', 'El proveedor de chat devolvió una respuesta sin texto.');
      }
      return {
        texto,
        modelo: typeof response.model === 'string' && response.model !== '' ? response.model : modelo,
        tokens: response.usage?.total_tokens ?? 0,
      };
    },
  };
}

/** The chat provider the configuration names, or undefined for `local` (the local engine is not an LLM). */
export function chatProviderFromConfig(config: ChatConfig): ChatProvider | undefined {
  if (config.proveedor === 'local') return undefined;
  if (config.apiKey === undefined) {
    throw new AppError('INTERNAL', 'Falta OPENAI_API_KEY para usar el proveedor de chat openai.');
  }
  return createOpenAiChatProvider({ apiKey: config.apiKey, baseUrl: config.baseUrl, modelo: config.modelo });
}

function statusMessage(status: number): string {
  if (status === 401 || status === 403) {
    return `El proveedor de chat rechazó la clave (${status}); revise OPENAI_API_KEY.`;
  }
  if (status === 404) {
    return 'El proveedor de chat respondió con el estado 404: el modelo o la URL no existen, revise RAPICREDIT_CHAT_MODELO y OPENAI_BASE_URL.';
  }
  if (status === 429) return 'El proveedor de chat respondió con el estado 429: límite de peticiones alcanzado.';
  if (status >= 500) return `El proveedor de chat respondió con el estado ${status}: error interno del servicio.`;
  return `El proveedor de chat rechazó la petición (${status}).`;
}

function toAppError(error: unknown, apiKey: string): unknown {
  // The caller cancelled: not an upstream failure, so its error goes back as is.
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new AppError('UPSTREAM', 'El proveedor de chat no respondió a tiempo.', { cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new AppError('UPSTREAM', 'No se pudo conectar con el proveedor de chat.', { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    // A server may echo the key it received; it must not reach users or logs, so the SDK error (whose message
    // and body may hold it) is not kept as the cause.
    const upstreamMessage = apiKey ? error.message.split(apiKey).join('***') : error.message;
    return new AppError('UPSTREAM', statusMessage(error.status), {
      details: { status: error.status, upstreamMessage },
    });
  }
  return error;
}
