// Finds a key given twice in one JSON object: JSON.parse keeps the last silently, so a record would lose a value.
export type DuplicateKey = { readonly path: readonly (string | number)[]; readonly key: string };

type Frame = { readonly keys: Set<string> | null; index: number; expectingKey: boolean; key: string | null };

// A quote that ends a string (an even number of backslashes before it) followed by a colon ends an object key.
const KEY_END = /(?<!\\)(?:\\\\)*"\s*:/g;

const keysIn = (value: unknown): number => {
  if (typeof value !== 'object' || value === null) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + keysIn(item), 0);
  let count = 0;
  for (const key of Object.keys(value)) count += 1 + keysIn((value as Record<string, unknown>)[key]);
  return count;
};

/**
 * Whether the JSON text gives some object a key twice: its key tokens outnumber the keys of the value JSON.parse made
 * of it. Cheap (one regular-expression pass), so every record can be checked; `firstDuplicateKey` then names it.
 */
export const hasDuplicateKey = (text: string, parsed: unknown): boolean =>
  (text.match(KEY_END)?.length ?? 0) !== keysIn(parsed);

/**
 * The first duplicate key of a text that JSON.parse has already accepted (so only the structure is tracked here), with
 * the path of the object holding it; null when every object's keys are distinct.
 */
export const firstDuplicateKey = (text: string): DuplicateKey | null => {
  const stack: Frame[] = [];
  const pathOf = (): (string | number)[] =>
    stack.slice(0, -1).map((frame) => (frame.keys === null ? frame.index : (frame.key ?? '')));
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (char === '"') {
      let end = at + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.keys && top.expectingKey) {
        const key = JSON.parse(text.slice(at, end + 1)) as string;
        if (top.keys.has(key)) return { path: pathOf(), key };
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      at = end;
    } else if (char === '{') stack.push({ keys: new Set(), index: 0, expectingKey: true, key: null });
    else if (char === '[') stack.push({ keys: null, index: 0, expectingKey: false, key: null });
    else if (char === '}' || char === ']') stack.pop();
    else if (char === ',') {
      const top = stack.at(-1);
      if (top?.keys) top.expectingKey = true;
      else if (top) top.index += 1;
    }
  }
  return null;
};
