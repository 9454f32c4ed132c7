import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, isAppError } from '../errors.ts';
import { invalidInputError } from '../validation.ts';

/** The JSON body of every error response. */
export function errorBody(error: AppError) {
  return { error: { codigo: error.code, mensaje: error.message } };
}

const targetNames: Record<string, string> = { json: 'cuerpo', form: 'formulario', param: 'ruta', query: 'consulta' };

/** A zod failure on request input, as INVALID_INPUT naming each field in Spanish. */
export function invalidInput(error: ZodError, target: string): AppError {
  return invalidInputError(error, targetNames[target] ?? target);
}

// Hono raises these itself (body parsing, content type); give them codes and Spanish messages.
function fromHttpException(error: HTTPException): AppError {
  if (error.status === 400) {
    return new AppError('INVALID_INPUT', 'El cuerpo de la solicitud no es un JSON válido.', { cause: error });
  }
  if (error.status === 415) {
    return new AppError('INVALID_INPUT', 'El cuerpo debe enviarse como JSON (Content-Type: application/json).', {
      cause: error,
    });
  }
  if (error.status === 413) {
    return new AppError('PAYLOAD_TOO_LARGE', 'La solicitud es demasiado grande.', { cause: error });
  }
  return new AppError('INTERNAL', 'Ocurrió un error interno. Intente de nuevo más tarde.', { cause: error });
}

function retryAfterSeconds(error: AppError): number | undefined {
  const details = error.details as { retryAfterSeconds?: unknown } | undefined;
  return typeof details?.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
}

/** The edge's error handler: expected errors become their status and code; anything else a logged 500. */
export function handleError(error: Error, c: Context): Response {
  let appError = isAppError(error) ? error : error instanceof HTTPException ? fromHttpException(error) : undefined;
  if (!appError || appError.code === 'INTERNAL') {
    console.error(error.stack ?? error);
    appError = new AppError('INTERNAL', 'Ocurrió un error interno. Intente de nuevo más tarde.');
  }
  const retryAfter = retryAfterSeconds(appError);
  if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
  return c.json(errorBody(appError), appError.status as ContentfulStatusCode);
}

/** 404 for a path no route serves. */
export function handleNotFound(c: Context): Response {
  const error = new AppError('NOT_FOUND', `No existe la ruta ${c.req.method} ${c.req.path}.`);
  return c.json(errorBody(error), 404);
}
