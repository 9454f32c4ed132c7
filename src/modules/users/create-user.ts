import { z } from 'zod';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { parseInput } from '../../validation.ts';
import { hashPassword } from './password.ts';
import { roles, userColumns, type User } from './user.ts';

/** What it takes to create a user; emails are stored trimmed and lowercase. */
export const createUserInput = z.object({
  email: z
    .string({ error: 'es obligatorio' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'no es un correo válido' })),
  password: z
    .string({ error: 'es obligatoria' })
    .min(8, 'debe tener al menos 8 caracteres')
    .max(1024, 'debe tener como máximo 1024 caracteres'),
  rol: z.enum(roles, { error: 'debe ser ADMIN o ANALISTA' }),
  nombre: z.string({ error: 'debe ser texto' }).trim().max(100, 'es demasiado largo').default(''),
  apellido: z.string({ error: 'debe ser texto' }).trim().max(100, 'es demasiado largo').default(''),
});

const uniqueViolation = '23505';

/** Creates a user (input validated here) with an argon2id password hash; CONFLICT when the email is taken. */
export async function createUser(options: { db: Queryable; input: unknown }): Promise<User> {
  const { db } = options;
  const data = parseInput(createUserInput, options.input);
  const passwordHash = await hashPassword(data.password);
  try {
    const { rows } = await db.query<User>(
      `INSERT INTO users (email, password_hash, rol, nombre, apellido)
       VALUES ($1, $2, $3, $4, $5)
       RETURNING ${userColumns}`,
      [data.email, passwordHash, data.rol, data.nombre, data.apellido],
    );
    return rows[0] as User;
  } catch (error) {
    if ((error as { code?: unknown }).code === uniqueViolation) {
      throw new AppError('CONFLICT', `Ya existe un usuario con el correo ${data.email}.`, { cause: error });
    }
    throw error;
  }
}
