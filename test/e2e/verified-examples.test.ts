import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadScript } from '../../src/db/load-script.ts';
import { answerQuestion, type EvaluationItem } from '../../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { cliActor, correctConversation, withdrawVerifiedExample } from '../../src/modules/learning/index.ts';
import { compareResults } from '../../src/modules/sql-assistant/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const SHARED = new URL('../../../shared/eval/', import.meta.url);
const DEV = new Map(
  readFileSync(new URL('nl2sql-dev.jsonl', SHARED), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvaluationItem & { id: string })
    .map((item) => [item.id, item]),
);
/**
 * Rewordings written without seeing the engine (same question) and look-alikes that ask something
 * else, for ten dev questions: a slice of a blind set of 40 (see the closing note of the learning loop).
 */
const SETS = readFileSync(new URL('../fixtures/learning/parafrasis.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { id: string; reutilizan: string[]; no_reutilizan: string[] });

const embeddings = createLocalEmbeddingProvider();

describe('a verified correction is reused for rewordings of its question and not for look-alikes', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase();
    await loadScript(database.db, readFileSync(new URL('libro-evaluacion.sql', SHARED), 'utf8'));
  });
  after(() => database.close());

  const ask = (pregunta: string) => answerQuestion({ db: database.db, embeddings }, { pregunta, maxRows: 1000 });

  for (const set of SETS) {
    test(`${set.id}: ${set.reutilizan.length} rewordings reuse it, ${set.no_reutilizan.length} look-alikes do not`, async () => {
      const item = DEV.get(set.id);
      assert.ok(item, set.id);
      const admin = await cliActor(database.db, undefined);
      const original = await ask(item.pregunta);
      const { ejemplo } = await correctConversation(database.db, admin, original.conversacion_id, {
        sql: item.sql_esperado,
      });
      try {
        const gold = await database.db.queryArrays(item.sql_esperado);
        for (const question of set.reutilizan) {
          const answer = await ask(question);
          assert.equal(answer.modelo_usado, 'ejemplo-verificado', `reused for «${question}»`);
          const comparison = compareResults({ columnas: gold.columns, filas: gold.rows }, answer);
          assert.ok(comparison.igual, `${question}: ${comparison.motivo ?? ''}`);
        }
        for (const question of set.no_reutilizan) {
          const answer = await ask(question);
          assert.notEqual(answer.modelo_usado, 'ejemplo-verificado', `not reused for «${question}»`);
        }
      } finally {
        await withdrawVerifiedExample(database.db, admin, ejemplo.id);
      }
      assert.notEqual((await ask(set.reutilizan[0] ?? '')).modelo_usado, 'ejemplo-verificado', 'withdrawn: not reused');
    });
  }
});
