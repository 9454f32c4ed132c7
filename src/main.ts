import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { registerAskCommands } from './cli/ask-command.ts';
import { registerDefinitionsCommand } from './cli/definitions-command.ts';
import { registerDictionaryCommand } from './cli/dictionary-command.ts';
import { registerDbCommand } from './cli/db-command.ts';
import { registerDocsCommand } from './cli/docs-command.ts';
import { reportFailure } from './cli/context.ts';
import { registerMigrateCommand } from './cli/migrate-command.ts';
import { registerRatingCommands } from './cli/ratings-command.ts';
import { registerSeedCommand } from './cli/seed-command.ts';
import { registerServeCommands } from './cli/serve-command.ts';
import { registerSqlCommand } from './cli/sql-command.ts';
import { registerUsersCommand } from './cli/users-command.ts';

/** Builds the `rapicredit-ai` command line: the composition root for every entry point. */
export function buildProgram(): Command {
  const program = new Command('rapicredit-ai')
    .description('RAPICREDIT AI: asistente de la cartera de préstamos y de los documentos de la empresa')
    .option('--data-dir <carpeta>', 'carpeta de datos de la base embebida (por defecto ./data o RAPICREDIT_DATA_DIR)')
    .option('--json', 'salida en JSON cuando el resultado son datos')
    .showHelpAfterError()
    .exitOverride();
  registerMigrateCommand(program);
  registerSeedCommand(program);
  registerSqlCommand(program);
  registerDbCommand(program);
  registerUsersCommand(program);
  registerDocsCommand(program);
  registerAskCommands(program);
  registerRatingCommands(program);
  registerDictionaryCommand(program);
  registerDefinitionsCommand(program);
  registerServeCommands(program);
  return program;
}

/** Runs the CLI with `argv` (as in process.argv). */
export async function main(argv: string[]): Promise<void> {
  // Messages of any schema without its own wording come out in Spanish too.
  z.config(z.locales.es());
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    reportFailure(error);
  }
}

if (import.meta.main) await main(process.argv);
