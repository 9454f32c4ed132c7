// The learning loop's costs: what verified corrections add to every answer, what the first question
// after a new correction pays, and how the review queue and the quality figures scale with ratings.
import { readFileSync } from 'node:fs';
import type { Database } from '../src/db/database.ts';
import { loadScript } from '../src/db/load-script.ts';
import { answerQuestion, type EvaluationItem } from '../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { cliActor, correctConversation, listReviewQueue, qualityStats } from '../src/modules/learning/index.ts';
import { findVerifiedExample, translateQuestion } from '../src/modules/sql-assistant/index.ts';
import { type BenchTarget, openMigratedBenchDatabase } from './databases.ts';
import { round, summarise } from './timing.ts';

const SHARED = new URL('../../shared/eval/', import.meta.url);
const PASSES = 3;
const RATINGS = 10_000;

/** Questions nobody asks in the dev set, each a different shape: what a year of corrections looks like. */
function correctionQuestions(count: number): string[] {
  const subjects = ['préstamos', 'clientes', 'cuotas', 'pagos', 'créditos', 'deudores'];
  const words = ['tramo', 'bloque', 'ciclo', 'lote', 'corte', 'cohorte', 'racha', 'franja', 'etapa', 'camada'];
  return Array.from({ length: count }, (_, index) => {
    const subject = subjects[index % subjects.length] ?? 'préstamos';
    const word = words[Math.floor(index / subjects.length) % words.length] ?? 'tramo';
    return `¿Cuántos ${subject} hay en el ${word} ${index + 1}?`;
  });
}

async function answerTimes(db: Database, questions: string[], passes = PASSES): Promise<number[]> {
  const embeddings = createLocalEmbeddingProvider();
  const durations: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const pregunta of questions) {
      const started = performance.now();
      await answerQuestion({ db, embeddings }, { pregunta });
      durations.push(performance.now() - started);
    }
  }
  return durations;
}

/** Adds `count` verified corrections (each on its own conversation), as an administrator would. */
async function addCorrections(db: Database, questions: string[]): Promise<void> {
  const actor = await cliActor(db, undefined);
  const embeddings = createLocalEmbeddingProvider();
  for (const pregunta of questions) {
    const answer = await answerQuestion({ db, embeddings }, { pregunta });
    await correctConversation(db, actor, answer.conversacion_id, {
      sql: `SELECT count(*) AS total FROM prestamos WHERE numero_cuotas > ${questions.indexOf(pregunta) % 48}`,
    });
  }
}

/** `RATINGS` thumbs on stored conversations over 90 days, a third of them down. */
async function addRatings(db: Database): Promise<void> {
  await db.query(
    `INSERT INTO conversaciones_ai (pregunta, respuesta, contexto_usado, creado_en)
     SELECT 'Pregunta ' || (g % 500), 'Respuesta ' || g,
            jsonb_build_object('ruta', 'base_datos', 'sql', 'SELECT 1', 'filas', 1, 'muestra_filas', '[[1]]'::jsonb),
            now() - (g % 90) * interval '1 day'
       FROM generate_series(1, $1) AS g`,
    [RATINGS],
  );
  await db.query(
    `INSERT INTO ai_calificaciones_chat (conversacion_id, pregunta, respuesta_ai, calificacion, usuario_email, procesado, creado_en)
     SELECT id, pregunta, respuesta, CASE WHEN id % 3 = 0 THEN 'abajo' ELSE 'arriba' END, 'u' || (id % 7) || '@x.com',
            id % 6 = 0, creado_en
       FROM conversaciones_ai ORDER BY id DESC LIMIT $1`,
    [RATINGS],
  );
  await db.exec('ANALYZE conversaciones_ai; ANALYZE ai_calificaciones_chat');
}

async function timed(work: () => Promise<unknown>, times = 20): Promise<ReturnType<typeof summarise>> {
  const durations: number[] = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  return summarise(durations);
}

/** One target's figures. */
async function benchTarget(target: BenchTarget, log: (message: string) => void) {
  const opened = await openMigratedBenchDatabase(target);
  const { db } = opened;
  try {
    await loadScript(db, readFileSync(new URL('libro-evaluacion.sql', SHARED), 'utf8'));
    const dev = readFileSync(new URL('nl2sql-dev.jsonl', SHARED), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as EvaluationItem).pregunta);
    const result: Record<string, unknown> = {};
    log(`aprendizaje ${target}: respuestas sin correcciones`);
    // One untimed pass: the catalogue, the name index and the JIT warm up before the baseline.
    await answerTimes(db, dev, 1);
    const baseline = summarise(await answerTimes(db, dev));
    result.sin_correcciones = baseline;
    let stored = 0;
    for (const total of [100, 1000]) {
      const questions = correctionQuestions(total).slice(stored);
      log(`aprendizaje ${target}: ${total} correcciones verificadas`);
      await addCorrections(db, questions);
      stored = total;
      // The first question after a change re-reads the corrections and the engine's reading of each.
      const first = performance.now();
      await answerQuestion({ db, embeddings: createLocalEmbeddingProvider() }, { pregunta: dev[0] ?? '' });
      const firstMs = performance.now() - first;
      const figures = summarise(await answerTimes(db, dev));
      // The lookup alone, with each question's reading already made (as answering does).
      const lookups: number[] = [];
      for (const pregunta of dev) {
        const translation = await translateQuestion({ db, question: pregunta });
        const started = performance.now();
        await findVerifiedExample(db, pregunta, translation);
        lookups.push(performance.now() - started);
      }
      // The same book, the same warm process, the corrections switched off: the baseline of this step.
      await db.query('UPDATE ai_ejemplos_verificados SET activo = false');
      const without = summarise(await answerTimes(db, dev));
      await db.query('UPDATE ai_ejemplos_verificados SET activo = true');
      // What the first version did after every change: the engine's reading of every stored example.
      const rereadStarted = performance.now();
      for (const pregunta of correctionQuestions(total)) await translateQuestion({ db, question: pregunta });
      const rereadMs = performance.now() - rereadStarted;
      result[`con_${total}_correcciones`] = {
        ...figures,
        mismas_sin_activar: without,
        busqueda_de_correccion: summarise(lookups),
        razon_p50: round(figures.p50_ms / Math.max(0.001, without.p50_ms), 2),
        razon_p95: round(figures.p95_ms / Math.max(0.001, without.p95_ms), 2),
        primera_pregunta_tras_un_cambio_ms: round(firstMs, 1),
        antes_relectura_de_todas_ms: round(rereadMs, 1),
        razon_primera_pregunta_vs_antes: round(firstMs / Math.max(0.001, rereadMs), 3),
      };
    }
    log(`aprendizaje ${target}: cola y estadísticas con ${RATINGS} calificaciones`);
    await addRatings(db);
    result.calificaciones = RATINGS;
    result.cola_pendientes_50 = await timed(() => listReviewQueue(db, { pendientes: true, limite: 50 }));
    result.cola_filtrada_fechas = await timed(() =>
      listReviewQueue(db, { calificacion: 'abajo', procesado: true, desde: '2000-01-01', limite: 50 }),
    );
    result.estadisticas_90_dias = await timed(() => qualityStats(db, { agrupar: 'semana' }));
    return result;
  } finally {
    await opened.close();
  }
}

/** The `aprendizaje` suite of `npm run bench`. */
export async function benchLearning(options: { targets: BenchTarget[]; log: (message: string) => void }) {
  const entries: Record<string, unknown> = {};
  for (const target of options.targets) entries[target] = await benchTarget(target, options.log);
  return entries;
}
