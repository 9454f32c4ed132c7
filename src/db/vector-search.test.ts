import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { embeddingsBackend, nearestChunks, vectorLiteral } from './vector-search.ts';

let testDb: TestDatabase;
before(async () => {
  testDb = await openTestDatabase();
});
after(() => testDb.close());

function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  a.forEach((value, index) => {
    const other = b[index] ?? 0;
    dot += value * other;
    normA += value * value;
    normB += other * other;
  });
  return 1 - dot / Math.sqrt(normA * normB);
}

test('nearest chunks match an exact brute-force cosine ranking on either backend', async () => {
  const { db } = testDb;
  const backend = await embeddingsBackend(db);
  assert.equal(backend, db.kind === 'pglite' ? 'pgvector' : backend);
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO documentos_ai (titulo, nombre_archivo, tipo_archivo, ruta_archivo) VALUES ('Política', 'p.txt', 'txt', 'x') RETURNING id",
  );
  const documentId = rows[0]?.id;
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const vectors = Array.from({ length: 60 }, () => Array.from({ length: 384 }, random));
  for (const [index, vector] of vectors.entries()) {
    await db.query(
      `INSERT INTO documento_ai_embeddings (documento_id, chunk_index, texto_chunk, embedding, modelo_embedding, dimensiones)
       VALUES ($1, $2, $3, $4, 'local-test', 384)`,
      [documentId, index, `fragmento ${index}`, vectorLiteral(backend, vector)],
    );
  }
  const query = vectors[13]?.map((value, index) => value + (index % 5 === 0 ? 0.3 : 0)) ?? [];
  const expected = vectors
    .map((vector, index) => ({ index, distance: cosineDistance(query, vector) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 5);
  const found = await nearestChunks(db, { backend, modelo: 'local-test', vector: query, k: 5 });
  assert.deepEqual(
    found.map((chunk) => chunk.chunk_index),
    expected.map((item) => item.index),
  );
  found.forEach((chunk, position) => assert.ok(Math.abs(chunk.distancia - (expected[position]?.distance ?? 0)) < 1e-4));
  const otherModel = await nearestChunks(db, { backend, modelo: 'otro-modelo', vector: query, k: 5 });
  assert.equal(otherModel.length, 0, 'vectors of another model are never returned');
});
