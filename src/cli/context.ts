import type { Command } from 'commander';
import { ConfigError, type Config, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { openDatabase, type OpenedDatabase } from '../db/open-database.ts';
import { isAppError } from '../errors.ts';
import type { AnswerQuestionDeps } from '../modules/chat/index.ts';
import { lazyEmbeddingProvider } from '../modules/embeddings/index.ts';
import { chatProviderFromConfig } from '../modules/llm/index.ts';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** What a command body receives: the parsed config and an open, migrated database. */
export interface CommandContext {
  config: Config;
  db: Database;
  opened: OpenedDatabase;
  json: boolean;
}

/** Parses the configuration once for a command, with the global `--data-dir` applied. */
export function configFor(command: Command): { config: Config; json: boolean } {
  const options = command.optsWithGlobals<GlobalOptions>();
  return { config: loadConfig(process.env, { dataDir: options.dataDir }), json: options.json === true };
}

/**
 * Opens the database for one command, runs it, and always closes the database (releasing the
 * data-folder lock). `migrate: false` leaves the schema as it is (read-only commands).
 */
export async function withDatabase(
  command: Command,
  body: (context: CommandContext) => Promise<void>,
  options: { migrate?: boolean } = {},
): Promise<void> {
  const { config, json } = configFor(command);
  const opened = await openDatabase(config, `rapicredit-ai ${command.name()}`);
  try {
    if (options.migrate !== false) await migrate(opened.db);
    await body({ config, db: opened.db, opened, json });
  } finally {
    await opened.db.close();
  }
}

/** Prints a failure the way a user should see it (Spanish, no stack for expected errors) and sets the exit code. */
export function reportFailure(error: unknown): void {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  if (isAppError(error)) {
    console.error(`Error: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  console.error('Error inesperado:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}

/** Prints data as JSON (one document) or as readable text. */
export function printResult(json: boolean, data: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(data) : text());
}

/** What answering needs at the command line: the database, the embeddings and the configured chat model. */
export async function depsFor(context: CommandContext): Promise<AnswerQuestionDeps> {
  return {
    db: context.db,
    embeddings: await lazyEmbeddingProvider(context.config.embeddings)(),
    chat: chatProviderFromConfig(context.config.chat),
  };
}
