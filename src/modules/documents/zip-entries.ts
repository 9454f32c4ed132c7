import yauzl from 'yauzl';

/** Why a zip was refused before anything decompressed it for real. */
export type ZipRefusal = 'too-large' | 'unreadable';

/** Budget for decompressing a zip. */
export interface ZipBudget {
  /** Largest total uncompressed size (declared and actual) of all entries. */
  maxUncompressedBytes: number;
}

/** An entry whose declared ratio is beyond this and whose size is beyond MIN_SUSPICIOUS_BYTES is a bomb. */
const MAX_COMPRESSION_RATIO = 200;
const MIN_SUSPICIOUS_BYTES = 10 * 1024 * 1024;
/** Directory scans stop here: an office file never holds this many parts. */
const MAX_ENTRIES = 10_000;

/** A refused zip; `reason` tells a bomb from a damaged file. */
export class ZipRefusedError extends Error {
  readonly reason: ZipRefusal;

  constructor(reason: ZipRefusal, options: { cause?: unknown } = {}) {
    super(`zip refused: ${reason}`, options);
    this.name = 'ZipRefusedError';
    this.reason = reason;
  }
}

/** Names of the entries in the zip's central directory (nothing is decompressed). */
export async function readZipEntryNames(bytes: Uint8Array): Promise<string[]> {
  const names: string[] = [];
  await walkEntries(bytes, async (_zip, entry) => {
    names.push(entry.fileName);
  });
  return names;
}

/**
 * Refuses a zip bomb before a library unzips it: the declared sizes must fit the budget, no entry may
 * claim an absurd compression ratio, and every entry is inflated once, counting bytes, so an entry that
 * expands beyond what it declared (yauzl checks this) or past the budget is caught while streaming.
 */
export async function assertZipWithinBudget(bytes: Uint8Array, budget: ZipBudget): Promise<void> {
  let declared = 0;
  await walkEntries(bytes, async (_zip, entry) => {
    declared += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (declared > budget.maxUncompressedBytes) throw new ZipRefusedError('too-large');
    if (ratio > MAX_COMPRESSION_RATIO && entry.uncompressedSize > MIN_SUSPICIOUS_BYTES) {
      throw new ZipRefusedError('too-large');
    }
  });
  let inflated = 0;
  await walkEntries(bytes, async (zip, entry) => {
    inflated = await countEntryBytes(zip, entry, inflated, budget.maxUncompressedBytes);
  });
}

type EntryVisitor = (zip: yauzl.ZipFile, entry: yauzl.Entry) => Promise<void>;

/** Visits the entries one at a time; yauzl's own errors mean the zip is damaged. */
function walkEntries(bytes: Uint8Array, visit: EntryVisitor): Promise<void> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (openError, zip) => {
      if (openError || !zip) {
        reject(new ZipRefusedError('unreadable', { cause: openError }));
        return;
      }
      let seen = 0;
      zip.on('error', (error: unknown) => reject(asRefusal(error)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++seen > MAX_ENTRIES) {
          reject(new ZipRefusedError('unreadable'));
          return;
        }
        visit(zip, entry).then(
          () => zip.readEntry(),
          (error: unknown) => reject(asRefusal(error)),
        );
      });
      zip.readEntry();
    });
  });
}

/** Inflates one entry, adding its bytes to `total`; aborts as soon as the budget is exceeded. */
function countEntryBytes(zip: yauzl.ZipFile, entry: yauzl.Entry, total: number, limit: number): Promise<number> {
  if (entry.fileName.endsWith('/')) return Promise.resolve(total);
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (openError, stream) => {
      if (openError) {
        reject(asRefusal(openError));
        return;
      }
      let count = total;
      stream.on('data', (chunk: Buffer) => {
        count += chunk.length;
        if (count > limit) {
          stream.destroy();
          reject(new ZipRefusedError('too-large'));
        }
      });
      stream.on('error', (error: unknown) => reject(asRefusal(error)));
      stream.on('end', () => resolve(count));
    });
  });
}

/** yauzl reports an entry longer than declared as "too many bytes in the stream": that is a bomb. */
function asRefusal(error: unknown): ZipRefusedError {
  if (error instanceof ZipRefusedError) return error;
  const message = error instanceof Error ? error.message : '';
  return new ZipRefusedError(/too many bytes/i.test(message) ? 'too-large' : 'unreadable', { cause: error });
}
