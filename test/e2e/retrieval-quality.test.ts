import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ingestCorpus, measureQuality, readRagItems } from '../../bench/retrieval-quality.ts';
import { correctTypos, searchDocuments } from '../../src/modules/documents/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

// The acceptance figures of the documents issue, on the public dev set, with the local provider.
describe('retrieval quality on the dev set (local provider)', () => {
  const provider = createLocalEmbeddingProvider();
  let database: TestDatabase;
  let dataDir: string;

  before(async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-calidad-'));
    await ingestCorpus(database.db, dataDir, provider);
  });
  after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('hybrid search reaches Recall@5 >= 0.90 and MRR@10 >= 0.75', async () => {
    const report = await measureQuality(database.db, provider, await readRagItems(), 'hibrido');
    assert.ok(report.recall_at_5 >= 0.9, `Recall@5 ${report.recall_at_5}: ${JSON.stringify(report.fallos)}`);
    assert.ok(report.mrr_at_10 >= 0.75, `MRR@10 ${report.mrr_at_10}`);
  });

  test('misspelt words are corrected against the words the documents use', async () => {
    const top = async (question: string) =>
      (await searchDocuments(database.db, provider, question, { k: 1 }))[0]?.encabezados ?? '';
    assert.match(await top('¿Quién aprueba el diferimiento de cuotas por caso fortuito?'), /Diferimiento/);
    assert.match(await top('¿Quién aprueba el difermiento de cuotas por caso fortuito?'), /Diferimiento/);
    assert.match(await top('¿Cuánto tiempo se guardan las grabasiones de llamadas?'), /Conservación/);
    const corrections = await correctTypos(database.db, '¿Cuotas del refinansiamiento o difermiento? Grabasiones');
    assert.deepEqual(Object.fromEntries(corrections), {
      refinansiamiento: 'refinanciamiento',
      difermiento: 'diferimiento',
      grabasiones: 'grabaciones',
    });
  });

  test('a dictionary entry added by an administrator is used by the next search', async () => {
    const { db } = database;
    const question = '¿Cómo se revisa la chamba del solicitante?';
    const headings = async () =>
      (await searchDocuments(db, provider, question, { k: 3 })).map((result) => result.encabezados);
    assert.ok(!(await headings()).some((heading) => heading.includes('Verificación laboral')));
    await db.query(
      `INSERT INTO ai_diccionario_semantico (palabra, definicion, sinonimos)
       VALUES ('chamba', 'Trabajo, empleo (coloquial).', '["empleo", "verificación laboral"]')`,
    );
    try {
      assert.ok((await headings()).some((heading) => heading.includes('Verificación laboral')));
    } finally {
      await db.query(`DELETE FROM ai_diccionario_semantico WHERE palabra = 'chamba'`);
    }
  });
});
