// Proves every "is this jurisdiction inside that area?" goes through isInside: no code outside the vocabulary may
// re-derive a country from a code and compare it, or compare a custom zone's geographic `within`, to answer it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/examples.ts';

/** Where the one answer (isInside) and the location-evidence helper (locatesWithin) live. */
const ALLOWED = new Set(['core/policy/vocabulary.ts']);
/** A country cut from a code: countryOf(code), code.slice(0, 2) or code.substring(0, 2). */
const COUNTRY_OF = String.raw`(?:countryOf\([\w.?]*\)|[\w.?]+\.(?:slice|substring)\(0,\s*2\))`;
const BYPASSES: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "compares a zone's geographic within", pattern: /\.within\s*[!=]==|[!=]==\s*[\w.?]*\.within\b/ },
  { name: "looks up a zone's geographic within", pattern: /\.(?:has|includes)\(\s*[\w.?]*\.within\s*\)/ },
  {
    name: 'compares a derived country',
    pattern: new RegExp(String.raw`${COUNTRY_OF}\s*[!=]==|[!=]==\s*${COUNTRY_OF}`),
  },
  { name: 'looks up a derived country', pattern: new RegExp(String.raw`\.(?:has|includes)\(\s*${COUNTRY_OF}`) },
];

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));

const bypassesIn = (text: string): string[] =>
  text
    .split('\n')
    .flatMap((line, index) =>
      BYPASSES.filter(({ pattern }) => pattern.test(line)).map(({ name }) => `${index + 1}: ${name}: ${line.trim()}`),
    );

describe('one meaning of "inside a jurisdiction"', () => {
  it('recognises the shapes the old bypasses had', () => {
    for (const line of [
      'return zone ? zone.within === outer : countryOf(inner) === outer;',
      '(chosen.length > 2 && codes.includes(chosen.slice(0, 2)));',
      'return zone !== undefined && codes.has(zone.within);',
      'codes.has(code) || (code.length > 2 && codes.has(countryOf(code)));',
      "if (tag.substring(0, 2) !== 'AE') return false;",
    ])
      expect(bypassesIn(line), line).not.toEqual([]);
    for (const line of [
      'return isInside(tag, team.codes);',
      "if (!zone.code.startsWith(`${zone.within}-`)) report('code');",
      'return `subdivision of ${countryName(countryOf(ref)) ?? countryOf(ref)}`;',
    ])
      expect(bypassesIn(line), line).toEqual([]);
  });

  it('finds no code in core, electron or the renderer that answers it without isInside', () => {
    const found = ['core', 'electron', 'renderer/src']
      .flatMap(sourceFiles)
      .filter((file) => !ALLOWED.has(file))
      .flatMap((file) => bypassesIn(readFileSync(join(repoRoot, file), 'utf8')).map((hit) => `${file}:${hit}`));
    expect(found).toEqual([]);
  });
});
