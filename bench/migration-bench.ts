import { migrate } from '../src/db/migrate.ts';
import { type BenchTarget, openBenchDatabase } from './databases.ts';

/** Time to migrate an empty database from zero, and to re-run with nothing pending. */
export async function benchMigration(target: BenchTarget): Promise<object> {
  const { db, close } = await openBenchDatabase(target);
  try {
    const started = performance.now();
    const report = await migrate(db);
    const fromZero = performance.now() - started;
    const again = performance.now();
    await migrate(db);
    const rerun = performance.now() - again;
    return {
      migraciones: report.applied.length,
      busqueda_vectorial: report.embeddingsBackend,
      desde_cero_ms: Math.round(fromZero),
      repeticion_ms: Math.round(rerun),
    };
  } finally {
    await close();
  }
}
