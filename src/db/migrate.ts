import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import type { Database, Queryable } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Advisory lock key shared by every process that migrates this database. */
const MIGRATION_LOCK_KEY = 7_261_706_900;
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+?)(?:\.(pgvector|fallback))?\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  /** For migrations that depend on pgvector: which variant this file is. */
  variant: 'pgvector' | 'fallback' | undefined;
  sql: string;
}

export interface MigrationReport {
  applied: { version: number; name: string; variant: string | null }[];
  alreadyApplied: number;
  embeddingsBackend: string;
}

/** Reads the numbered migration files shipped with the code, in order. */
export function listMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .flatMap((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) return [];
      const [, version, name, variant] = match;
      return [
        {
          version: Number(version),
          name: name ?? file,
          variant: variant as MigrationFile['variant'],
          sql: readFileSync(`${dir}${file}`, 'utf8'),
        },
      ];
    })
    .sort((a, b) => a.version - b.version || String(a.variant).localeCompare(String(b.variant)));
}

function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

async function hasPgvector(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ available: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available",
  );
  return rows[0]?.available === true;
}

/**
 * Applies pending migrations, each in its own transaction under an advisory lock, so two processes
 * starting at once apply each migration exactly once. Migrations that need pgvector come in two
 * variants; the one matching the server is chosen here and recorded.
 */
export async function migrate(db: Database, files = listMigrationFiles()): Promise<MigrationReport> {
  const preferred = (await hasPgvector(db)) ? 'pgvector' : 'fallback';
  const versions = [...new Set(files.map((file) => file.version))];
  const report: MigrationReport = { applied: [], alreadyApplied: 0, embeddingsBackend: '' };

  for (const version of versions) {
    const candidates = files.filter((file) => file.version === version);
    const file = candidates.find((candidate) => candidate.variant === undefined || candidate.variant === preferred);
    if (!file) throw new Error(`La migración ${version} no tiene variante «${preferred}».`);
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        nombre      text NOT NULL,
        variante    text,
        checksum    text NOT NULL,
        aplicada_en timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ checksum: string; variante: string | null }>(
        'SELECT checksum, variante FROM schema_migrations WHERE version = $1',
        [version],
      );
      const existing = rows[0];
      if (existing) {
        const recorded = candidates.find((candidate) => (candidate.variant ?? null) === existing.variante);
        if (recorded && checksum(recorded.sql) !== existing.checksum) {
          throw new AppError(
            'CONFLICT',
            `La migración ${version} (${file.name}) ya aplicada fue modificada después de aplicarse; ` +
              'las migraciones solo avanzan: cree una nueva en lugar de editar esta.',
          );
        }
        report.alreadyApplied += 1;
        return;
      }
      await tx.exec(file.sql);
      await tx.query('INSERT INTO schema_migrations (version, nombre, variante, checksum) VALUES ($1, $2, $3, $4)', [
        version,
        file.name,
        file.variant ?? null,
        checksum(file.sql),
      ]);
      report.applied.push({ version, name: file.name, variant: file.variant ?? null });
    });
  }
  const { rows } = await db.query<{ valor: string }>(
    "SELECT valor FROM capacidades_bd WHERE clave = 'embeddings.backend'",
  );
  report.embeddingsBackend = rows[0]?.valor ?? 'desconocido';
  return report;
}
