import { AppError } from '../errors.ts';

/** `a, b ,c` → ['a', 'b', 'c'] (by `separator`); an empty text is an empty list. */
export const splitList = (text: string, separator = ','): string[] =>
  text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A `si|no` option: true, false, or undefined when it was not given. */
export function yesNo(option: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const answer = value.trim().toLowerCase();
  if (['si', 'sí', 's', 'true'].includes(answer)) return true;
  if (['no', 'n', 'false'].includes(answer)) return false;
  throw new AppError('INVALID_INPUT', `--${option} debe ser «si» o «no» (se recibió «${value}»).`);
}

/** A positive integer argument or option (an id, a limit), with a Spanish error naming it. */
export function positiveInteger(text: string, name: string): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 2_147_483_647) {
    throw new AppError('INVALID_INPUT', `${name} debe ser un número entero positivo (se recibió «${text}»).`);
  }
  return Number(value);
}

/** The rating a `--calificacion` option links an edit to, if given. */
export const ratingId = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : positiveInteger(value, '--calificacion');
