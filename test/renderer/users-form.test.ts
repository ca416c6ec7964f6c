// The users screen's own form checks (the services validate again): markets as typed, and what a new user needs.
import { describe, expect, it } from 'vitest';
import { newUserProblems, parseMarkets } from '../../renderer/src/features/users/users-form.ts';
import type { NewUserForm } from '../../renderer/src/features/users/users-form.ts';

const good: NewUserForm = {
  id: 'val',
  name: 'Valentina Rossi',
  roles: ['compliance_officer'],
  markets: 'UK',
  passphrase: 'twelve chars',
  confirmation: 'twelve chars',
};

describe('parseMarkets', () => {
  it('splits on commas, trims, drops empty parts and repeats, keeps the order', () => {
    expect(parseMarkets(' UK, EU-Passported ,,UK, *')).toEqual(['UK', 'EU-Passported', '*']);
    expect(parseMarkets(' , ')).toEqual([]);
  });
});

describe('newUserProblems', () => {
  it('accepts a complete form', () => {
    expect(newUserProblems(good)).toEqual([]);
  });
  it('names each missing or wrong field', () => {
    expect(newUserProblems({ ...good, id: 'Val' })).toEqual([expect.stringMatching(/^User id:/)]);
    expect(newUserProblems({ ...good, id: 'v' })).toEqual([expect.stringMatching(/^User id:/)]);
    expect(newUserProblems({ ...good, name: '  ' })).toEqual(['Name: required.']);
    expect(newUserProblems({ ...good, roles: [] })).toEqual(['Roles: choose at least one.']);
    expect(newUserProblems({ ...good, markets: ' , ' })).toEqual([expect.stringMatching(/^Markets:/)]);
  });
  it('wants a passphrase of at least 12 characters, typed twice alike', () => {
    expect(newUserProblems({ ...good, passphrase: 'eleven char', confirmation: 'eleven char' })).toEqual([
      'Initial passphrase: at least 12 characters.',
    ]);
    expect(newUserProblems({ ...good, confirmation: 'twelve chars!' })).toEqual([
      'Confirm passphrase: does not match the passphrase.',
    ]);
  });
});
