export type { ChatCompleteOptions, ChatCompletion, ChatMessage, ChatProvider } from './chat-provider.ts';
export { chatProviderFromConfig, createOpenAiChatProvider, type OpenAiChatOptions } from './openai-chat-provider.ts';
