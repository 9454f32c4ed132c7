/** One message of a conversation with a chat model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A model's answer: its text, the model that actually answered and the tokens billed (0 if not reported). */
export interface ChatCompletion {
  texto: string;
  modelo: string;
  tokens: number;
}

/** Per-call options: `json` asks for a JSON object as the answer; `signal` cancels the request. */
export interface ChatCompleteOptions {
  temperature?: number;
  json?: boolean;
  signal?: AbortSignal;
}

/** A chat model (LLM) behind some API. */
export interface ChatProvider {
  readonly modelo: string;
  complete(messages: ChatMessage[], options?: ChatCompleteOptions): Promise<ChatCompletion>;
}
