// `npm run bench`: measures speed and memory goals and prints one JSON document.
// Options: --solo migracion,seed,documentos,chat,aprendizaje   --clientes 10000,100000   --chunks 100000   --chat-segundos 20
//          --sin-servidor
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { benchChat } from './chat-bench.ts';
import { type BenchTarget, openMigratedBenchDatabase } from './databases.ts';
import { benchDocuments } from './documents-bench.ts';
import { benchLearning } from './learning-bench.ts';
import { benchMigration } from './migration-bench.ts';
import { benchSeed } from './seed-bench.ts';

const { values } = parseArgs({
  options: {
    solo: { type: 'string', default: 'migracion,seed,documentos,chat,aprendizaje' },
    clientes: { type: 'string', default: '10000,100000' },
    chunks: { type: 'string', default: '100000' },
    'chat-segundos': { type: 'string', default: '20' },
    'sin-servidor': { type: 'boolean', default: false },
  },
});

function serverAnswers(): Promise<boolean> {
  if (!process.env.DATABASE_URL) return Promise.resolve(false);
  return new Promise((resolve) => {
    const url = new URL(process.env.DATABASE_URL ?? '');
    const socket = connect(Number(url.port || 5432), url.hostname);
    socket.on('connect', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const targets: BenchTarget[] = ['pglite'];
if (!values['sin-servidor'] && (await serverAnswers())) targets.push('postgres');
const suites = new Set((values.solo ?? '').split(','));
const sizes = (values.clientes ?? '')
  .split(',')
  .map(Number)
  .filter((size) => size > 0);

const results: Record<string, unknown> = {
  fecha: new Date().toISOString(),
  node: process.version,
  objetivos: targets,
};
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

if (suites.has('migracion')) {
  const entries: Record<string, unknown> = {};
  for (const target of targets) {
    log(`migración en ${target}`);
    entries[target] = await benchMigration(target);
  }
  results.migracion = entries;
}

if (suites.has('seed')) {
  const entries: Record<string, unknown> = {};
  for (const target of targets) {
    for (const clientes of sizes) {
      log(`seed de ${clientes} clientes en ${target}`);
      entries[`${target}_${clientes}`] = await benchSeed({
        open: () => openMigratedBenchDatabase(target),
        clientes,
      });
    }
  }
  results.seed = entries;
}

if (suites.has('documentos')) {
  const chunks = Number(values.chunks);
  if (!Number.isInteger(chunks) || chunks < 1)
    throw new Error(`--chunks: expected a positive integer, got ${values.chunks}`);
  results.documentos = await benchDocuments({ targets, chunks, log });
}

if (suites.has('chat')) {
  const seconds = Number(values['chat-segundos']);
  if (!(seconds > 0)) throw new Error(`--chat-segundos: expected a positive number, got ${values['chat-segundos']}`);
  results.chat = await benchChat({ targets, sizes, seconds, log });
}

if (suites.has('aprendizaje')) results.aprendizaje = await benchLearning({ targets, log });

console.log(JSON.stringify(results, null, 2));
