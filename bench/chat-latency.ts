import type { Database, Queryable } from '../src/db/database.ts';
import { answerQuestion, type ChatAnswer } from '../src/modules/chat/index.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { guardSql, translateQuestion } from '../src/modules/sql-assistant/index.ts';
import type { BenchQuestion } from './chat-questions.ts';
import { round, summarise } from './timing.ts';

/** Row limit of the assistant's queries (the default of `AI.max_filas_consulta`). */
const MAX_ROWS = 200;

/** A query this slow alone (p50) has its SQL printed among the slowest questions. */
const SLOW_SQL_MS = 100;

/** Time spent, inside one `answerQuestion`, in the read-only transaction and in storing the conversation. */
interface AnswerTimes {
  transaccion: number;
  guardado: number;
}

/**
 * The same database, adding to `times` the time of every transaction that runs a guarded query
 * (it starts with SET TRANSACTION READ ONLY) and of the INSERT that stores the conversation.
 * One wrapper serves every answer, so the semantic catalogue stays cached on it.
 */
function instrumented(db: Database): { db: Database; times: AnswerTimes } {
  const times: AnswerTimes = { transaccion: 0, guardado: 0 };
  const wrapped: Database = {
    ...db,
    async query(text, params) {
      const started = performance.now();
      try {
        return await db.query(text, params);
      } finally {
        if (text.includes('INSERT INTO conversaciones_ai')) times.guardado += performance.now() - started;
      }
    },
    async transaction(work) {
      let readOnly = false;
      const started = performance.now();
      try {
        return await db.transaction((tx: Queryable) =>
          work({
            query: (text, params) => tx.query(text, params),
            queryArrays: (text, params) => tx.queryArrays(text, params),
            exec: (script) => {
              if (script.includes('READ ONLY')) readOnly = true;
              return tx.exec(script);
            },
          }),
        );
      } finally {
        if (readOnly) times.transaccion += performance.now() - started;
      }
    },
  };
  return { db: wrapped, times };
}

interface Sample {
  respuesta: number;
  sql: number;
  traducir: number;
  verificar: number;
  transaccion: number;
  guardado: number;
}

interface QuestionRun {
  question: BenchQuestion;
  ruta: string;
  sql: string | null;
  filas: number;
  error?: string;
  samples: Sample[];
}

const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
};

const median = (values: readonly number[]) => summarise(values).p50_ms;
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** "No pude ejecutar la consulta: ..." is how a rejected or cancelled query shows in the answer. */
const failure = (answer: ChatAnswer) =>
  answer.respuesta.startsWith('No pude ejecutar la consulta') ? (answer.respuesta.split('\n')[0] ?? '') : undefined;

/**
 * Latency of `answerQuestion` (local engine, no LLM) on every question, against the time of running
 * the SQL it produced alone (`db.queryArrays` with the same parameters, same number of runs). Per
 * question: `warmup` untimed passes, then `passes` timed ones (fewer, at least 2, once a question has
 * used `budgetMs`). Each timed pass also times the stages on their own: `translateQuestion` and
 * `guardSql`; the read-only transaction and the INSERT of the conversation are timed inside the answer.
 */
export async function measureChatLatency(options: {
  db: Database;
  embeddings: EmbeddingProvider;
  questions: readonly BenchQuestion[];
  warmup?: number;
  passes?: number;
  budgetMs?: number;
}): Promise<object> {
  const { db, embeddings } = options;
  const warmup = options.warmup ?? 2;
  const passes = options.passes ?? 5;
  const budgetMs = options.budgetMs ?? 20_000;
  const probe = instrumented(db);
  const runs: QuestionRun[] = [];
  for (const question of options.questions) {
    const ask = () => answerQuestion({ db: probe.db, embeddings }, { pregunta: question.pregunta, maxRows: MAX_ROWS });
    // One pass: the answer end to end, then each stage on its own.
    const step = async (): Promise<[ChatAnswer, Sample]> => {
      probe.times.transaccion = 0;
      probe.times.guardado = 0;
      const [answer, respuesta] = await elapsed(ask);
      const { transaccion, guardado } = probe.times;
      const [, traducir] = await elapsed(() => translateQuestion({ db, question: question.pregunta }));
      const sqlText = answer.sql;
      let sql = Number.NaN;
      let verificar = Number.NaN;
      if (sqlText !== null) {
        [, verificar] = await elapsed(() => guardSql(sqlText, { maxRows: MAX_ROWS }));
        [, sql] = await elapsed(() => db.queryArrays(sqlText, answer.parametros));
      }
      return [answer, { respuesta, sql, traducir, verificar, transaccion, guardado }];
    };
    let answer: ChatAnswer | undefined;
    for (let n = 0; n < warmup; n++) [answer] = await step();
    const run: QuestionRun = { question, ruta: '', sql: null, filas: 0, samples: [] };
    const started = performance.now();
    for (let n = 0; n < passes; n++) {
      if (n >= 2 && performance.now() - started > budgetMs) break;
      let sample: Sample;
      [answer, sample] = await step();
      run.samples.push(sample);
    }
    if (answer) {
      run.ruta = answer.ruta;
      run.sql = answer.sql;
      run.filas = answer.filas.length;
      run.error = failure(answer);
    }
    runs.push(run);
  }
  return report(runs, { warmup, passes });
}

function report(runs: QuestionRun[], settings: { warmup: number; passes: number }): object {
  // The ratio compares like with like: only questions answered by running their SQL.
  const withSql = runs.filter((run) => run.sql !== null && run.error === undefined);
  const samples = withSql.flatMap((run) => run.samples);
  const respuesta = summarise(samples.map((sample) => sample.respuesta));
  const sql = summarise(samples.map((sample) => sample.sql));
  const total = (pick: (sample: Sample) => number) => samples.reduce((sum, sample) => sum + pick(sample), 0);
  const answerTotal = total((sample) => sample.respuesta);
  const share = (pick: (sample: Sample) => number) => round((100 * total(pick)) / Math.max(answerTotal, 1e-9), 1);
  // What the stages timed on their own leave of the answer (settings, description, JSON): measured
  // apart from the answer, translating can take a little longer than inside it, so this can dip below 0.
  const rest = (sample: Sample) =>
    sample.respuesta - sample.traducir - sample.verificar - sample.transaccion - sample.guardado;
  const stage = (pick: (sample: Sample) => number) => ({
    p50_ms: summarise(samples.map(pick)).p50_ms,
    p95_ms: summarise(samples.map(pick)).p95_ms,
    porcentaje: share(pick),
  });

  const families = new Map<string, QuestionRun[]>();
  for (const run of withSql) families.set(run.question.familia, [...(families.get(run.question.familia) ?? []), run]);
  const porFamilia = Object.fromEntries(
    [...families].map(([familia, members]) => {
      const all = members.flatMap((run) => run.samples);
      return [
        familia,
        {
          preguntas: members.length,
          respuesta_p50_ms: median(all.map((sample) => sample.respuesta)),
          sql_solo_p50_ms: median(all.map((sample) => sample.sql)),
        },
      ];
    }),
  );
  const perQuestion = (run: QuestionRun) => ({
    id: run.question.id,
    pregunta: run.question.pregunta,
    respuesta_p50_ms: median(run.samples.map((sample) => sample.respuesta)),
    sql_solo_p50_ms: median(run.samples.map((sample) => sample.sql)),
    traducir_p50_ms: median(run.samples.map((sample) => sample.traducir)),
  });
  // The SQL is shown only where the query itself is slow enough to look at.
  const slowest = [...withSql]
    .map((run) => {
      const timing = perQuestion(run);
      return timing.sql_solo_p50_ms >= SLOW_SQL_MS ? { ...timing, sql: oneLine(run.sql ?? '') } : timing;
    })
    .sort((a, b) => b.respuesta_p50_ms - a.respuesta_p50_ms)
    .slice(0, 3);
  const biggestOverhead = [...withSql]
    .map(perQuestion)
    .sort((a, b) => b.respuesta_p50_ms - b.sql_solo_p50_ms - (a.respuesta_p50_ms - a.sql_solo_p50_ms))
    .slice(0, 3);
  return {
    preguntas: runs.length,
    pasadas: { calentamiento: settings.warmup, medidas: settings.passes },
    con_sql: withSql.length,
    muestras: samples.length,
    respuesta: respuesta,
    sql_solo: sql,
    ratio_respuesta_vs_sql: {
      p50: round(respuesta.p50_ms / Math.max(sql.p50_ms, 0.05), 2),
      p95: round(respuesta.p95_ms / Math.max(sql.p95_ms, 0.05), 2),
    },
    sobrecosto_p50_ms: summarise(samples.map((sample) => sample.respuesta - sample.sql)).p50_ms,
    etapas: {
      traducir: stage((sample) => sample.traducir),
      verificar_sql: stage((sample) => sample.verificar),
      transaccion_solo_lectura: stage((sample) => sample.transaccion),
      guardar_conversacion: stage((sample) => sample.guardado),
      resto: stage(rest),
    },
    por_familia: porFamilia,
    mas_lentas: slowest,
    mayor_sobrecosto: biggestOverhead,
    sin_sql: runs
      .filter((run) => run.sql === null)
      .map((run) => ({ id: run.question.id, pregunta: run.question.pregunta, ruta: run.ruta })),
    fallidas: runs
      .filter((run) => run.error !== undefined)
      .map((run) => ({
        id: run.question.id,
        pregunta: run.question.pregunta,
        error: run.error,
        respuesta_p50_ms: median(run.samples.map((sample) => sample.respuesta)),
        sql_solo_p50_ms: median(run.samples.map((sample) => sample.sql)),
        sql: oneLine(run.sql ?? ''),
      })),
  };
}
