// Ongoing monitoring in core (decisions 0193, 0195): the delta of a list update, the index of the delta giving the same
// hits as the whole list's for those entries, the content version of an entry, and the allow-list sorting hits.
import { describe, expect, it } from 'vitest';
import { diffListVersions } from '../../../core/screening/diff.ts';
import { buildIndex } from '../../../core/screening/match-index.ts';
import {
  allowKey,
  deltaIndex,
  entryContentVersion,
  listDelta,
  rescreenParties,
} from '../../../core/screening/monitoring.ts';
import { screenParty } from '../../../core/screening/screen.ts';
import type { Party } from '../../../core/screening/screen.ts';
import { entry, snapshot } from './fixtures.ts';
import type { EntrySpec } from './fixtures.ts';

const THRESHOLDS = { potential: 0.82, strong: 0.93 };
const AT = '2026-11-23T10:00:00.000Z';

const BEFORE: EntrySpec[] = [
  { id: 'A-1', names: ['Viktor Brenner'], dob: ['1970-05-05'] },
  { id: 'A-2', names: ['Odile Fontaine'] },
  { id: 'A-3', names: ['Mohammed al Rashid', 'Muhammad Rasheed'] },
  { id: 'A-4', names: ['Acme Trading LLC'], type: 'company' },
];
// A-1 changes (a date of birth more), A-2 is removed, A-5 and A-6 are added, A-3 and A-4 stay as they were.
const AFTER: EntrySpec[] = [
  { id: 'A-1', names: ['Viktor Brenner'], dob: ['1970-05-05', '1971'] },
  { id: 'A-3', names: ['Mohammed al Rashid', 'Muhammad Rasheed'] },
  { id: 'A-4', names: ['Acme Trading LLC'], type: 'company' },
  { id: 'A-5', names: ['Helena Marchetti'] },
  { id: 'A-6', names: ['Shadow Freight BV'], type: 'company' },
];

const PARTIES: Party[] = [
  { name: 'Viktor Brener', type: 'person' },
  { name: 'Helena Marchetti', type: 'person', dateOfBirth: '1980-01-01' },
  { name: 'Helen Marchetti', type: 'person' },
  { name: 'Mohamed Rashid', type: 'person' },
  { name: 'Shadow Freight B.V.', type: 'company' },
  { name: 'Acme Trading', type: 'company' },
  { name: 'Odile Fontaine', type: 'person' },
  { name: 'Penelope Arkwright', type: 'person' },
];

describe('listDelta', () => {
  it('holds the added and changed entries of the new version, in its order, and the removed ids, as the diff counts them', () => {
    const before = snapshot('watch', BEFORE);
    const after = snapshot('watch', AFTER);
    const delta = listDelta(before, after);
    expect(delta.entries.map((listed) => listed.id)).toEqual(['A-1', 'A-5', 'A-6']);
    expect([delta.added, delta.changed, delta.removed]).toEqual([2, 1, ['A-2']]);
    expect(delta.version).toBe(after.version);
    expect(delta.previous).toBe(before.version);
    const diff = diffListVersions(before, after);
    expect([diff.added.length, diff.changed.length, diff.removed.length]).toEqual([
      delta.added,
      delta.changed,
      delta.removed.length,
    ]);
  });

  it('is the whole list for a first version', () => {
    const after = snapshot('watch', AFTER);
    const delta = listDelta(undefined, after);
    expect(delta.entries).toHaveLength(AFTER.length);
    expect([delta.added, delta.changed, delta.removed, delta.previous]).toEqual([AFTER.length, 0, [], null]);
  });
});

describe('the index of the delta', () => {
  it('finds, for every party, exactly the hits the whole list finds on the delta entries, with the same scores', () => {
    const before = snapshot('watch', BEFORE);
    const after = snapshot('watch', AFTER);
    const delta = listDelta(before, after);
    const inDelta = new Set(delta.entries.map((listed) => String(listed.id)));
    const small = deltaIndex(delta);
    const whole = buildIndex([after]);
    let found = 0;
    for (const party of PARTIES) {
      const fromDelta = screenParty(small, party, THRESHOLDS, { maxHits: 50 }).hits;
      const fromWhole = screenParty(whole, party, THRESHOLDS, { maxHits: 50 }).hits.filter((hit) =>
        inDelta.has(hit.entryId),
      );
      expect(fromDelta.map((hit) => [hit.entryId, hit.score, hit.strength, hit.listVersion])).toEqual(
        fromWhole.map((hit) => [hit.entryId, hit.score, hit.strength, hit.listVersion]),
      );
      found += fromDelta.length;
    }
    // The parties do reach the changed and added entries, and not the unchanged or removed ones.
    expect(found).toBeGreaterThanOrEqual(3);
  });
});

describe('entryContentVersion', () => {
  it('is the SHA-256 of the entry, the same for the same content and another for any change', () => {
    const first = entry({ id: 'A-1', names: ['Viktor Brenner'] });
    expect(entryContentVersion(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(entryContentVersion(entry({ id: 'A-1', names: ['Viktor Brenner'] }))).toBe(entryContentVersion(first));
    expect(entryContentVersion({ ...first, programs: ['SDGT'] })).not.toBe(entryContentVersion(first));
    expect(entryContentVersion({ ...first, remarks: 'Gender Male' })).not.toBe(entryContentVersion(first));
  });
});

describe('rescreenParties', () => {
  it('raises hits not on the allow-list and holds back those that are, by entry and content version', () => {
    const after = snapshot('watch', AFTER);
    const index = deltaIndex(listDelta(snapshot('watch', BEFORE), after));
    const marchetti = after.entries.find((listed) => listed.id === 'A-5')!;
    const party: Party[] = [{ name: 'Helena Marchetti', type: 'person' }];
    const none = rescreenParties(index, party, THRESHOLDS, AT, new Set<string>(), (listed) =>
      entryContentVersion(listed),
    );
    expect(none.raised.map((hit) => [hit.entryId, hit.entryVersion])).toEqual([
      ['A-5', entryContentVersion(marchetti)],
    ]);
    expect(none.suppressed).toEqual([]);
    const allowed = new Set([
      allowKey({ listId: 'watch', entryId: 'A-5', entryVersion: entryContentVersion(marchetti) }),
    ]);
    const held = rescreenParties(index, party, THRESHOLDS, AT, allowed, (listed) => entryContentVersion(listed));
    expect(held.raised).toEqual([]);
    expect(held.suppressed.map((hit) => hit.entryId)).toEqual(['A-5']);
    // An allow-list entry for another content version of the entry holds nothing back.
    const stale = new Set([allowKey({ listId: 'watch', entryId: 'A-5', entryVersion: '0'.repeat(64) })]);
    expect(
      rescreenParties(index, party, THRESHOLDS, AT, stale, (listed) => entryContentVersion(listed)).raised,
    ).toHaveLength(1);
  });
});
