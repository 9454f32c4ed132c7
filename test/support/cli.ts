import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerDatabase, onServer } from './database.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI child runs with: no inherited DATABASE_URL unless given. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.DATABASE_URL;
  delete base.RAPICREDIT_DATA_DIR;
  return { ...base, ...env };
}

/** Runs `rapicredit-ai <args>` in a child process with the same Node.js binary, and waits for it. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running CLI command and resolves once its output matches `ready`. */
export function startCli(
  args: string[],
  env: Record<string, string | undefined>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ENTRY, ...args], { cwd: ROOT, env: childEnv(env) });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI not ready after 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve({ child, output: () => output, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code} before being ready:\n${output}`));
    });
  });
}

/** Sends SIGTERM and waits for the process to exit; returns its exit code. */
export function stopCli(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('close');
    child.on('close', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** Where one test file's CLI runs keep their data: a temporary folder, and a fresh server database on the server. */
export interface CliWorkspace {
  env: Record<string, string | undefined>;
  workDir: string;
  cleanup(): Promise<void>;
}

/**
 * A workspace for CLI tests: its own data folder (or server database when DATABASE_URL is set), the
 * local chat and embedding providers, and no inherited API key.
 */
export async function openCliWorkspace(prefix: string): Promise<CliWorkspace> {
  const workDir = mkdtempSync(path.join(tmpdir(), prefix));
  const env: Record<string, string | undefined> = {
    RAPICREDIT_DATA_DIR: path.join(workDir, 'data'),
    RAPICREDIT_CHAT_PROVEEDOR: 'local',
    RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'local',
    OPENAI_API_KEY: undefined,
    OPENAI_BASE_URL: undefined,
  };
  let drop: (() => Promise<void>) | undefined;
  if (onServer) {
    const server = await createServerDatabase();
    drop = server.drop;
    env.DATABASE_URL = server.url;
  }
  return {
    env,
    workDir,
    async cleanup() {
      await drop?.();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
