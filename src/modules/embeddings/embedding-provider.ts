/** Turns texts into vectors. One interface for the local (offline) provider and remote ones. */
export interface EmbeddingProvider {
  /** Stored in `documento_ai_embeddings.modelo_embedding`; searches use only vectors of this model. */
  readonly model: string;
  /** Vector length, stored in `dimensiones`. */
  readonly dimensions: number;
  /** Embeds passages (document chunks), in order; long inputs are batched by the provider. */
  embedDocuments(texts: readonly string[]): Promise<number[][]>;
  /** Embeds one search query (a provider may treat queries differently from passages). */
  embedQuery(text: string, options?: QueryEmbeddingOptions): Promise<number[]>;
}

/** Hints a provider may use when embedding a query; remote models ignore them. */
export interface QueryEmbeddingOptions {
  /**
   * How much each word of the query matters (keyed by folded word, e.g. its rarity among the indexed
   * chunks); words left out weigh 1.
   */
  wordWeights?: ReadonlyMap<string, number>;
}
