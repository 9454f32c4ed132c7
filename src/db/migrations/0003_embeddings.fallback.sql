-- Variant chosen when the server has no pgvector: vectors are stored as real[] and searched
-- exactly (a sequential scan with the cosine distance below). Correct, just not sub-linear.
ALTER TABLE documento_ai_embeddings ADD COLUMN embedding real[];
ALTER TABLE documento_ai_embeddings
  ADD CONSTRAINT documento_ai_embeddings_embedding_dims_check
  CHECK (embedding IS NULL OR cardinality(embedding) = dimensiones);

CREATE FUNCTION rc_distancia_coseno(a real[], b real[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 1 - sum(x::double precision * y) / nullif(sqrt(sum(x::double precision * x)) * sqrt(sum(y::double precision * y)), 0)
  FROM unnest(a, b) AS t (x, y)
$$;

CREATE TABLE capacidades_bd (
  clave  text PRIMARY KEY,
  valor  text NOT NULL
);
INSERT INTO capacidades_bd (clave, valor) VALUES ('embeddings.backend', 'float4[]');
