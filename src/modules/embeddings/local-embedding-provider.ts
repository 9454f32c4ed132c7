import type { EmbeddingProvider, QueryEmbeddingOptions } from './embedding-provider.ts';
import { contentWords, stem } from './spanish-text.ts';

export interface LocalEmbeddingOptions {
  /** Vector length (a power of two is not required). */
  dimensions?: number;
}

const WEIGHT = { stem: 1, trigrams: 0.6, pair: 0.45 } as const;

/** FNV-1a, 32 bits: a stable hash so the same text always gives the same vector. */
function hash(text: string, seed = 0x811c9dc5): number {
  let value = seed;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

function trigrams(word: string): string[] {
  const padded = `<${word}>`;
  const grams: string[] = [];
  for (let index = 0; index + 3 <= padded.length; index++) grams.push(padded.slice(index, index + 3));
  return grams;
}

/**
 * The features of a text with their weights: each content word's stem (inflection-robust), its
 * character trigrams (typo-robust: "herrmano" still shares most trigrams with "hermano") and pairs
 * of neighbouring stems (phrases such as "día hábil"). Words are folded first, so case and accents
 * never matter. Repeats count sub-linearly; `wordWeights` then scales each word's features.
 */
export function textFeatures(text: string, wordWeights?: ReadonlyMap<string, number>): Map<string, number> {
  const counts = new Map<string, number>();
  const scales = new Map<string, number>();
  const stems = contentWords(text).map((word) => ({ word, stem: stem(word) }));
  stems.forEach(({ word, stem: wordStem }, index) => {
    const scale = wordWeights?.get(word) ?? 1;
    const add = (feature: string, weight: number) => {
      counts.set(feature, (counts.get(feature) ?? 0) + weight);
      scales.set(feature, Math.max(scales.get(feature) ?? 0, scale));
    };
    add(`s:${wordStem}`, WEIGHT.stem);
    if (word.length >= 4 && !/^\d+$/.test(word)) {
      const grams = trigrams(word);
      for (const gram of grams) add(`g:${gram}`, WEIGHT.trigrams / Math.sqrt(grams.length));
    }
    const next = stems[index + 1];
    if (next) add(`p:${wordStem}_${next.stem}`, WEIGHT.pair);
  });
  const features = new Map<string, number>();
  for (const [feature, count] of counts) {
    features.set(feature, (count > 1 ? 1 + Math.log(count) : count) * (scales.get(feature) ?? 1));
  }
  return features;
}

/** Hashes weighted features into a signed, L2-normalised vector. */
export function hashFeatures(features: Map<string, number>, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, weight] of features) {
    const bucket = hash(feature) % dimensions;
    const sign = hash(feature, 0x9e3779b9) & 1 ? 1 : -1;
    vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((value) => value / norm);
}

/**
 * The default, network-free embedding provider: deterministic feature hashing of Spanish stems,
 * character trigrams and stem pairs. It cannot know that two unrelated words mean the same thing:
 * the search widens the question through the semantic dictionary for that (docs/decisions/0005).
 */
export function createLocalEmbeddingProvider(options: LocalEmbeddingOptions = {}): EmbeddingProvider {
  const dimensions = options.dimensions ?? 1024;
  const embed = (text: string, query?: QueryEmbeddingOptions) =>
    hashFeatures(textFeatures(text, query?.wordWeights), dimensions);
  return {
    model: `local-hash-v1-${dimensions}`,
    dimensions,
    embedDocuments: async (texts) => texts.map((text) => embed(text)),
    embedQuery: async (text, query) => embed(text, query),
  };
}
