import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { createApp, startHttpServer } from '../src/http/index.ts';
import { createUser } from '../src/modules/users/index.ts';
import type { LoadRequest, LoadResult } from './chat-load-worker.ts';
import { round, summarise } from './timing.ts';

const ANALYST = { email: 'analista.bench@rapicredit.com', password: 'clave-analista-bench', rol: 'ANALISTA' };

function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./chat-load-worker.ts', import.meta.url), { workerData: request });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`chat load worker exited with code ${code}`));
    });
  });
}

function describe(result: LoadResult): object {
  return {
    peticiones: result.latencies.length,
    por_segundo: round(result.latencies.length / (result.elapsedMs / 1000), 1),
    ...summarise(result.latencies),
    errores: result.errors,
    ...(result.firstError ? { primer_error: result.firstError } : {}),
  };
}

/**
 * Throughput of the real HTTP API on `db` (the evaluation book, local engine): `clients` concurrent
 * clients, each logged in as an ANALISTA with its own bearer token, POST /api/v1/ai/chat with the
 * questions in turn for `seconds`; then the same loop on two cheap routes as the server's own
 * ceiling: GET /api/v1/auth/yo (authenticated: the session is looked up) and GET /api/v1/salud
 * (public, SELECT 1).
 */
export async function benchChatThroughput(options: {
  db: Database;
  questions: readonly string[];
  clients: number;
  seconds: number;
  log: (message: string) => void;
}): Promise<object> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rc-bench-chat-'));
  const config = loadConfig({ RAPICREDIT_DATA_DIR: dataDir, RAPICREDIT_LOGIN_MAX_INTENTOS: '1000' });
  const app = createApp({ db: options.db, config });
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0 });
  try {
    await createUser({ db: options.db, input: ANALYST });
    const tokens: string[] = [];
    for (let n = 0; n < options.clients; n++) {
      const response = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ANALYST.email, password: ANALYST.password, tipo: 'bearer' }),
      });
      if (!response.ok) throw new Error(`chat bench: login failed with HTTP ${response.status}`);
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const durationMs = options.seconds * 1000;
    const load = (route: string, questions: readonly string[]) =>
      runLoad({ url: server.url, tokens, questions: [...questions], path: route, durationMs });
    options.log(`  ${options.clients} clientes preguntando por HTTP durante ${options.seconds} s`);
    const chat = await load('/api/v1/ai/chat', options.questions);
    options.log(`  ${options.clients} clientes en GET /api/v1/auth/yo y /api/v1/salud`);
    const me = await load('/api/v1/auth/yo', []);
    const health = await load('/api/v1/salud', []);
    return {
      clientes: options.clients,
      segundos: options.seconds,
      chat: describe(chat),
      auth_yo: describe(me),
      salud: describe(health),
    };
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
