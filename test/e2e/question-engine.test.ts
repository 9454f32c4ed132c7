import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadScript } from '../../src/db/load-script.ts';
import { answerQuestion, evaluateQuestions, type EvaluationItem } from '../../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { insertClient, insertLoan } from '../factories.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const SHARED = new URL('../../../shared/eval/', import.meta.url);
const readItems = (url: URL): EvaluationItem[] =>
  readFileSync(url, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EvaluationItem);

const embeddings = createLocalEmbeddingProvider();

describe('local question-to-SQL engine on the evaluation book', () => {
  let test_db: TestDatabase;
  before(async () => {
    test_db = await openTestDatabase();
    await loadScript(test_db.db, readFileSync(new URL('libro-evaluacion.sql', SHARED), 'utf8'));
  });
  after(() => test_db.close());

  test('the public dev set: at least 90 % execution accuracy, every answer stored', async () => {
    const items = readItems(new URL('nl2sql-dev.jsonl', SHARED));
    const before = await test_db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversaciones_ai');
    const report = await evaluateQuestions({ db: test_db.db, embeddings }, items);
    const failures = report.fallos.map((failure) => `${failure.id}: ${failure.motivo}`).join('\n');
    assert.ok(report.exactitud >= 90, `exactitud ${report.exactitud} %\n${failures}`);
    for (const [family, figures] of Object.entries(report.por_familia)) {
      assert.ok(figures.correctas >= figures.total / 2, `familia ${family}: ${figures.correctas}/${figures.total}`);
    }
    const stored = await test_db.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conversaciones_ai');
    assert.equal((stored.rows[0]?.n ?? 0) - (before.rows[0]?.n ?? 0), items.length);
  });

  test('80 other questions of every family (own regression set): at least 90 %', async () => {
    const items = readItems(new URL('../fixtures/nl2sql/preguntas-extra.jsonl', import.meta.url));
    const report = await evaluateQuestions({ db: test_db.db, embeddings }, items);
    const failures = report.fallos.map((failure) => `${failure.id}: ${failure.motivo}`).join('\n');
    assert.ok(report.exactitud >= 90, `exactitud ${report.exactitud} %\n${failures}`);
  });
});

describe('what the engine knows comes from the data and the dictionary', () => {
  let test_db: TestDatabase;
  before(async () => {
    test_db = await openTestDatabase();
  });
  after(() => test_db.close());

  const ask = (pregunta: string) => answerQuestion({ db: test_db.db, embeddings }, { pregunta });

  test('an analyst who appears after migration is understood on the next question', async () => {
    const client = await insertClient(test_db.db);
    await insertLoan(test_db.db, { cliente_id: client.id, analista: 'Zoraida Pacheco' });
    const first = await ask('¿Cuántos préstamos tiene la analista Zoraida Pacheco?');
    assert.equal(first.ruta, 'base_datos');
    assert.deepEqual(first.filas, [[1]]);
    await insertLoan(test_db.db, { cliente_id: client.id, analista: 'Wilmer Tovar' });
    await insertLoan(test_db.db, { cliente_id: client.id, analista: 'Wilmer Tovar' });
    const second = await ask('¿Cuántos préstamos tiene el analista Wilmer Tovar?');
    assert.deepEqual(second.filas, [[2]]);
  });

  test('a dictionary entry added or edited by SQL changes the next answer', async () => {
    await insertClient(test_db.db, { ingreso_mensual: 2500 });
    await insertClient(test_db.db, { ingreso_mensual: 4000 });
    const unknown = await ask('¿Cuántos clientes preferenciales hay?');
    assert.ok(unknown.no_entendidas.includes('preferenciales'), JSON.stringify(unknown.no_entendidas));

    await test_db.db.query(
      `INSERT INTO ai_diccionario_semantico (palabra, definicion, categoria, tabla_relacionada, condicion_sql, sinonimos)
       VALUES ('cliente preferencial', 'Ingreso mensual sobre 2.000', 'filtro', 'clientes', 'clientes.ingreso_mensual > 2000', '["preferencial"]')`,
    );
    const learned = await ask('¿Cuántos clientes preferenciales hay?');
    assert.deepEqual(learned.no_entendidas, []);
    assert.deepEqual(learned.filas, [[2]]);

    await test_db.db.query(
      `UPDATE ai_diccionario_semantico SET condicion_sql = 'clientes.ingreso_mensual > 3000' WHERE palabra = 'cliente preferencial'`,
    );
    const edited = await ask('¿Cuántos clientes preferenciales hay?');
    assert.deepEqual(edited.filas, [[1]]);
    // A filter that names the rows by itself is counted like an entity: "el número de preferenciales".
    const counted = await ask('Dime el número de clientes preferenciales, por favor');
    assert.deepEqual(counted.filas, [[1]]);
    const bare = await ask('¿Cuál es el número de preferenciales?');
    assert.deepEqual(bare.filas, [[1]], bare.sql ?? '');
  });

  test('a dictionary entry cannot open a table outside the allowlist: the guard refuses it in Spanish', async () => {
    await test_db.db.query(
      `INSERT INTO ai_diccionario_semantico (palabra, definicion, categoria, tabla_relacionada, condicion_sql, sinonimos)
       VALUES ('cliente curioso', 'prueba', 'filtro', 'clientes', 'EXISTS (SELECT 1 FROM users u WHERE u.password_hash IS NOT NULL)', '["curioso"]')`,
    );
    const answer = await ask('¿Cuántos clientes curiosos hay?');
    assert.equal(answer.filas.length, 0);
    assert.match(answer.respuesta, /No pude ejecutar la consulta/);
    assert.match(answer.respuesta, /password_hash|users/);
    const stored = await test_db.db.query<{ contexto_usado: { error?: string } }>(
      'SELECT contexto_usado FROM conversaciones_ai WHERE id = $1',
      [answer.conversacion_id],
    );
    assert.ok(stored.rows[0]?.contexto_usado.error);
  });

  test('a misspelt business word is corrected; a name is never "corrected" into a word', async () => {
    const client = await insertClient(test_db.db, { nombres: 'Ramona Mota Salcedo' });
    await insertLoan(test_db.db, { cliente_id: client.id, producto: 'VEHICULO', total_financiamiento: 9000 });
    const typo = await ask('cuantos prestmos activos hay');
    assert.equal(typo.sql?.includes("estado = 'APROBADO'"), true, typo.sql ?? '');
    const name = await ask('¿Cuántos préstamos tiene Ramona Mota?');
    assert.deepEqual(name.filas, [[1]]);
    assert.ok(!name.sql?.includes("'MOTO'"), name.sql ?? '');
  });
});
