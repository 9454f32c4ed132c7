import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '../../db/database.ts';

/** A background job: what runs, and optionally when it runs by itself. */
export interface JobDefinition {
  /** Queue name (kebab-case, stable: it is stored in the database). */
  name: string;
  /** The work; throwing marks the attempt failed and pg-boss retries it with backoff. */
  run: (data: unknown) => Promise<unknown>;
  /** Cron expression in the company's time zone, e.g. `5 0 * * *` for five past midnight. */
  cron?: string;
  /** Also queue one run when the worker starts (once per day across all workers). */
  runAtStart?: boolean;
  /** How often an idle worker looks for new jobs (pg-boss checks after each job too); default 2 s. */
  pollingIntervalSeconds?: number;
}

/** A started queue: `send` queues work from any process; `stop` waits for running jobs. */
export interface JobQueue {
  send: (name: string, data?: object) => Promise<string | null>;
  stop: () => Promise<void>;
}

const SCHEMA = 'pgboss';

function createBoss(db: Database): PgBoss {
  const common = { schema: SCHEMA, superviseIntervalSeconds: 60 };
  return db.native.kind === 'pglite'
    ? new PgBoss({ ...common, db: fromPglite(db.native.pglite), backend: 'pglite' })
    : new PgBoss({ ...common, connectionString: db.native.url, max: 3 });
}

/**
 * Starts the durable job queue (pg-boss) on the application's database and, when `work` is set,
 * the workers for `jobs`. Jobs survive restarts: a job interrupted by a crash is retried.
 */
export async function startJobQueue(options: {
  db: Database;
  jobs: readonly JobDefinition[];
  timeZone: string;
  work: boolean;
  onError?: (error: Error) => void;
}): Promise<JobQueue> {
  const boss = createBoss(options.db);
  boss.on('error', options.onError ?? ((error: Error) => console.error('[trabajos]', error.message)));
  await boss.start();
  for (const job of options.jobs) {
    await boss.createQueue(job.name, { retryLimit: 3, retryDelay: 30, retryBackoff: true });
  }
  if (options.work) {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: options.timeZone }).format(new Date());
    for (const job of options.jobs) {
      const pollingIntervalSeconds = job.pollingIntervalSeconds ?? 2;
      await boss.work(job.name, { pollingIntervalSeconds }, async ([item]) => job.run(item?.data));
      if (job.cron) await boss.schedule(job.name, job.cron, null, { tz: options.timeZone });
      if (job.runAtStart) await boss.send(job.name, null, { singletonKey: `${job.name}:${today}` });
    }
  }
  return {
    send: (name, data) => boss.send(name, data ?? null),
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
