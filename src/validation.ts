import type { z } from 'zod';
import { AppError } from './errors.ts';

/** A zod failure as INVALID_INPUT, naming every invalid field in Spanish (`whole` names the input itself). */
export function invalidInputError(error: z.ZodError, whole = 'datos'): AppError {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || whole}: ${issue.message}`);
  return new AppError('INVALID_INPUT', `Datos no válidos: ${problems.join('; ')}.`, {
    cause: error,
    details: error.issues,
  });
}

/** Parses `input` with `schema`, or throws INVALID_INPUT naming every invalid field in Spanish. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInputError(parsed.error);
}
