// Text no record may carry: lone surrogates (not Unicode, and the audit log's JCS encoding refuses them), control
// characters (a NUL or an escape code hides what a reader sees) and the key __proto__ (silently dropped by zod and by
// assignment). Line breaks and tabs are ordinary text.
export type TextFlaw = { readonly path: readonly (string | number)[]; readonly message: string };
export type TextFlawOptions = { readonly controls: boolean };

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// One cheap test per string; only a string that matches is looked at closely (surrogate pairs match too).
// eslint-disable-next-line no-control-regex -- as above
const SUSPECT_WITH_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;
const SUSPECT = /[\ud800-\udfff]/;

/** What is wrong with one string, or null. */
export const textFlawOf = (text: string, options: TextFlawOptions): string | null => {
  if (!(options.controls ? SUSPECT_WITH_CONTROLS : SUSPECT).test(text)) return null;
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
export const firstTextFlaw = (value: unknown, options: TextFlawOptions): TextFlaw | null => {
  const found = flawIn(value, options);
  return found === null ? null : { path: found.path.reverse(), message: found.message };
};

// The path is collected on the way out (innermost first), so a clean record allocates nothing.
const flawIn = (value: unknown, options: TextFlawOptions): { path: (string | number)[]; message: string } | null => {
  if (typeof value === 'string') {
    const message = textFlawOf(value, options);
    return message === null ? null : { path: [], message };
  }
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const flaw = flawIn(value[i], options);
      if (flaw) {
        flaw.path.push(i);
        return flaw;
      }
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    // JSON.parse makes "__proto__" an own key; zod and plain assignment drop it without a word, so it is refused.
    if (key === '__proto__') return { path: [key], message: 'the name __proto__ is not allowed' };
    const keyFlaw = textFlawOf(key, options);
    if (keyFlaw) return { path: [key], message: `its name ${keyFlaw}` };
    const flaw = flawIn((value as Record<string, unknown>)[key], options);
    if (flaw) {
      flaw.path.push(key);
      return flaw;
    }
  }
  return null;
};
