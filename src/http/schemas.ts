import { z } from '@hono/zod-openapi';
import { roles } from '../modules/users/index.ts';

/** Every error response: a stable code and a Spanish message. */
export const errorSchema = z
  .object({ error: z.object({ codigo: z.string(), mensaje: z.string() }) })
  .openapi('Error', { example: { error: { codigo: 'NOT_FOUND', mensaje: 'No existe el préstamo 999.' } } });

/** A timestamptz, as ISO 8601. */
export const timestamp = z.string().openapi({ format: 'date-time' });
/** A calendar date, `YYYY-MM-DD`. */
export const date = z.string().openapi({ format: 'date', example: '2026-01-31' });

/** A user as the API shows it (never with its password hash). */
export const userSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    nombre: z.string(),
    apellido: z.string(),
    rol: z.enum(roles),
    activo: z.boolean(),
    creado_en: timestamp,
    ultimo_acceso: timestamp.nullable(),
  })
  .openapi('Usuario');

/** A path parameter `id`: a positive integer that fits PostgreSQL's integer. */
export const idParams = z.object({
  id: z
    .string()
    .regex(/^[0-9]+$/, { error: 'debe ser un número entero positivo' })
    .transform(Number)
    .refine((id) => id >= 1 && id <= 2_147_483_647, { error: 'debe ser un número entero positivo' })
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

/** An id in a JSON body: a positive integer that fits PostgreSQL's integer. */
export const positiveId = z
  .number({ error: 'debe ser un número entero' })
  .int('debe ser un número entero')
  .min(1, 'debe ser mayor que 0')
  .max(2_147_483_647, 'es demasiado grande');

/** A query-string integer in [min, max], with a Spanish message naming the parameter. */
export const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, { error: `${name} debe ser un número entero` })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: `debe estar entre ${min} y ${max}` });
