import { foldText } from '../embeddings/index.ts';

/** One token of a question: a word (folded, singular form in `key`), a number or an id document. */
export interface Token {
  /** As written (for messages). */
  text: string;
  /** Folded form (lower case, no accents). */
  folded: string;
  /** Matching form: folded and singular ("vencidas" → "vencida", "comerciales" → "comercial"). */
  key: string;
  kind: 'word' | 'number' | 'cedula' | 'email';
  /** Numeric value for numbers; the normalised document ("V11034041") for cédulas. */
  value?: number | string;
}

/**
 * Singular form of a folded Spanish word by its ending alone (no dictionary): plural nouns and
 * adjectives are what questions vary most, and a stemmer would merge words the engine must keep
 * apart ("pago" the entity, "pagado" the state).
 */
export function singular(word: string): string {
  if (word.length <= 3 || !word.endsWith('s') || /\d/.test(word) || NOT_PLURAL.has(word)) return word;
  if (/(?:[lrndzj]|ion|ad)es$/.test(word) && word.length > 5) {
    const base = word.slice(0, -2);
    return base.endsWith('z') ? `${base.slice(0, -1)}z` : base;
  }
  if (word.endsWith('ses') && word.length > 5) return word.slice(0, -2);
  if (/[aeiou]s$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Words ending in "s" that are not plurals. */
const NOT_PLURAL = new Set(
  'menos mas tres seis antes despues ademas atras lunes martes miercoles jueves viernes mes pues crisis tesis gas bus'.split(
    ' ',
  ),
);

const NUMBER = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^\d+(?:,\d+)?$|^\d+\.\d{1,2}$/;
const CEDULA = /^([vej])-?(\d{6,10})$/;

/** Parses "5.000", "3.000,50", "1500" or "12.5" as written in Spanish. */
function parseNumber(text: string): number {
  if (/^\d+\.\d{1,2}$/.test(text)) return Number(text);
  return Number(text.replace(/\./g, '').replace(',', '.'));
}

/** Splits a question into tokens; `%` becomes the word "porcentaje", "#" the word "numero". */
export function tokenize(question: string): Token[] {
  const raw = question
    // "22%" is a number; a "%" on its own asks for a percentage.
    .replace(/(\d)\s*%/g, '$1 ')
    .replace(/%/g, ' porcentaje ')
    .replace(/#/g, ' numero ')
    .match(/[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+|[\p{L}\p{N}]+(?:[.,-][\p{L}\p{N}]+)*/gu);
  const tokens: Token[] = [];
  for (const piece of raw ?? []) {
    const folded = foldText(piece);
    if (piece.includes('@')) {
      tokens.push({ text: piece, folded, key: folded, kind: 'email', value: piece.toLowerCase() });
      continue;
    }
    const cedula = CEDULA.exec(folded);
    if (cedula) {
      const value = `${(cedula[1] ?? '').toUpperCase()}${cedula[2] ?? ''}`;
      tokens.push({ text: piece, folded, key: folded, kind: 'cedula', value });
      continue;
    }
    if (NUMBER.test(folded)) {
      tokens.push({ text: piece, folded, key: folded, kind: 'number', value: parseNumber(folded) });
      continue;
    }
    // "1-30" or "e-mail": split on the inner punctuation and keep the parts.
    for (const part of piece.split(/[.,-]/)) {
      const foldedPart = foldText(part);
      if (foldedPart === '') continue;
      if (/^\d+$/.test(foldedPart))
        tokens.push({ text: part, folded: foldedPart, key: foldedPart, kind: 'number', value: Number(foldedPart) });
      // "x" is how people write "por" ("préstamos x analista").
      else
        tokens.push({
          text: part,
          folded: foldedPart,
          key: foldedPart === 'x' ? 'por' : singular(foldedPart),
          kind: 'word',
        });
    }
  }
  return tokens;
}

/** The matching keys of a phrase from the dictionary or the field definitions. */
export function phraseKeys(phrase: string): string[] {
  return tokenize(phrase).map((token) => token.key);
}

/** An identifier-safe form of a phrase: "Saldo pendiente" → "saldo_pendiente" (aliases, value words). */
export function slug(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
