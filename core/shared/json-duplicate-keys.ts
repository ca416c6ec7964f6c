// Finds a key given twice in one JSON object: JSON.parse keeps the last silently, so a record would lose a value.
export type DuplicateKey = { readonly path: readonly (string | number)[]; readonly key: string };

type Frame = { readonly keys: Set<string> | null; index: number; expectingKey: boolean; key: string | null };

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
