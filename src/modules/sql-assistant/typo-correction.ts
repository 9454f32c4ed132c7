import { editDistance } from '../embeddings/index.ts';

/**
 * The known word closest to `word` (same first letter; one edit, two for words of 9+ letters), or undefined when there
 * is none or two are equally close: "morsos" → "moroso", but never a guess between two words.
 */
export function correctTypo(word: string, vocabulary: Iterable<string>): string | undefined {
  if (word.length < 4 || /\d/.test(word)) return undefined;
  const limit = word.length >= 9 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let ties = 0;
  for (const known of vocabulary) {
    // People rarely get the first letter wrong; requiring it keeps "preferencial" from becoming "referencia".
    if (Math.abs(known.length - word.length) > limit || known.length < 4 || known[0] !== word[0]) continue;
    const distance = editDistance(word, known, limit);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
      ties = 0;
    } else if (distance === bestDistance) ties++;
  }
  return best && ties === 0 ? best : undefined;
}
