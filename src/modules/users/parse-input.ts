import type { z } from 'zod';
import { AppError } from '../../errors.ts';

/** Parses `input` with `schema`, or throws INVALID_INPUT naming every invalid field in Spanish. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'datos'}: ${issue.message}`);
  throw new AppError('INVALID_INPUT', `Datos no válidos: ${problems.join('; ')}.`, {
    cause: parsed.error,
    details: parsed.error.issues,
  });
}
