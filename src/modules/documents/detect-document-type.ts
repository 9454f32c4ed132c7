import { AppError } from '../../errors.ts';
import type { DocumentType } from './extracted-document.ts';
import { decodeText } from './extract-text.ts';
import { readZipEntryNames } from './zip-entries.ts';

/** What the bytes are, judged from the content alone. */
type Content =
  | { kind: 'pdf' | 'docx' }
  | { kind: 'text'; text: string }
  | { kind: 'unsupported'; label: string }
  | { kind: 'damaged-zip' };

/** What the file name says the file is; `type` is null for formats the system does not read. */
interface NameClaim {
  extension: string;
  type: DocumentType | null;
}

const ACCEPTED = 'Se aceptan PDF, DOCX, TXT, Markdown y HTML.';
const TEXT_TYPES: readonly DocumentType[] = ['txt', 'md', 'html'];
const EXTENSION_TYPES: Record<string, DocumentType> = {
  pdf: 'pdf',
  docx: 'docx',
  txt: 'txt',
  text: 'txt',
  md: 'md',
  markdown: 'md',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
};
/** Extensions of formats the system does not read: a name with one of them claims a different type. */
const OTHER_FORMATS = new Set(
  `doc docm dotx rtf odt ods odp xls xlsx xlsm ppt pptx pages key numbers epub png jpg jpeg gif bmp tif tiff
   webp heic zip rar 7z gz tar exe dll mp3 mp4 wav avi mov`.split(/\s+/),
);
const SIGNATURES: { label: string; magic: (number | string)[]; offset?: number }[] = [
  { label: 'imagen PNG', magic: [0x89, 'PNG'] },
  { label: 'imagen JPEG', magic: [0xff, 0xd8, 0xff] },
  { label: 'imagen GIF', magic: ['GIF8'] },
  { label: 'imagen TIFF', magic: ['II*', 0] },
  { label: 'imagen TIFF', magic: ['MM', 0, '*'] },
  { label: 'documento de Office 97-2003 (.doc/.xls/.ppt); guárdelo como DOCX o PDF', magic: [0xd0, 0xcf, 0x11, 0xe0] },
  { label: 'documento RTF', magic: ['{\\rtf'] },
  { label: 'programa ejecutable', magic: [0x7f, 'ELF'] },
  { label: 'archivo comprimido GZIP', magic: [0x1f, 0x8b] },
  { label: 'archivo comprimido 7z', magic: ['7z', 0xbc, 0xaf] },
  { label: 'archivo comprimido RAR', magic: ['Rar!'] },
  { label: 'archivo de audio, video o imagen RIFF', magic: ['RIFF'] },
  { label: 'archivo de audio o video', magic: ['ftyp'], offset: 4 },
];
/** Share of control characters above which decoded "text" is really binary data. */
const MAX_CONTROL_SHARE = 0.05;
const SNIFF_BYTES = 64 * 1024;

/**
 * Decides a document's type from its content: PDF by its `%PDF-` header, DOCX by a zip holding
 * `word/document.xml`, and text as HTML, Markdown or plain text by its structure. The file name only
 * chooses among the text types (`.md` stays Markdown, `.txt` plain text); content always wins over a
 * missing or text extension, and a name claiming another binary format (`informe.pdf` holding a DOCX,
 * `x.docx` holding text) is refused as a mismatch. Empty, binary and unsupported files are refused.
 */
export async function detectDocumentType(bytes: Uint8Array, fileName: string): Promise<DocumentType> {
  if (isBlank(bytes)) throw invalid('El archivo está vacío.');
  const claim = nameClaim(fileName);
  const content = await sniffContent(bytes);
  switch (content.kind) {
    case 'unsupported':
      throw invalid(`Tipo de archivo no admitido (${content.label}). ${ACCEPTED}`);
    case 'damaged-zip':
      if (claim?.type === 'docx') throw invalid('El DOCX está dañado o no se puede leer.');
      throw invalid(`Tipo de archivo no admitido (archivo ZIP dañado). ${ACCEPTED}`);
    case 'text':
      if (claim?.type && TEXT_TYPES.includes(claim.type)) return claim.type;
      if (claim) throw mismatch(claim, 'texto');
      return textType(content.text);
    default:
      if (claim && claim.type !== content.kind && !(claim.type && TEXT_TYPES.includes(claim.type))) {
        throw mismatch(claim, content.kind === 'pdf' ? 'un PDF' : 'un DOCX');
      }
      return content.kind;
  }
}

/** True for a file with no bytes, or only whitespace (after an optional UTF-8 byte order mark). */
export function isBlank(bytes: Uint8Array): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let index = start; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false;
  }
  return true;
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}

function mismatch(claim: NameClaim, contentLabel: string): AppError {
  return invalid(
    `El nombre del archivo indica ${claim.extension.toUpperCase()} (.${claim.extension}), pero el contenido es ` +
      `${contentLabel}. Revise que sea el archivo correcto o corrija su extensión.`,
  );
}

/** The type the file name claims, or null when it has no extension or one that claims nothing. */
function nameClaim(fileName: string): NameClaim | null {
  const extension = /\.([a-z0-9]{1,10})$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (!extension) return null;
  const type = EXTENSION_TYPES[extension];
  if (type) return { extension, type };
  return OTHER_FORMATS.has(extension) ? { extension, type: null } : null;
}

async function sniffContent(bytes: Uint8Array): Promise<Content> {
  if (startsWith(bytes, ['PK', 3, 4]) || startsWith(bytes, ['PK', 5, 6])) return sniffZip(bytes);
  // The PDF header may follow a little junk: readers look for it in the first kilobyte.
  if (latin1(bytes.subarray(0, 1024)).includes('%PDF-')) return { kind: 'pdf' };
  const signature = SIGNATURES.find((candidate) => startsWith(bytes, candidate.magic, candidate.offset));
  if (signature) return { kind: 'unsupported', label: signature.label };
  if (looksBinary(bytes)) return { kind: 'unsupported', label: 'archivo binario' };
  return { kind: 'text', text: decodeText(bytes) };
}

async function sniffZip(bytes: Uint8Array): Promise<Content> {
  let names: string[];
  try {
    names = await readZipEntryNames(bytes);
  } catch {
    return { kind: 'damaged-zip' };
  }
  if (names.includes('word/document.xml')) return { kind: 'docx' };
  if (names.some((name) => name.startsWith('xl/'))) return { kind: 'unsupported', label: 'hoja de cálculo XLSX' };
  if (names.some((name) => name.startsWith('ppt/'))) return { kind: 'unsupported', label: 'presentación PPTX' };
  if (names.includes('mimetype')) return { kind: 'unsupported', label: 'documento OpenDocument o EPUB' };
  return { kind: 'unsupported', label: 'archivo ZIP' };
}

function startsWith(bytes: Uint8Array, magic: readonly (number | string)[], offset = 0): boolean {
  const expected = magic.flatMap((part) => (typeof part === 'number' ? [part] : [...part].map((c) => c.charCodeAt(0))));
  return expected.every((byte, index) => bytes[offset + index] === byte);
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** NUL bytes (outside UTF-16 text) or many control characters mean the file is not text. */
function looksBinary(bytes: Uint8Array): boolean {
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16) return false;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d)) control++;
  }
  return control > sample.length * MAX_CONTROL_SHARE;
}

function textType(text: string): DocumentType {
  if (looksLikeHtml(text)) return 'html';
  return looksLikeMarkdown(text) ? 'md' : 'txt';
}

function looksLikeHtml(text: string): boolean {
  const head = text.trimStart().slice(0, 512).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  if (head.startsWith('<?xml') && head.includes('<html')) return true;
  return /<body[\s>]/i.test(text) || (/<(?:p|div)[\s>]/i.test(text) && /<\/(?:p|div)>/i.test(text));
}

/** ATX headings are decisive; otherwise two different Markdown constructs are needed (plain text has lists too). */
function looksLikeMarkdown(text: string): boolean {
  if (/^#{1,6}[ \t]+\S/m.test(text)) return true;
  const signals = [
    /^ {0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S/m,
    /^ {0,3}(?:```|~~~)/m,
    /^ {0,3}\|?.*\|.*\n {0,3}\|? *:?-{3,}:? *\|/m,
    /\[[^\]\n]+\]\([^)\s]+\)/,
    /(?:\*\*|__)[^*_\n]+(?:\*\*|__)/,
    /^ {0,3}>[ \t]/m,
  ];
  return signals.filter((signal) => signal.test(text)).length >= 2;
}
