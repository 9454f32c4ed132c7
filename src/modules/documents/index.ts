export { INSERT_BATCH, insertChunkRows, storeVocabulary, type ChunkRow } from './chunk-store.ts';
export { correctTypos, vocabulary } from './correct-typos.ts';
export { expandQuery, type QueryExpansion } from './expand-query.ts';
export { chunkDocument, DEFAULT_CHUNKING, type ChunkingOptions, type DocumentChunk } from './chunk-document.ts';
export { getDocument, type DocumentRecord, type ProcessingState } from './document-record.ts';
export { readDocumentSettings, type DocumentSettings } from './document-settings.ts';
export type { DocumentType, ExtractedBlock, ExtractedDocument } from './extracted-document.ts';
export {
  deleteDocument,
  listDocuments,
  reprocessDocument,
  unfinishedDocuments,
  updateDocument,
  type DocumentChanges,
  type ListDocumentsFilter,
} from './manage-documents.ts';
export { embeddingText, processDocument, type ProcessDocumentDeps, type ProcessReport } from './process-document.ts';
export {
  searchDocuments,
  searchTerms,
  type SearchMode,
  type SearchOptions,
  type SearchResult,
} from './search-documents.ts';
export {
  uploadDocument,
  type DocumentQueue,
  type UploadDocumentInput,
  type UploadDocumentResult,
} from './upload-document.ts';
export { documentJobs, documentQueue, PROCESS_DOCUMENT_JOB, resumeUnfinishedDocuments } from './document-jobs.ts';
