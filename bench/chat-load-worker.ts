// Load generator for the chat throughput bench, in a worker thread so the clients do not share the
// server's event loop: `clients` loops, each with its own bearer token, sending requests over HTTP
// until `durationMs` has passed. Posts back every latency and the failures.
import { parentPort, workerData } from 'node:worker_threads';

/** What the worker is asked to do. */
export interface LoadRequest {
  url: string;
  tokens: string[];
  /** POST /ai/chat with these questions in turn, or GET `path` when empty. */
  questions: string[];
  path: string;
  durationMs: number;
}

/** What the worker reports. */
export interface LoadResult {
  latencies: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

async function run(request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + request.durationMs;
  const client = async (index: number, token: string) => {
    let n = index * 7;
    while (performance.now() < deadline) {
      const question = request.questions[n++ % Math.max(1, request.questions.length)];
      const sent = performance.now();
      try {
        const response = await fetch(`${request.url}${request.path}`, {
          method: question === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: question === undefined ? undefined : JSON.stringify({ pregunta: question }),
        });
        const body = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 200)}`);
        latencies.push(performance.now() - sent);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(request.tokens.map((token, index) => client(index, token)));
  return { latencies, errors, firstError, elapsedMs: performance.now() - started };
}

parentPort?.postMessage(await run(workerData as LoadRequest));
