import { stem } from '../embeddings/index.ts';

/**
 * Everyday verbs and nouns that frame a question rather than name its topic ("¿me toca...?",
 * "¿necesita pasar por...?", "¿qué significa...?", "la gente paga..."). They are rare in policy
 * documents, so their idf alone would make them outweigh the words that matter.
 */
const FRAME_WORDS = `hacer hace hacen hizo hice hago haga hagan hecho dar da dan dio di doy den dado ver ve ven vea vean
  vio visto decir dice dicen dijo digo diga digan poner pone ponen puso tomar toma toman tomo pedir pide piden pidio
  pida querer quiere quieren quiero quiera necesitar necesita necesitan necesito tocar toca tocan toco pasar pasa pasan
  paso pase quedar queda quedan quedo saber sabe saben sepa creer cree parecer parece significar significa significan
  explicar explica explicame dime decime tardar tarda tardan tardamos tardo ocurrir ocurre sucede gente cosa cosas
  vez veces senor senora senores mete meter damos usar usa usan tratar trata existe existen`.split(/\s+/);

const FRAME_STEMS = new Set(FRAME_WORDS.filter(Boolean).map(stem));

/** Share of its idf that a question-framing word keeps. */
export const FRAME_WEIGHT = 0.2;

/** True for a folded word that frames a question without naming its topic. */
export function isFrameWord(word: string): boolean {
  return FRAME_STEMS.has(stem(word));
}
