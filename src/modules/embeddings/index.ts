export type { EmbeddingProvider, QueryEmbeddingOptions } from './embedding-provider.ts';
export {
  createLocalEmbeddingProvider,
  hashFeatures,
  textFeatures,
  type LocalEmbeddingOptions,
} from './local-embedding-provider.ts';
export { contentWords, editDistance, foldText, isStopword, stem, words } from './spanish-text.ts';
export { createConfiguredEmbeddingProvider, lazyEmbeddingProvider } from './configured-provider.ts';
export { createOpenAiEmbeddingProvider, type OpenAiEmbeddingOptions } from './openai-embedding-provider.ts';
