-- Variant chosen when the server offers pgvector (PGlite always does).
-- The column has no fixed dimension so several embedding models can coexist; the HNSW index
-- is an expression index per dimension, restricted to the rows of that dimension.
CREATE EXTENSION IF NOT EXISTS vector;

ALTER TABLE documento_ai_embeddings ADD COLUMN embedding vector;
ALTER TABLE documento_ai_embeddings
  ADD CONSTRAINT documento_ai_embeddings_embedding_dims_check
  CHECK (embedding IS NULL OR vector_dims(embedding) = dimensiones);

CREATE INDEX documento_ai_embeddings_hnsw_384 ON documento_ai_embeddings
  USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE dimensiones = 384;

CREATE TABLE capacidades_bd (
  clave  text PRIMARY KEY,
  valor  text NOT NULL
);
INSERT INTO capacidades_bd (clave, valor) VALUES ('embeddings.backend', 'pgvector');
