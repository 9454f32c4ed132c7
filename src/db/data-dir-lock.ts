import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { AppError } from '../errors.ts';

const LOCK_NAME = '.en-uso';
const INFO_NAME = '.en-uso.json';

/** Who holds a data folder: written beside the lock so a second process can say who it is. */
export interface LockHolder {
  pid: number;
  comando: string;
  desde: string;
  url?: string;
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, INFO_NAME), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'otro proceso';
  const where = holder.url ? ` en ${holder.url}` : '';
  return `el proceso ${holder.pid} («${holder.comando}»${where}, desde ${holder.desde})`;
}

/** True when `pid` names no running process on this machine. */
function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function takeLock(dataDir: string): Promise<() => Promise<void>> {
  return lockfile.lock(dataDir, {
    lockfilePath: path.join(dataDir, LOCK_NAME),
    stale: 10_000,
    update: 2_000,
    realpath: false,
  });
}

/**
 * Takes the data folder for this process. PGlite is single-process: a second process writing the
 * same folder would corrupt it, so a second opener stops here with a Spanish explanation instead.
 * A lock left by a process that died is taken over at once when its holder's pid is gone (else it
 * goes stale after a few seconds).
 */
export async function lockDataDir(
  dataDir: string,
  comando: string,
): Promise<{ release: () => Promise<void>; setUrl: (url: string) => void }> {
  mkdirSync(dataDir, { recursive: true });
  let releaseLock: () => Promise<void>;
  try {
    try {
      releaseLock = await takeLock(dataDir);
    } catch (error) {
      const holder = readHolder(dataDir);
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED' || !holder || !isDead(holder.pid)) throw error;
      rmSync(path.join(dataDir, LOCK_NAME), { recursive: true, force: true });
      releaseLock = await takeLock(dataDir);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new AppError(
      'DATA_DIR_LOCKED',
      `La carpeta de datos ${dataDir} está en uso por ${describeHolder(readHolder(dataDir))}. ` +
        'La base embebida (PGlite) admite un solo proceso a la vez: detenga ese proceso antes de ' +
        'ejecutar este comando, use la API del servidor en marcha, o configure DATABASE_URL con un ' +
        'servidor PostgreSQL para trabajar con varios procesos.',
      { cause: error },
    );
  }
  const holder: LockHolder = { pid: process.pid, comando, desde: new Date().toISOString() };
  const writeHolder = () => writeFileSync(path.join(dataDir, INFO_NAME), JSON.stringify(holder));
  writeHolder();
  return {
    async release() {
      rmSync(path.join(dataDir, INFO_NAME), { force: true });
      await releaseLock();
    },
    setUrl(url) {
      holder.url = url;
      writeHolder();
    },
  };
}
