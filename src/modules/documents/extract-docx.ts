import mammoth from 'mammoth';
import { AppError } from '../../errors.ts';
import type { ExtractedBlock, ExtractionLimits } from './extracted-document.ts';
import { htmlToBlocks } from './extract-html.ts';
import { assertZipWithinBudget, ZipRefusedError } from './zip-entries.ts';

/** Word's "Title" style is not in mammoth's default map; without this the title becomes a paragraph. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];
/** Images are not text: skip reading them instead of inlining them as base64. */
const SKIP_IMAGES = mammoth.images.imgElement(async () => ({ src: '' }));

/**
 * Blocks of a DOCX: the zip is checked against `limits` first (zip-bomb guard), then mammoth turns
 * Word styles into HTML (headings h1-h6, lists, tables) and the HTML becomes blocks.
 */
export async function extractDocx(bytes: Uint8Array, limits: ExtractionLimits): Promise<ExtractedBlock[]> {
  await guardZip(bytes, limits);
  const html = await convertToHtml(bytes);
  return htmlToBlocks(html, { boldParagraphsAsHeadings: true });
}

async function guardZip(bytes: Uint8Array, limits: ExtractionLimits): Promise<void> {
  try {
    await assertZipWithinBudget(bytes, { maxUncompressedBytes: limits.maxUncompressedBytes });
  } catch (error) {
    if (error instanceof ZipRefusedError && error.reason === 'too-large') {
      const megabytes = Math.round(limits.maxUncompressedBytes / (1024 * 1024));
      throw new AppError(
        'INVALID_INPUT',
        `El DOCX parece una bomba zip (se expande a más de ${megabytes} MB). No se procesó; revise el archivo.`,
        { cause: error },
      );
    }
    throw damagedDocx(error);
  }
}

async function convertToHtml(bytes: Uint8Array): Promise<string> {
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const result = await mammoth.convertToHtml({ buffer }, { styleMap: STYLE_MAP, convertImage: SKIP_IMAGES });
    return result.value;
  } catch (error) {
    throw damagedDocx(error);
  }
}

function damagedDocx(cause: unknown): AppError {
  return new AppError('INVALID_INPUT', 'El DOCX está dañado o no se puede leer.', { cause });
}
