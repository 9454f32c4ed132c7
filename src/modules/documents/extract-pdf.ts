import { AppError } from '../../errors.ts';
import type { ExtractedBlock } from './extracted-document.ts';
import { pagesToBlocks, removeRunningLines } from './pdf-blocks.ts';
import { groupLines, layoutPage, type PdfTextRun } from './pdf-layout.ts';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;

/** Text only: no eval, no font loading, no console output. */
const PDFJS_OPTIONS = {
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  stopAtErrors: true,
  verbosity: 0,
} as const;

let pdfjsModule: Promise<Pdfjs> | undefined;

/**
 * Blocks and page count of a PDF, read page by page with pdfjs: lines rebuilt from text positions,
 * two-column pages read column by column, running headers and footers removed, wrapped lines joined,
 * headings (larger font or numbered all-caps lines), list items and tables recognised.
 * Encrypted, scanned (no text layer) and damaged files are refused with a Spanish message.
 */
export async function extractPdf(bytes: Uint8Array): Promise<{ bloques: ExtractedBlock[]; paginas: number }> {
  const pages = await readPageRuns(bytes);
  const lines = removeRunningLines(pages.map(groupLines));
  const bloques = pagesToBlocks(lines.map((pageLines, index) => ({ number: index + 1, units: layoutPage(pageLines) })));
  if (bloques.length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      'El PDF no tiene capa de texto (parece escaneado). Aplíquele OCR o súbalo en un formato con texto.',
    );
  }
  return { bloques, paginas: pages.length };
}

/** Loaded on first use: pdfjs is large and most processes never read a PDF. */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

async function readPageRuns(bytes: Uint8Array): Promise<PdfTextRun[][]> {
  const pdfjs = await loadPdfjs();
  // pdfjs takes ownership of (detaches) the buffer it is given, so it gets a copy.
  const task = pdfjs.getDocument({ ...PDFJS_OPTIONS, data: new Uint8Array(bytes) });
  try {
    const document = await task.promise;
    const pages: PdfTextRun[][] = [];
    for (let number = 1; number <= document.numPages; number++) pages.push(await pageRuns(document, number));
    return pages;
  } catch (error) {
    throw pdfError(error);
  } finally {
    await task.destroy();
  }
}

/** Horizontal text runs of one page (rotated text, such as a diagonal watermark, is left out). */
async function pageRuns(document: PdfDocument, number: number): Promise<PdfTextRun[]> {
  const page = await document.getPage(number);
  const content = await page.getTextContent();
  page.cleanup();
  const runs: PdfTextRun[] = [];
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
    const fontSize = Math.hypot(c, d);
    if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d) || fontSize === 0) continue;
    runs.push({ text: item.str, x, y, width: item.width, fontSize });
  }
  return runs;
}

function pdfError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === 'PasswordException') {
    return new AppError(
      'INVALID_INPUT',
      'El PDF está protegido con contraseña. Quite la protección y vuelva a subirlo.',
      { cause: error },
    );
  }
  return new AppError('INVALID_INPUT', 'El PDF está dañado o no se puede leer.', { cause: error });
}
