import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { documentJobs } from '../modules/documents/index.ts';
import { lazyEmbeddingProvider } from '../modules/embeddings/index.ts';
import type { JobDefinition } from '../modules/jobs/index.ts';
import { refreshInstallmentStates } from '../modules/loans/index.ts';
import { purgeExpiredSessions } from '../modules/users/index.ts';

/** The background jobs the worker service runs, in the company's time zone. */
export function backgroundJobs(db: Database, config: Config): JobDefinition[] {
  return [
    ...documentJobs({ db, dataDir: config.dataDir, provider: lazyEmbeddingProvider(config.embeddings) }),
    {
      // Days late and overdue states move with the calendar: bring them up to date after midnight.
      name: 'cartera-actualizar-estados',
      cron: '5 0 * * *',
      runAtStart: true,
      run: () => refreshInstallmentStates({ db }),
    },
    { name: 'sesiones-limpiar', cron: '30 3 * * *', run: () => purgeExpiredSessions({ db }) },
  ];
}
