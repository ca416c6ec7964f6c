// Text no record may carry: lone surrogates (not Unicode, and the audit log's JCS encoding refuses them), control
// characters (a NUL or an escape code hides what a reader sees) and the key __proto__ (silently dropped by zod and by
// assignment). Line breaks and tabs are ordinary text.
export type TextFlaw = { readonly path: readonly (string | number)[]; readonly message: string };

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** What is wrong with one string, or null. */
export const textFlawOf = (text: string, options: { readonly controls: boolean }): string | null => {
  if (!text.isWellFormed()) return 'holds a lone surrogate, which is not Unicode text';
  if (options.controls) {
    const found = CONTROL.exec(text);
    if (found)
      return `holds the control character U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
};

/**
 * The first flawed string (key or value) in a JSON-like value, with its path; null when all are clean. `controls`
 * also refuses control characters other than tab, line feed and carriage return.
 */
export const firstTextFlaw = (
  value: unknown,
  options: { readonly controls: boolean },
  path: readonly (string | number)[] = [],
): TextFlaw | null => {
  if (typeof value === 'string') {
    const message = textFlawOf(value, options);
    return message === null ? null : { path, message };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const flaw = firstTextFlaw(value[i], options, [...path, i]);
      if (flaw) return flaw;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      // JSON.parse makes "__proto__" an own key; zod and plain assignment drop it without a word, so it is refused.
      if (key === '__proto__') return { path: [...path, key], message: 'the name __proto__ is not allowed' };
      const keyFlaw = textFlawOf(key, options);
      if (keyFlaw) return { path: [...path, key], message: `its name ${keyFlaw}` };
      const flaw = firstTextFlaw(item, options, [...path, key]);
      if (flaw) return flaw;
    }
  }
  return null;
};
