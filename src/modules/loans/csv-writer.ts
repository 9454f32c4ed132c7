import { isoDate } from './calendar.ts';

const COMMA = 44;
const NEWLINE = 10;
const DOT = 46;
const ZERO = 48;
const NEEDS_QUOTES = /[",\r\n\\]/;

const CLOCK: string[] = [];
for (let minute = 0; minute < 24 * 60; minute++) {
  CLOCK.push(`${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`);
}

/**
 * Builds COPY ... (FORMAT csv) text straight into a growing byte buffer. Millions of rows built
 * with string concatenation spend most of their time in the garbage collector; writing digits and
 * bytes in place keeps the generator cheap next to the database's own work. Each field method
 * starts a new field (the comma is implied); `end()` closes the row.
 */
export class CsvWriter {
  #bytes = Buffer.allocUnsafe(1 << 16);
  #length = 0;
  #rowStarted = false;

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + extra) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }

  #field(): void {
    if (this.#rowStarted) {
      this.#reserve(1);
      this.#bytes[this.#length++] = COMMA;
    }
    this.#rowStarted = true;
  }

  #ascii(text: string): void {
    this.#reserve(text.length);
    for (let index = 0; index < text.length; index++) this.#bytes[this.#length++] = text.charCodeAt(index);
  }

  /** Fast path for integers below 2^31 (ids, cents): no string is allocated. */
  #integer(value: number, width: number): void {
    if (value > 0x7fffffff) return this.#ascii(String(value).padStart(width, '0'));
    let digits = 1;
    for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
    const size = digits > width ? digits : width;
    this.#reserve(size);
    const bytes = this.#bytes;
    let rest = value | 0;
    for (let index = this.#length + size - 1; index >= this.#length; index--) {
      const next = (rest / 10) | 0;
      bytes[index] = ZERO + rest - next * 10;
      rest = next;
    }
    this.#length += size;
  }

  /** ASCII text that never needs quoting (codes, keywords), or NULL. */
  raw(text: string | null): this {
    this.#field();
    if (text !== null) this.#ascii(text);
    return this;
  }

  /** A non-negative integer, left-padded with zeros to `width` digits. */
  int(value: number, width = 1): this {
    this.#field();
    this.#integer(value, width);
    return this;
  }

  /** More digits appended to the current field (a document number built from parts: "REC-" + id). */
  digits(value: number, width = 1): this {
    this.#integer(value, width);
    return this;
  }

  /** A money amount from non-negative integer cents: 9456 → 94.56. */
  money(cents: number): this {
    this.#field();
    const units = Math.floor(cents / 100);
    this.#integer(units, 1);
    this.#reserve(1);
    this.#bytes[this.#length++] = DOT;
    this.#integer(cents - units * 100, 2);
    return this;
  }

  /** A date from a day number, or NULL. */
  date(day: number | null): this {
    return this.raw(day === null ? null : isoDate(day));
  }

  /** A timestamptz at `minute` of `day`, read in the session time zone (America/Caracas). */
  timestamp(day: number, minute: number): this {
    this.raw(isoDate(day));
    this.#ascii(' ');
    this.#ascii(CLOCK[minute] as string);
    return this;
  }

  /**
   * A text field, or NULL. NULL is an unquoted empty field, so an empty string is written quoted
   * (""); quotes are doubled; separators, line breaks and backslashes (the `\.` end marker) force quoting.
   */
  text(value: string | null): this {
    this.#field();
    if (value === null) return this;
    const quoted = value === '' || NEEDS_QUOTES.test(value);
    const body = quoted ? `"${value.replaceAll('"', '""')}"` : value;
    this.#reserve(body.length * 3);
    this.#length += this.#bytes.write(body, this.#length, 'utf8');
    return this;
  }

  /** A boolean field. */
  bool(value: boolean): this {
    return this.raw(value ? 't' : 'f');
  }

  /** The end of a row. */
  end(): this {
    this.#reserve(1);
    this.#bytes[this.#length++] = NEWLINE;
    this.#rowStarted = false;
    return this;
  }

  /** Everything written so far, as text; the writer starts over empty. */
  take(): string {
    const text = this.#bytes.toString('utf8', 0, this.#length);
    this.#length = 0;
    this.#rowStarted = false;
    return text;
  }
}
