// Whether a name is written in Latin script: names in other scripts are kept as original-script names.
const NON_LATIN_LETTER = /(?![\p{Script=Latin}])\p{L}/u;

export const isLatinScript = (text: string): boolean => !NON_LATIN_LETTER.test(text);
