// List versions and diffs: the content hash names the content, and a diff says what was added, removed, changed.
import { describe, expect, it } from 'vitest';
import { diffListVersions } from '../../../core/screening/diff.ts';
import { makeListVersion, verifySnapshot } from '../../../core/screening/version.ts';
import { entry, snapshot } from './fixtures.ts';

describe('list versions', () => {
  it('derive the version id from the content, so equal content is the same version', () => {
    const a = snapshot('x', [{ id: '1', names: ['A B'] }]);
    const b = makeListVersion({
      ...a.version,
      entries: a.entries,
      importedAt: '2027-01-01T00:00:00.000Z',
      sourceFiles: [],
    });
    expect(b.version.version).toBe(a.version.version);
    expect(a.version.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.version.version).toBe(a.version.contentSha256.slice(0, 16));
    expect(snapshot('x', [{ id: '1', names: ['A C'] }]).version.version).not.toBe(a.version.version);
  });

  it('detect a snapshot whose entries were altered after hashing', () => {
    const a = snapshot('x', [{ id: '1', names: ['A B'] }]);
    expect(verifySnapshot(a)).toBe(true);
    expect(verifySnapshot({ ...a, entries: [entry({ id: '1', names: ['A X'] })] })).toBe(false);
  });
});

describe('diffListVersions', () => {
  it('lists added, removed and changed entries, with the fields that changed', () => {
    const before = snapshot('x', [
      { id: '1', names: ['A B'] },
      { id: '2', names: ['C D'] },
      { id: '3', names: ['E F'], dob: ['1970'] },
    ]);
    const after = snapshot('x', [
      { id: '1', names: ['A B'] },
      { id: '3', names: ['E F'], dob: ['1971'] },
      { id: '4', names: ['G H'] },
    ]);
    const diff = diffListVersions(before, after);
    expect(diff.from).toBe(before.version.version);
    expect(diff.to).toBe(after.version.version);
    expect(diff.added).toEqual([{ id: '4', name: 'G H' }]);
    expect(diff.removed).toEqual([{ id: '2', name: 'C D' }]);
    expect(diff.changed).toEqual([{ id: '3', name: 'E F', fields: ['datesOfBirth'] }]);
    expect(diff.unchanged).toBe(1);
  });

  it('treats a first version as all added', () => {
    const first = snapshot('x', [{ id: '1', names: ['A B'] }]);
    expect(diffListVersions(undefined, first)).toMatchObject({
      from: null,
      added: [{ id: '1' }],
      removed: [],
      changed: [],
    });
  });
});
