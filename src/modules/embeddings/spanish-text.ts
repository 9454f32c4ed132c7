import { StemmerEs } from '@nlpjs/lang-es';

/**
 * Spanish function words (articles, prepositions, pronouns, auxiliaries and very common verbs),
 * after accent folding. Based on the Snowball Spanish stop list, which PostgreSQL's `spanish`
 * text-search configuration also uses; interrogatives are kept out because the question words
 * carry no topic.
 */
const STOPWORDS = new Set(
  `a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquello aquellos aqui asi aun
  cada como con contra cual cuales cualquier cuando cuanta cuantas cuanto cuantos de del desde donde dos durante
  e el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta estaba estado estamos estan estar
  estas este esto estos estoy fue fueron fui ha haber habia han has hasta hay he la las le les lo los mas me mi
  mis mucho muchos muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque que quien
  quienes se sea sean ser si sido siempre sin sobre sois solo somos son soy su sus suya suyo tambien tanto te
  tener tenemos tengo ti tiene tienen toda todas todo todos tu tus u un una unas uno unos usted ustedes va van
  vosotros y ya yo puede pueden puedo hace hacer cual cuanto`.split(/\s+/),
);

const stemmer = new StemmerEs();

/** Lower case without accents or diaeresis (ñ becomes n): the form every comparison uses. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * Words of a text after folding, in order: letters and digits; thousands separators inside numbers
 * are dropped ("3.000" → "3000") so amounts match however they are written.
 */
export function words(text: string): string[] {
  const folded = foldText(text).replace(/(\d)[.,](?=\d{3}\b)/g, '$1');
  return folded.match(/[a-z0-9]+/g) ?? [];
}

/** True for words that carry no topic (articles, prepositions, auxiliaries...). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Snowball Spanish stem of a folded word ("prestamos" → "prestam"); numbers stay as they are. */
export function stem(word: string): string {
  if (/^\d+$/.test(word)) return word;
  return stemmer.stemWord(word);
}

/** The content words of a text (no stopwords, no single letters except digits), folded. */
export function contentWords(text: string): string[] {
  return words(text).filter((word) => !STOPWORDS.has(word) && (word.length > 1 || /\d/.test(word)));
}

/** Edit distance with transpositions (Damerau, restricted), stopping early above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (previous2[j - 2] ?? 0) + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}
