// @nlpjs/lang-es ships no type declarations; this is the part the project uses.
declare module '@nlpjs/lang-es' {
  export class StemmerEs {
    stemWord(word: string): string;
  }
}
