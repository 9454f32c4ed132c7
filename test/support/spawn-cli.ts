import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** A CLI child started without waiting for it: for tests that kill it mid-way. */
export interface SpawnedCli {
  child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `rapicredit-ai <args>` like `runCli` does (no inherited DATABASE_URL or data folder) and returns at once. */
export function spawnCli(args: string[], env: Record<string, string | undefined>): SpawnedCli {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.RAPICREDIT_DATA_DIR;
  const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env: { ...base, ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return { child, output: () => output, exited };
}
