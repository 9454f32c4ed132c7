/** The character that stands for hidden characters in a masked sample value. */
export const MASK = '•';

const HIDDEN = MASK.repeat(3);
const MAX_WORDS = 8;

/**
 * A sample value of a personal-data column, masked by its shape so the example shows what the data
 * looks like without revealing whose it is:
 * - cédula / RIF (`V12345678`): letter, first two and last two digits → `V12•••••78`;
 * - e-mail: first character of the user and the domain → `j•••@dominio.com`;
 * - date (`1988-05-17`, or a timestamp): the year only → `1988-••-••`;
 * - phone or any run of digits: every digit but the last two hidden, separators kept → `••••-•••••34`;
 * - other text (names, addresses, notes): the initial of each word → `M••• P•••` (at most 8 words).
 * A value that already carries the mask is returned as it is, so masking twice changes nothing.
 */
export function maskValue(value: string): string {
  const text = value.trim();
  if (text === '' || text.includes(MASK)) return text;
  const cedula = /^([VEJGP])-?(\d{2})\d*(\d{2})$/i.exec(text);
  if (cedula && text.replace(/\D/g, '').length >= 5) return `${cedula[1]}${cedula[2]}${MASK.repeat(5)}${cedula[3]}`;
  const email = /^([^@\s])[^@\s]*@([^@\s]+)$/.exec(text);
  if (email) return `${email[1]}${HIDDEN}@${email[2]}`;
  const date = /^(\d{4})-\d{2}-\d{2}/.exec(text);
  if (date) return `${date[1]}-${MASK}${MASK}-${MASK}${MASK}`;
  if (/^[+\d][\d\s().-]*$/.test(text)) return maskDigits(text);
  return maskWords(text);
}

function maskDigits(text: string): string {
  const digits = text.replace(/\D/g, '').length;
  if (digits <= 4) return HIDDEN;
  let seen = 0;
  return text.replace(/\d/g, (digit) => (++seen > digits - 2 ? digit : MASK));
}

function maskWords(text: string): string {
  const words = text.split(/[\s,;:]+/).filter((word) => word !== '');
  const masked = words.slice(0, MAX_WORDS).map((word) => {
    const initial = /^\p{L}/u.exec(word)?.[0];
    return initial ? `${initial}${HIDDEN}` : HIDDEN;
  });
  if (words.length > MAX_WORDS) masked.push('…');
  return masked.join(' ');
}
