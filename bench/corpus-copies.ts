import { readdir, readFile } from 'node:fs/promises';
import { CORPUS_DIR } from './retrieval-quality.ts';

/** One corpus file as uploaded: its name and bytes. */
export interface CorpusFile {
  nombreArchivo: string;
  bytes: Uint8Array;
}

/** The corpus files, sorted by name. */
export async function readCorpusFiles(): Promise<CorpusFile[]> {
  const names = (await readdir(CORPUS_DIR)).sort();
  return Promise.all(
    names.map(async (nombreArchivo) => ({
      nombreArchivo,
      bytes: new Uint8Array(await readFile(new URL(nombreArchivo, CORPUS_DIR))),
    })),
  );
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;

/** A zip with `comment` as its archive comment (the end-of-central-directory record's, which readers skip). */
function withZipComment(bytes: Uint8Array, comment: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = bytes.byteLength - EOCD_SIZE;
  if (eocd < 0 || view.getUint32(eocd, true) !== EOCD_SIGNATURE || view.getUint16(eocd + 20, true) !== 0) {
    throw new Error('expected a zip without an archive comment');
  }
  const text = new TextEncoder().encode(comment);
  const copy = new Uint8Array(bytes.byteLength + text.byteLength);
  copy.set(bytes);
  copy.set(text, bytes.byteLength);
  new DataView(copy.buffer).setUint16(eocd + 20, text.byteLength, true);
  return copy;
}

/**
 * Copy `n` of a corpus file with bytes of its own (so the content-hash dedupe keeps it) and the same
 * extracted text: text formats get `n` trailing spaces on a last blank line, a PDF a `%copia n`
 * comment after `%%EOF`, a DOCX (a zip) the archive comment `copia n`.
 */
export function uniqueCopy(file: CorpusFile, n: number): CorpusFile {
  const extension = file.nombreArchivo.split('.').at(-1);
  const append = (text: string) => new Uint8Array([...file.bytes, ...new TextEncoder().encode(text)]);
  const bytes =
    extension === 'pdf'
      ? append(`\n%copia ${n}\n`)
      : extension === 'docx'
        ? withZipComment(file.bytes, `copia ${n}`)
        : append(`\n${' '.repeat(n)}\n`);
  const dot = file.nombreArchivo.lastIndexOf('.');
  return { nombreArchivo: `${file.nombreArchivo.slice(0, dot)}-copia-${n}${file.nombreArchivo.slice(dot)}`, bytes };
}
