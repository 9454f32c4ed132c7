import { AppError } from '../../errors.ts';
import { isBlank } from './detect-document-type.ts';
import { extractDocx } from './extract-docx.ts';
import { extractHtml } from './extract-html.ts';
import { extractMarkdown } from './extract-markdown.ts';
import { extractPdf } from './extract-pdf.ts';
import { extractText } from './extract-text.ts';
import {
  DEFAULT_EXTRACTION_LIMITS,
  type DocumentType,
  type ExtractedBlock,
  type ExtractedDocument,
  type ExtractionLimits,
} from './extracted-document.ts';

/**
 * Extracts the text of a document whose type is already known (see `detectDocumentType`), as blocks in
 * reading order plus the full text. Unreadable, empty or text-less files fail with `INVALID_INPUT`.
 */
export async function extractDocument(
  bytes: Uint8Array,
  tipo: DocumentType,
  limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
): Promise<ExtractedDocument> {
  if (isBlank(bytes)) throw new AppError('INVALID_INPUT', 'El archivo está vacío.');
  const { bloques, paginas } = await extractBlocks(bytes, tipo, limits);
  if (bloques.length === 0) throw new AppError('INVALID_INPUT', 'El documento no contiene texto.');
  return { tipo, paginas, bloques, texto: blocksToText(bloques) };
}

/** The plain text of blocks: one block per line, blocks separated by a blank line. */
export function blocksToText(blocks: readonly ExtractedBlock[]): string {
  return blocks.map((block) => block.text).join('\n\n');
}

async function extractBlocks(
  bytes: Uint8Array,
  tipo: DocumentType,
  limits: ExtractionLimits,
): Promise<{ bloques: ExtractedBlock[]; paginas: number | null }> {
  switch (tipo) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return { bloques: await extractDocx(bytes, limits), paginas: null };
    case 'html':
      return { bloques: extractHtml(bytes), paginas: null };
    case 'md':
      return { bloques: extractMarkdown(bytes), paginas: null };
    case 'txt':
      return { bloques: extractText(bytes), paginas: null };
  }
}
