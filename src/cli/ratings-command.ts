import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../errors.ts';
import { formatValue } from '../modules/chat/index.ts';
import {
  cliActor,
  correctConversation,
  getReviewItem,
  listChanges,
  listReviewQueue,
  processRating,
  qualityStats,
  rateConversation,
  reaskRating,
  type Actor,
  type ChangeEntity,
  type ReviewItem,
  type StatsGrain,
  type Thumb,
} from '../modules/learning/index.ts';
import { type CommandContext, depsFor, printResult, withDatabase } from './context.ts';
import { positiveInteger } from './options.ts';

/** The rater: `--usuario`, else whoever asked the question, else the operator. */
async function raterFor(context: CommandContext, conversationId: number, email: string | undefined): Promise<Actor> {
  if (email !== undefined) return cliActor(context.db, email);
  const { rows } = await context.db.query<{ id: number; email: string; rol: 'ADMIN' | 'ANALISTA' }>(
    `SELECT u.id, u.email, u.rol FROM conversaciones_ai c JOIN users u ON u.id = c.usuario_id WHERE c.id = $1`,
    [conversationId],
  );
  return rows[0] ?? cliActor(context.db, undefined);
}

function reviewText(item: ReviewItem): string {
  const { calificacion: rating, conversacion: answer } = item;
  const stars = rating.estrellas ? ` ${rating.estrellas}★` : '';
  const state = rating.procesado ? (rating.mejorado ? 'procesada, mejorada' : 'procesada') : 'pendiente';
  const lines = [
    `#${rating.id} · conversación ${rating.conversacion_id} · ${rating.calificacion}${stars} · ${state} · ${rating.usuario_email ?? '—'} · ${formatValue(rating.creado_en)}`,
    `  Pregunta: ${answer.pregunta}`,
    `  Respuesta: ${answer.respuesta.split('\n').join('\n             ')}`,
  ];
  if (rating.feedback) lines.push(`  Comentario: ${rating.feedback}`);
  lines.push(`  Ruta: ${answer.ruta ?? '—'} · motor ${answer.motor ?? '—'} · modelo ${answer.modelo_usado ?? '—'}`);
  if (answer.sql) lines.push(`  SQL: ${answer.sql.replace(/\s+/g, ' ')}`, `  Filas: ${answer.filas}`);
  if (answer.pasajes.length > 0)
    lines.push(`  Pasajes: ${answer.pasajes.map((passage) => `${passage.titulo} #${passage.chunk_index}`).join('; ')}`);
  if (answer.terminos_diccionario.length > 0)
    lines.push(`  Términos del diccionario: ${answer.terminos_diccionario.join(', ')}`);
  if (answer.no_entendidas.length > 0) lines.push(`  No entendidas: ${answer.no_entendidas.join(', ')}`);
  if (item.ejemplo_verificado) lines.push(`  Corrección verificada #${item.ejemplo_verificado.id}`);
  if (rating.notas_procesamiento) lines.push(`  Notas: ${rating.notas_procesamiento}`);
  return lines.join('\n');
}

/** `calificar`, `calificaciones list|show|repreguntar|procesar|stats|historial` and `corregir`. */
export function registerRatingCommands(program: Command): void {
  program
    .command('calificar')
    .description('Califica una respuesta: --estrellas 1-5 y/o --pulgar arriba|abajo (calificar de nuevo la reemplaza)')
    .argument('<conversacion_id>', 'la conversación calificada')
    .option('--estrellas <n>', 'de 1 a 5')
    .option('--pulgar <sentido>', 'arriba o abajo')
    .option('--feedback <texto>', 'comentario')
    .option('--usuario <email>', 'quién califica (por defecto quien preguntó)')
    .action(
      async (
        id: string,
        options: { estrellas?: string; pulgar?: string; feedback?: string; usuario?: string },
        command: Command,
      ) => {
        await withDatabase(command, async (context) => {
          const conversationId = positiveInteger(id, 'El id de la conversación');
          if (options.pulgar !== undefined && options.pulgar !== 'arriba' && options.pulgar !== 'abajo') {
            throw new AppError('INVALID_INPUT', 'El pulgar debe ser «arriba» o «abajo».');
          }
          const estrellas = options.estrellas === undefined ? undefined : Number(options.estrellas);
          const rater = await raterFor(context, conversationId, options.usuario);
          const rating = await rateConversation(context.db, rater, conversationId, {
            estrellas: estrellas !== undefined && Number.isNaN(estrellas) ? -1 : estrellas,
            pulgar: options.pulgar as Thumb | undefined,
            feedback: options.feedback,
          });
          printResult(
            context.json,
            rating,
            () =>
              `Calificación ${rating.id} guardada: ${rating.calificacion}${rating.estrellas ? ` (${rating.estrellas} estrellas)` : ''} de ${rating.usuario_email ?? '—'} a la conversación ${rating.conversacion_id}.`,
          );
        });
      },
    );

  const ratings = program.command('calificaciones').description('Cola de revisión de calificaciones (administradores)');
  ratings
    .command('list')
    .description('Calificaciones con su evidencia, las más recientes primero')
    .option('--pendientes', 'solo pulgares abajo sin procesar')
    .option('--calificacion <sentido>', 'arriba o abajo')
    .option('--procesado <si|no>', 'procesadas o no')
    .option('--desde <AAAA-MM-DD>')
    .option('--hasta <AAAA-MM-DD>')
    .option('--limite <n>', 'cuántas', '50')
    .action(
      async (
        options: {
          pendientes?: boolean;
          calificacion?: string;
          procesado?: string;
          desde?: string;
          hasta?: string;
          limite: string;
        },
        command: Command,
      ) => {
        await withDatabase(command, async (context) => {
          if (options.calificacion && options.calificacion !== 'arriba' && options.calificacion !== 'abajo') {
            throw new AppError('INVALID_INPUT', 'La calificación debe ser «arriba» o «abajo».');
          }
          if (options.procesado && !['si', 'sí', 'no'].includes(options.procesado)) {
            throw new AppError('INVALID_INPUT', '--procesado debe ser «si» o «no».');
          }
          for (const value of [options.desde, options.hasta]) {
            if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
              throw new AppError('INVALID_INPUT', `La fecha «${value}» no es válida; use AAAA-MM-DD.`);
            }
          }
          const queue = await listReviewQueue(context.db, {
            pendientes: options.pendientes,
            calificacion: options.calificacion as Thumb | undefined,
            procesado: options.procesado === undefined ? undefined : options.procesado !== 'no',
            desde: options.desde,
            hasta: options.hasta,
            limite: positiveInteger(options.limite, 'El límite'),
          });
          printResult(context.json, queue, () =>
            queue.calificaciones.length === 0
              ? 'No hay calificaciones con esos filtros.'
              : `${queue.total} calificaciones:\n\n${queue.calificaciones.map(reviewText).join('\n\n')}`,
          );
        });
      },
    );

  ratings
    .command('show')
    .description('Una calificación con la pregunta, la respuesta y su evidencia')
    .argument('<id>')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withDatabase(command, async (context) => {
        const item = await getReviewItem(context.db, positiveInteger(id, 'El id de la calificación'));
        printResult(context.json, item, () => reviewText(item));
      });
    });

  ratings
    .command('repreguntar')
    .description('Responde de nuevo la pregunta calificada con lo que el sistema sabe ahora (antes y después)')
    .argument('<id>')
    .option('--usuario <email>', 'administrador que revisa')
    .action(async (id: string, options: { usuario?: string }, command: Command) => {
      await withDatabase(command, async (context) => {
        const actor = await cliActor(context.db, options.usuario);
        const reask = await reaskRating(await depsFor(context), actor, positiveInteger(id, 'El id de la calificación'));
        printResult(
          context.json,
          reask,
          () =>
            `Antes:   ${reask.antes.respuesta}\nDespués: ${reask.despues.respuesta}\n${reask.cambio ? 'La respuesta cambió.' : 'La respuesta no cambió.'}`,
        );
      });
    });

  ratings
    .command('procesar')
    .description(
      'Marca la calificación como procesada; --aceptar marca «mejorado» si la repregunta cambió tras una mejora',
    )
    .argument('<id>')
    .option('--notas <texto>', 'notas del procesamiento')
    .option('--aceptar', 'acepta la respuesta repreguntada como la mejora')
    .option('--usuario <email>', 'administrador que procesa')
    .action(async (id: string, options: { notas?: string; aceptar?: boolean; usuario?: string }, command: Command) => {
      await withDatabase(command, async (context) => {
        const actor = await cliActor(context.db, options.usuario);
        const rating = await processRating(context.db, actor, positiveInteger(id, 'El id de la calificación'), {
          notas: options.notas,
          aceptar: options.aceptar === true,
        });
        printResult(
          context.json,
          rating,
          () => `Calificación ${rating.id} procesada${rating.mejorado ? ' y marcada como mejorada' : ''}.`,
        );
      });
    });

  ratings
    .command('stats')
    .description('Datos del tablero de calidad: estrellas, positivas por período, preguntas que fallan, mejoras')
    .option('--desde <AAAA-MM-DD>')
    .option('--hasta <AAAA-MM-DD>')
    .option('--agrupar <dia|semana|mes>', 'período de la evolución', 'semana')
    .action(async (options: { desde?: string; hasta?: string; agrupar: string }, command: Command) => {
      await withDatabase(command, async (context) => {
        const stats = await qualityStats(context.db, {
          desde: options.desde,
          hasta: options.hasta,
          agrupar: options.agrupar as StatsGrain,
        });
        printResult(context.json, stats, () =>
          [
            `Período ${stats.periodo.desde} a ${stats.periodo.hasta}: ${stats.conversaciones} conversaciones.`,
            `Estrellas: ${stats.distribucion_estrellas.map((row) => `${row.estrellas}★ ${row.total}`).join(' · ')} · sin calificar ${stats.sin_estrellas}${stats.promedio_estrellas === null ? '' : ` · promedio ${formatValue(stats.promedio_estrellas)}`}`,
            `Pulgares: ${stats.pulgares.arriba} arriba, ${stats.pulgares.abajo} abajo.`,
            ...stats.evolucion.map(
              (row) =>
                `  ${row.periodo}: ${row.positivas} positivas, ${row.negativas} negativas${row.porcentaje_positivo === null ? '' : ` (${formatValue(row.porcentaje_positivo)} % positivas)`}`,
            ),
            stats.preguntas_fallidas.length > 0 ? 'Preguntas que más fallan:' : 'Ninguna pregunta con pulgar abajo.',
            ...stats.preguntas_fallidas.map((row) => `  ${row.veces}× ${row.pregunta} (${row.pendientes} pendientes)`),
            `Mejoras: ${stats.mejoras.procesadas} procesadas, ${stats.mejoras.mejoradas} mejoradas, ${stats.mejoras.pendientes} pendientes; ${stats.mejoras.ejemplos_verificados} ejemplos verificados activos.`,
          ].join('\n'),
        );
      });
    });

  ratings
    .command('historial')
    .description('Ediciones de lo que el asistente sabe: quién y cuándo')
    .option('--entidad <diccionario|definicion|ejemplo|calificacion>')
    .option('--limite <n>', 'cuántas', '50')
    .action(async (options: { entidad?: string; limite: string }, command: Command) => {
      await withDatabase(command, async (context) => {
        if (options.entidad && !['diccionario', 'definicion', 'ejemplo', 'calificacion'].includes(options.entidad)) {
          throw new AppError('INVALID_INPUT', 'La entidad debe ser diccionario, definicion, ejemplo o calificacion.');
        }
        const changes = await listChanges(context.db, {
          entidad: options.entidad as ChangeEntity | undefined,
          limite: positiveInteger(options.limite, 'El límite'),
        });
        printResult(
          context.json,
          changes,
          () =>
            changes.cambios
              .map(
                (change) =>
                  `${change.creado_en.toISOString()} · ${change.usuario_email} · ${change.accion} ${change.entidad}${change.registro_id === null ? '' : ` ${change.registro_id}`}`,
              )
              .join('\n') || 'Sin cambios registrados.',
        );
      });
    });

  program
    .command('corregir')
    .description('Registra la SQL o la respuesta correcta de una conversación (ejemplo verificado)')
    .argument('<conversacion_id>')
    .option('--sql <SELECT>', 'la consulta correcta, con los valores escritos')
    .option('--sql-archivo <archivo>', 'la consulta correcta, leída de un archivo')
    .option('--respuesta <texto>', 'la respuesta correcta')
    .option('--calificacion <id>', 'la calificación en revisión que llevó a la corrección')
    .option('--usuario <email>', 'administrador que corrige')
    .action(
      async (
        id: string,
        options: { sql?: string; sqlArchivo?: string; respuesta?: string; calificacion?: string; usuario?: string },
        command: Command,
      ) => {
        await withDatabase(command, async (context) => {
          const actor = await cliActor(context.db, options.usuario);
          const sql = options.sqlArchivo ? await readFile(options.sqlArchivo, 'utf8') : options.sql;
          const correction = await correctConversation(
            context.db,
            actor,
            positiveInteger(id, 'El id de la conversación'),
            {
              sql,
              respuesta: options.respuesta,
              calificacionId:
                options.calificacion === undefined
                  ? undefined
                  : positiveInteger(options.calificacion, 'La calificación'),
            },
          );
          printResult(context.json, correction, () => {
            const preview = correction.vista_previa;
            const rows = preview
              ? `\nFilas hoy: ${preview.filas.length}${preview.truncada ? '+' : ''}${preview.filas[0] ? ` (primera: ${preview.filas[0].map((cell) => formatValue(cell)).join(' · ')})` : ''}`
              : '';
            return `Ejemplo verificado ${correction.ejemplo.id} guardado para «${correction.ejemplo.pregunta}».${rows}`;
          });
        });
      },
    );
}
