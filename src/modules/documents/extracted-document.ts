/** File types the system ingests; decided from the content, never from the file name. */
export type DocumentType = 'pdf' | 'docx' | 'txt' | 'md' | 'html';

/** One structural unit of a document, in reading order. */
export interface ExtractedBlock {
  kind: 'heading' | 'paragraph' | 'list-item' | 'table-row';
  /** Plain text (single spaces, no line breaks inside a paragraph; table cells joined by a tab). */
  text: string;
  /** Heading level 1..6 (only for `heading`). */
  level?: number;
  /** 1-based page the block is on (PDF only; other formats leave it undefined). */
  page?: number;
  /** Blocks that share a table id belong to one table (header row first). */
  tableId?: number;
}

/** The text of a document as extracted, before chunking. */
export interface ExtractedDocument {
  tipo: DocumentType;
  /** Page count for PDF, null for formats without pages. */
  paginas: number | null;
  bloques: ExtractedBlock[];
  /** Full plain text (blocks joined by blank lines), stored in `documentos_ai.contenido_texto`. */
  texto: string;
}

/** Limits applied while reading a file (all in bytes). */
export interface ExtractionLimits {
  /** Largest total uncompressed size of a DOCX's zip entries (zip-bomb guard). */
  maxUncompressedBytes: number;
}

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = { maxUncompressedBytes: 100 * 1024 * 1024 };

/** Between the cells of a table row: a tab, so the row reads as the cells' text separated by space. */
export const CELL_SEPARATOR = '\t';
