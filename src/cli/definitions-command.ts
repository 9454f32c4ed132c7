import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import {
  cliActor,
  createFieldDefinition,
  getFieldDefinition,
  listFieldDefinitions,
  removeFieldDefinition,
  syncFieldDefinitions,
  updateFieldDefinition,
  type FieldDefinitionRecord,
  type SyncReport,
} from '../modules/learning/index.ts';
import { printResult, withDatabase } from './context.ts';
import { ratingId, splitList, yesNo } from './options.ts';

interface EditOptions {
  definicion?: string;
  notas?: string;
  sinonimos?: string;
  valores?: string;
  catalogo?: string;
  personal?: string;
  activo?: string;
  calificacion?: string;
  usuario?: string;
}

/** The fields an `add` or `update` sets, from its options (only those given). */
function editInput(options: EditOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {
    definicion: options.definicion,
    notas: options.notas,
    sinonimos: options.sinonimos === undefined ? undefined : splitList(options.sinonimos),
    valores_posibles: options.valores === undefined ? undefined : splitList(options.valores),
    es_catalogo: yesNo('catalogo', options.catalogo),
    dato_personal: yesNo('personal', options.personal),
    activo: yesNo('activo', options.activo),
    calificacion_id: ratingId(options.calificacion),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function traits(definition: FieldDefinitionRecord): string {
  const parts = [definition.tipo_dato ?? 'tipo desconocido'];
  if (definition.es_obligatorio) parts.push('obligatorio');
  if (definition.tiene_indice) parts.push('con índice');
  if (definition.es_clave_foranea) {
    parts.push(`→ ${definition.tabla_referenciada ?? '?'}.${definition.campo_referenciado ?? '?'}`);
  }
  if (definition.dato_personal) parts.push('dato personal');
  if (definition.es_catalogo) parts.push('catálogo');
  if (!definition.activo) parts.push('INACTIVA');
  return parts.join(' · ');
}

function describeLine(definition: FieldDefinitionRecord): string {
  const text = definition.definicion === '' ? '(sin definición)' : definition.definicion;
  return `#${definition.id} ${definition.tabla}.${definition.campo}  [${traits(definition)}]  ${text}`;
}

function describeDefinition(definition: FieldDefinitionRecord): string {
  const list = (items: string[]) => (items.length > 0 ? items.join(', ') : '—');
  return [
    `Definición #${definition.id}: ${definition.tabla}.${definition.campo}`,
    `  Definición: ${definition.definicion || '(sin definición)'}`,
    `  Tipo: ${traits(definition)}`,
    `  Valores posibles: ${list(definition.valores_posibles)}`,
    `  Ejemplos: ${list(definition.ejemplos_valores)}`,
    `  Sinónimos: ${list(definition.sinonimos)}`,
    `  Notas: ${definition.notas ?? '—'}`,
    `  Actualizada: ${definition.actualizado_en.toISOString()}${
      definition.actualizado_por_email ? ` por ${definition.actualizado_por_email}` : ''
    }; sincronizada: ${definition.sincronizado_en?.toISOString() ?? 'nunca'}`,
  ].join('\n');
}

/** `tabla: a, b; tabla2: c` — keys grouped by table so long lists stay readable. */
function byTable(keys: string[]): string {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const [tabla = '', campo = ''] = key.split('.');
    groups.set(tabla, [...(groups.get(tabla) ?? []), campo]);
  }
  return [...groups].map(([tabla, campos]) => `    ${tabla}: ${campos.join(', ')}`).join('\n');
}

function describeSync(report: SyncReport): string {
  const lines = [
    `Definiciones sincronizadas en ${report.tiempo_ms} ms: ${report.creadas} creadas, ` +
      `${report.actualizadas} actualizadas, ${report.sin_cambios} sin cambios.`,
  ];
  if (report.campos_creados.length > 0) lines.push('  Creadas:', byTable(report.campos_creados));
  if (report.campos_actualizados.length > 0) lines.push('  Actualizadas:', byTable(report.campos_actualizados));
  if (report.sin_definicion.length > 0) {
    lines.push(
      `  Sin definición (${report.sin_definicion.length}; escríbala con «definiciones update tabla.campo --definicion ...»):`,
      byTable(report.sin_definicion),
    );
  }
  if (report.sin_columna.length > 0) {
    lines.push('  Su columna ya no existe (se dejaron como estaban):', byTable(report.sin_columna));
  }
  return lines.join('\n');
}

const usuarioOption = [
  '--usuario <email>',
  'quién hace el cambio (por defecto, el operador como administrador)',
] as const;
const calificacionOption = ['--calificacion <id>', 'calificación en revisión que motivó el cambio'] as const;

/** `definiciones sync | list | show | add | update | remove`: the field definitions the assistant reads. */
export function registerDefinitionsCommand(program: Command): void {
  const definitions = program
    .command('definiciones')
    .description('Definiciones de campos (ai_definiciones_campos): lo que el asistente sabe de cada columna');

  definitions
    .command('sync')
    .description('Crea las definiciones que faltan y corrige sus datos técnicos desde la base de datos')
    .option(...usuarioOption)
    .action(async (options: { usuario?: string }, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const report = await syncFieldDefinitions(db, await cliActor(db, options.usuario));
        printResult(json, report, () => describeSync(report));
      });
    });

  definitions
    .command('list')
    .description('Lista las definiciones (por tabla y número)')
    .option('--tabla <tabla>', 'solo las de esta tabla')
    .option('--texto <texto>', 'que mencionen este texto (columna, definición, notas o sinónimos)')
    .option('--activo <si|no>', 'solo las activas (si) o las inactivas (no)')
    .action(async (options: { tabla?: string; texto?: string; activo?: string }, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const definiciones = await listFieldDefinitions(db, {
          tabla: options.tabla,
          texto: options.texto,
          activo: yesNo('activo', options.activo),
        });
        printResult(json, { total: definiciones.length, definiciones }, () =>
          definiciones.length === 0
            ? 'No hay definiciones con esos filtros.'
            : [...definiciones.map(describeLine), `${definiciones.length} definiciones.`].join('\n'),
        );
      });
    });

  definitions
    .command('show')
    .description('Muestra una definición')
    .argument('<definicion>', 'tabla.campo o número')
    .action(async (ref: string, _options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const definition = await getFieldDefinition(db, ref);
        printResult(json, definition, () => describeDefinition(definition));
      });
    });

  definitions
    .command('add')
    .description('Crea la definición de una columna que el asistente puede leer')
    .argument('<columna>', 'tabla.campo')
    .requiredOption('--definicion <texto>', 'qué significa la columna')
    .option('--notas <texto>', 'notas internas')
    .option('--sinonimos <lista>', 'palabras con que el personal la nombra, separadas por comas')
    .option('--valores <lista>', 'valores posibles, separados por comas')
    .option('--catalogo <si|no>', 'leer sus valores de los datos para entenderlos en las preguntas')
    .option('--personal <si|no>', 'dato personal (ejemplos enmascarados)')
    .option(...calificacionOption)
    .option(...usuarioOption)
    .action(async (column: string, options: EditOptions, command: Command) => {
      const [tabla, campo, ...rest] = column.split('.');
      if (!tabla || !campo || rest.length > 0) {
        throw new AppError('INVALID_INPUT', `Indique la columna como tabla.campo (se recibió «${column}»).`);
      }
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const created = await createFieldDefinition(db, actor, { tabla, campo, ...editInput(options) });
        printResult(json, created, () => `Definición creada.\n${describeDefinition(created)}`);
      });
    });

  definitions
    .command('update')
    .description('Edita los campos humanos de una definición (los técnicos cambian al sincronizar)')
    .argument('<definicion>', 'tabla.campo o número')
    .option('--definicion <texto>', 'qué significa la columna')
    .option('--notas <texto>', 'notas internas («» las borra)')
    .option('--sinonimos <lista>', 'reemplaza los sinónimos (separados por comas)')
    .option('--valores <lista>', 'reemplaza los valores posibles (separados por comas)')
    .option('--catalogo <si|no>', 'leer sus valores de los datos para entenderlos en las preguntas')
    .option('--personal <si|no>', 'dato personal (ejemplos enmascarados)')
    .option('--activo <si|no>', 'si el asistente la usa')
    .option(...calificacionOption)
    .option(...usuarioOption)
    .action(async (ref: string, options: EditOptions, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const updated = await updateFieldDefinition(db, actor, ref, editInput(options));
        printResult(json, updated, () => `Definición actualizada.\n${describeDefinition(updated)}`);
      });
    });

  definitions
    .command('remove')
    .description('Elimina una definición (el historial la conserva; sync la vuelve a crear vacía)')
    .argument('<definicion>', 'tabla.campo o número')
    .option(...calificacionOption)
    .option(...usuarioOption)
    .action(async (ref: string, options: EditOptions, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const removed = await removeFieldDefinition(db, actor, ref, {
          calificacion_id: ratingId(options.calificacion),
        });
        printResult(
          json,
          removed,
          () => `Definición #${removed.id} (${removed.tabla}.${removed.campo}) eliminada; queda en el historial.`,
        );
      });
    });
}
