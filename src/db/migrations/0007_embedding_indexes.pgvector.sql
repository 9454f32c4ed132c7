-- HNSW indexes for the embedding sizes the providers produce: 1024 (local provider) and 1536
-- (OpenAI text-embedding-3-small). 384 has its index since 0003. Another size is searched exactly.
CREATE INDEX documento_ai_embeddings_hnsw_1024 ON documento_ai_embeddings
  USING hnsw ((embedding::vector(1024)) vector_cosine_ops) WHERE dimensiones = 1024;
CREATE INDEX documento_ai_embeddings_hnsw_1536 ON documento_ai_embeddings
  USING hnsw ((embedding::vector(1536)) vector_cosine_ops) WHERE dimensiones = 1536;
