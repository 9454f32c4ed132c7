import type { EmbeddingsConfig } from '../../config.ts';
import type { EmbeddingProvider } from './embedding-provider.ts';
import { createLocalEmbeddingProvider } from './local-embedding-provider.ts';
import { createOpenAiEmbeddingProvider } from './openai-embedding-provider.ts';

/**
 * The embedding provider the configuration names: `local` (default, offline) or an
 * OpenAI-compatible endpoint. Documents indexed with another model are not searched until
 * `docs reindex` re-embeds them.
 */
export function createConfiguredEmbeddingProvider(config: EmbeddingsConfig): Promise<EmbeddingProvider> {
  if (config.provider === 'local') return Promise.resolve(createLocalEmbeddingProvider());
  return createOpenAiEmbeddingProvider({
    apiKey: config.apiKey ?? '',
    baseURL: config.baseURL,
    model: config.model,
    dimensions: config.dimensions,
  });
}

/** The configured provider, created once on first use (a remote one may probe its dimensions). */
export function lazyEmbeddingProvider(config: EmbeddingsConfig): () => Promise<EmbeddingProvider> {
  let provider: Promise<EmbeddingProvider> | undefined;
  return () => {
    provider ??= createConfiguredEmbeddingProvider(config).catch((error: unknown) => {
      provider = undefined;
      throw error;
    });
    return provider;
  };
}
