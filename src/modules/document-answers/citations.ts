/** A passage an answer rests on, enough to find it again in the document. */
export interface Citation {
  documento_id: number;
  titulo: string;
  nombre_archivo: string;
  pagina: number | null;
  pagina_fin: number | null;
  chunk_index: number;
  /** `documento_ai_embeddings.id` of the chunk. */
  chunk_id?: number;
  /** The whole passage (chunk) text. */
  texto: string;
}

/** What a citation needs to be shown: the citation and the heading path of its passage. */
export interface CitedPassage {
  cita: Citation;
  encabezados: string;
}

/** "p. 3", "pp. 3-4", or '' for documents without pages (Word, Markdown, text). */
export function pageLabel(pagina: number | null, paginaFin: number | null): string {
  if (pagina === null) return '';
  return paginaFin !== null && paginaFin > pagina ? `pp. ${pagina}-${paginaFin}` : `p. ${pagina}`;
}

/** The innermost heading of a passage ("Manual > 4. Paso 2 > 4.1 Verificación laboral" → "4.1 Verificación laboral"). */
function section(encabezados: string): string {
  return encabezados.split(' > ').at(-1)?.trim() ?? '';
}

/**
 * How an answer names a passage: title and page, or title and section when the document has no
 * pages ("Política de Crédito, p. 3"; "Manual del Analista, sección «7. Decisión»").
 */
export function citationLabel(passage: CitedPassage): string {
  const { cita } = passage;
  const pages = pageLabel(cita.pagina, cita.pagina_fin);
  if (pages) return `${cita.titulo}, ${pages}`;
  const heading = section(passage.encabezados);
  return heading && heading !== cita.titulo ? `${cita.titulo}, sección «${heading}»` : cita.titulo;
}

/** One line of a "Fuentes:" list: the label and the file name. */
export function sourceLine(passage: CitedPassage): string {
  return `${citationLabel(passage)} (${passage.cita.nombre_archivo})`;
}
