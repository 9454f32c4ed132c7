import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { createApp, startHttpServer } from '../http/index.ts';
import { documentQueue, resumeUnfinishedDocuments } from '../modules/documents/index.ts';
import { startJobQueue } from '../modules/jobs/index.ts';
import { seedLoanBook } from '../modules/loans/index.ts';
import { backgroundJobs } from './background-jobs.ts';
import { type CommandContext, withDatabase } from './context.ts';
import { describeDemoUsers, ensureDemoUsers } from './demo-users.ts';

const SERVICES = ['api', 'worker'] as const;
type Service = (typeof SERVICES)[number];

const portSchema = z.coerce.number().int().min(0).max(65535);
/** Size of the demo book `start` writes into an empty database: big enough to explore, quick to write. */
const DEMO_CLIENTS = 1000;

function parseServices(raw: string): Service[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !SERVICES.includes(name as Service));
  if (names.length === 0 || unknown.length > 0) {
    throw new AppError(
      'INVALID_INPUT',
      `Servicios desconocidos: ${unknown.join(', ') || '(ninguno)'}. Use api y/o worker.`,
    );
  }
  return names as Service[];
}

function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = portSchema.safeParse(raw);
  if (!parsed.success)
    throw new AppError('INVALID_INPUT', `--port debe ser un número entre 0 y 65535 (recibido «${raw}»).`);
  return parsed.data;
}

/** Serves until SIGINT/SIGTERM, then closes the HTTP server; the caller closes the database. */
async function serveUntilStopped(
  context: CommandContext,
  services: Service[],
  port: number | undefined,
): Promise<void> {
  const { config, db, opened } = context;
  const closers: (() => Promise<void>)[] = [];
  // Every service needs the queue: the API to queue work, the worker to run it.
  const jobs = backgroundJobs(db, config);
  const work = services.includes('worker');
  const queue = await startJobQueue({ db, jobs, timeZone: config.timeZone, work });
  if (services.includes('api')) {
    const server = await startHttpServer({
      app: createApp({ db, config, queue }),
      host: config.http.host,
      port: port ?? config.http.port,
    });
    opened.announceUrl(server.url);
    closers.push(server.close);
    console.log(`RAPICREDIT AI escuchando en ${server.url} (base de datos: ${db.kind}, ${db.location})`);
    console.log(`Documento OpenAPI: ${server.url}/api/v1/openapi.json`);
  }
  closers.push(queue.stop);
  if (work) {
    const resumed = await resumeUnfinishedDocuments(db, documentQueue(queue));
    console.log(`Worker en marcha: ${jobs.map((job) => `${job.name} (${job.cron ?? 'a pedido'})`).join(', ')}.`);
    if (resumed.length) console.log(`Documentos reanudados: ${resumed.join(', ')}.`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('Deteniendo RAPICREDIT AI...');
  for (const close of closers) await close();
}

/** `serve` (the services alone) and `start` (migrate, demo data when empty, serve). */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('Inicia el servidor (API y/o worker)')
    .option('--port <puerto>', 'puerto HTTP (por defecto PORT o 3000)')
    .option('--services <lista>', 'servicios a iniciar: api,worker', 'api,worker')
    .action(async (options: { port?: string; services: string }, command: Command) => {
      const services = parseServices(options.services);
      const port = parsePort(options.port);
      await withDatabase(command, (context) => serveUntilStopped(context, services, port));
    });

  program
    .command('start')
    .description('Migra, genera la cartera de demostración si la base está vacía e inicia el servidor')
    .option('--port <puerto>', 'puerto HTTP (por defecto PORT o 3000)')
    .action(async (options: { port?: string }, command: Command) => {
      const port = parsePort(options.port);
      await withDatabase(command, async (context) => {
        const { rows } = await context.db.query<{ total: number }>('SELECT count(*) AS total FROM clientes');
        if ((rows[0]?.total ?? 0) === 0) {
          console.log(`Base de datos vacía: generando la cartera de demostración (${DEMO_CLIENTS} clientes)...`);
          const report = await seedLoanBook({
            db: context.db,
            clientes: DEMO_CLIENTS,
            semilla: 'rapicredit-demo',
            reset: false,
          });
          console.log(
            `Cartera lista: ${Object.entries(report.filas)
              .map(([tabla, filas]) => `${filas} ${tabla}`)
              .join(', ')}.`,
          );
        }
        console.log(describeDemoUsers(await ensureDemoUsers(context.db)));
        await serveUntilStopped(context, ['api', 'worker'], port);
      });
    });
}
