import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import type { Queryable } from '../src/db/database.ts';
import { loadScript } from '../src/db/load-script.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPostgresDatabase } from '../src/db/postgres-database.ts';
import { createLocalEmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { seedLoanBook } from '../src/modules/loans/index.ts';
import { createServerDatabase } from '../test/support/database.ts';
import { measureChatLatency } from './chat-latency.ts';
import { demoQuestions, EVALUATION_BOOK, readDevQuestions } from './chat-questions.ts';
import { benchChatThroughput } from './chat-throughput.ts';
import { type BenchDatabase, type BenchTarget, openMigratedBenchDatabase } from './databases.ts';

/** Concurrent API clients of the throughput measurement. */
const HTTP_CLIENTS = 10;

const LOAN_TABLES = ['clientes', 'prestamos', 'cuotas', 'pagos'];

/**
 * The loan-book tables the planner has statistics for. The seed does not ANALYZE: on the server
 * autovacuum does it some time after; PGlite has no autovacuum, so it never happens there.
 */
async function tablesWithStatistics(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ tablename: string }>(
    `SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public' AND tablename = ANY ($1::text[]) ORDER BY 1`,
    [LOAN_TABLES],
  );
  return rows.map((row) => row.tablename);
}

/**
 * A fresh migrated database; on the server with the application's own pool size (10 connections,
 * the default of openPostgresDatabase), since the throughput measurement runs the real API on it.
 */
async function openChatDatabase(target: BenchTarget): Promise<BenchDatabase> {
  if (target === 'pglite') return openMigratedBenchDatabase(target);
  const server = await createServerDatabase();
  const db = await openPostgresDatabase({ url: server.url, timeZone: 'America/Caracas' });
  await migrate(db);
  return {
    db,
    async close() {
      await db.close();
      await untilDisconnected(server.url);
      await server.drop();
    },
  };
}

/**
 * Waits (up to 5 s) until no session is left on the database of `url`. The pool's end() does not
 * wait for its connections to finish closing; dropping the database WITH (FORCE) while they do
 * sends them a FATAL error that the closed pool reports as an unhandled 'error' event.
 */
async function untilDisconnected(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const { rows } = await admin.query<{ sesiones: number }>(
        'SELECT count(*)::int AS sesiones FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if ((rows[0]?.sesiones ?? 0) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.end();
  }
}

/**
 * The chat suite, per database, with the local engine (no LLM): answer latency against the SQL
 * alone on the evaluation book (dev questions), throughput of the HTTP API with concurrent clients
 * on that book, then answer latency on seeded demo books of `sizes` clients (generic questions and
 * lookups of real entities of the book).
 */
export async function benchChat(options: {
  targets: readonly BenchTarget[];
  sizes: readonly number[];
  seconds: number;
  log: (message: string) => void;
}): Promise<object> {
  const { log } = options;
  const embeddings = createLocalEmbeddingProvider();
  const devQuestions = await readDevQuestions();
  const book = await readFile(EVALUATION_BOOK, 'utf8');
  const libro: Record<string, object> = {};
  const http: Record<string, object> = {};
  const demo: Record<string, object> = {};
  for (const target of options.targets) {
    const evaluation = await openChatDatabase(target);
    try {
      log(`chat: libro de evaluación en ${target}`);
      await loadScript(evaluation.db, book);
      libro[target] = await measureChatLatency({ db: evaluation.db, embeddings, questions: devQuestions });
      log(`chat: API HTTP en ${target}`);
      http[target] = await benchChatThroughput({
        db: evaluation.db,
        questions: devQuestions.map((question) => question.pregunta),
        clients: HTTP_CLIENTS,
        seconds: options.seconds,
        log,
      });
    } finally {
      await evaluation.close();
    }
    for (const clientes of options.sizes) {
      const seeded = await openChatDatabase(target);
      try {
        log(`chat: seed de ${clientes} clientes en ${target}`);
        const started = performance.now();
        const report = await seedLoanBook({ db: seeded.db, clientes, semilla: 'rapicredit-bench', reset: false });
        const seedMs = Math.round(performance.now() - started);
        const { preguntas, entidades } = await demoQuestions(seeded.db);
        const estadisticas = await tablesWithStatistics(seeded.db);
        log(`chat: ${preguntas.length} preguntas sobre ${clientes} clientes en ${target}`);
        const asSeeded = await measureChatLatency({ db: seeded.db, embeddings, questions: preguntas });
        const analyzeStarted = performance.now();
        await seeded.db.exec(`ANALYZE ${LOAN_TABLES.join(', ')}`);
        const analyzeMs = Math.round(performance.now() - analyzeStarted);
        log(`chat: las mismas preguntas tras ANALYZE en ${target}`);
        const analyzed = await measureChatLatency({ db: seeded.db, embeddings, questions: preguntas });
        demo[`${target}_${clientes}`] = {
          filas: report.filas,
          seed_ms: seedMs,
          entidades,
          tal_como_queda_el_seed: { tablas_con_estadisticas: estadisticas, ...asSeeded },
          tras_analyze: { analyze_ms: analyzeMs, ...analyzed },
        };
      } finally {
        await seeded.close();
      }
    }
  }
  return {
    motor: 'local (sin LLM)',
    embeddings: embeddings.model,
    nucleos: availableParallelism(),
    libro_evaluacion: libro,
    http,
    cartera_demo: demo,
  };
}
