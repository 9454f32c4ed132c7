/**
 * Calendar dates as whole day numbers (days since 1970-01-01, UTC), so the generator can add and
 * compare dates with plain arithmetic and never meets a time-zone shift.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Millions of rows share a few thousand distinct dates: format each one once.
const formatted = new Map<number, string>();

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const day = toDay(text);
  return Number.isFinite(day) && isoDate(day) === text;
}

/** The day number of a `YYYY-MM-DD` date. */
export function toDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / MS_PER_DAY;
}

/** The `YYYY-MM-DD` text of a day number. */
export function isoDate(day: number): string {
  let text = formatted.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    formatted.set(day, text);
  }
  return text;
}

/** `day` plus `months` calendar months, clamped to the end of a shorter month (Jan 31 + 1 → Feb 28/29). */
export function addMonths(day: number, months: number): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastOfTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(date.getUTCDate(), lastOfTarget)) / MS_PER_DAY;
}

/** Whole years between two day numbers (age on `onDay` of someone born on `birthDay`). */
export function yearsBetween(birthDay: number, onDay: number): number {
  const birth = new Date(birthDay * MS_PER_DAY);
  const on = new Date(onDay * MS_PER_DAY);
  let years = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) years--;
  return years;
}
