-- Document processing: state of the background job, content hash for duplicate uploads, and what
-- each chunk needs for citations (pages, heading path) and for full-text search.

ALTER TABLE documentos_ai
  ADD COLUMN hash_contenido          text,
  ADD COLUMN tipo_mime               text,
  ADD COLUMN estado_procesamiento    text NOT NULL DEFAULT 'PENDIENTE'
    CHECK (estado_procesamiento IN ('PENDIENTE', 'PROCESANDO', 'PROCESADO', 'ERROR')),
  ADD COLUMN error_procesamiento     text,
  ADD COLUMN intentos_procesamiento  integer NOT NULL DEFAULT 0 CHECK (intentos_procesamiento >= 0),
  ADD COLUMN paginas                 integer CHECK (paginas IS NULL OR paginas >= 0),
  ADD COLUMN procesado_en            timestamptz,
  ADD COLUMN subido_por              integer REFERENCES users (id) ON DELETE SET NULL;

CREATE UNIQUE INDEX documentos_ai_hash_contenido_key ON documentos_ai (hash_contenido) WHERE hash_contenido IS NOT NULL;
CREATE INDEX documentos_ai_estado_idx ON documentos_ai (estado_procesamiento);

-- Lower case without accents: full-text search is accent-insensitive on both sides.
CREATE FUNCTION rc_sin_acentos(texto text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(lower(texto), 'áàâäãéèêëíìîïóòôöõúùûüñç', 'aaaaaeeeeiiiiooooouuuunc')
$$;

ALTER TABLE documento_ai_embeddings
  ADD COLUMN pagina            integer CHECK (pagina IS NULL OR pagina >= 1),
  ADD COLUMN pagina_fin        integer CHECK (pagina_fin IS NULL OR pagina_fin >= pagina),
  ADD COLUMN encabezados       text NOT NULL DEFAULT '',
  ADD COLUMN texto_busqueda    tsvector;

-- Filled by the application on insert: headings weigh more (A) than the body (D).
CREATE INDEX documento_ai_embeddings_fts_idx ON documento_ai_embeddings USING gin (texto_busqueda);
CREATE INDEX documento_ai_embeddings_modelo_idx ON documento_ai_embeddings (modelo_embedding, documento_id);

-- The embedding provider and model are deployment settings (RAPICREDIT_EMBEDDINGS_PROVEEDOR,
-- RAPICREDIT_EMBEDDINGS_MODELO, with the key in OPENAI_API_KEY): changing them needs `docs reindex`,
-- so they are not editable at run time here. These two rows said otherwise and nothing read them.
DELETE FROM configuracion_sistema WHERE categoria = 'AI' AND clave IN ('proveedor_embeddings', 'modelo_embeddings');

INSERT INTO configuracion_sistema (categoria, clave, valor, tipo_dato, descripcion) VALUES
  ('AI', 'chunk_tamano', '700', 'integer',
   'Tamaño objetivo de cada chunk de un documento, en caracteres (se aplica al procesar o reprocesar).'),
  ('AI', 'chunk_solapamiento', '0', 'integer',
   'Caracteres del chunk anterior que se repiten al inicio del siguiente dentro de una misma sección.')
ON CONFLICT (categoria, clave) DO NOTHING;

-- The words of each document (folded, with their counts), written with its chunks: a question word
-- that no document uses is corrected to the nearest word they do use (typo tolerance).
CREATE TABLE documento_ai_vocabulario (
  documento_id  integer NOT NULL REFERENCES documentos_ai (id) ON DELETE CASCADE,
  palabra       text NOT NULL,
  frecuencia    integer NOT NULL CHECK (frecuencia > 0),
  PRIMARY KEY (documento_id, palabra)
);
CREATE INDEX documento_ai_vocabulario_palabra_idx ON documento_ai_vocabulario (palabra text_pattern_ops);
