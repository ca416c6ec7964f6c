// One passphrase rule (issue 12, section 5): `workstation init`, the store and every api request that sets a passphrase
// refuse 11 characters and accept 12, counted alike (code points of the NFC form).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API } from '../../../core/api/contract.ts';
import { MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../../core/access/passphrase.ts';
import { createKeySlots } from '../../../electron/services/store/key-slots.ts';
import { StoreError } from '../../../electron/services/store/errors.ts';
import { runCli } from '../../support/cli.ts';
import { examplesDir } from '../../support/examples.ts';
import { TEST_SCRYPT } from '../../support/workstation.ts';

const ELEVEN = 'abcdefghijk';
const TWELVE = 'abcdefghijkl';

describe('one passphrase rule', () => {
  it('is twelve characters, counted as code points of the NFC form', () => {
    expect(MIN_PASSPHRASE_LENGTH).toBe(12);
    expect(passphraseProblem(ELEVEN)).toMatch(/at least 12 characters/);
    expect(passphraseProblem(TWELVE)).toBeNull();
    // "é" as e + combining acute is one character: eleven of them are still too short.
    expect(passphraseProblem('e\u0301'.repeat(11))).toMatch(/at least 12/);
    expect(passphraseProblem('😀'.repeat(12))).toBeNull();
  });

  it('is the rule of every api request that sets a passphrase', () => {
    const base = { id: 'val', name: 'Val', roles: ['compliance_officer'], markets: ['UK'] };
    expect(API['users.create'].request.safeParse({ ...base, passphrase: ELEVEN }).success).toBe(false);
    expect(API['users.create'].request.safeParse({ ...base, passphrase: TWELVE }).success).toBe(true);
    expect(API['users.changeOwnPassphrase'].request.safeParse({ current: 'x', next: ELEVEN }).success).toBe(false);
    expect(API['users.changeOwnPassphrase'].request.safeParse({ current: 'x', next: TWELVE }).success).toBe(true);
    const reEnrol = { userId: 'val', reason: 'rotation dropped the slot' };
    expect(API['users.reEnrol'].request.safeParse({ ...reEnrol, initialPassphrase: ELEVEN }).success).toBe(false);
    expect(API['users.reEnrol'].request.safeParse({ ...reEnrol, initialPassphrase: TWELVE }).success).toBe(true);
    const reactivate = { userId: 'val', active: true, reason: 'back from leave' };
    expect(API['users.setActive'].request.safeParse({ ...reactivate, initialPassphrase: ELEVEN }).success).toBe(false);
    expect(API['users.setActive'].request.safeParse({ ...reactivate, initialPassphrase: TWELVE }).success).toBe(true);
  });

  it('is the store’s rule for every slot it writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perimeter-rule-'));
    expect(() => createKeySlots(join(dir, 'short.db'), 'ada', ELEVEN, TEST_SCRYPT)).toThrow(StoreError);
    expect(existsSync(join(dir, 'short.db.keys.json'))).toBe(false);
    expect(createKeySlots(join(dir, 'ok.db'), 'ada', TWELVE, TEST_SCRYPT)).toHaveLength(32);
  });

  it('is the rule of `perimeter workstation init`: 10 characters are refused (exit 2) and nothing is created', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perimeter-rule-cli-'));
    const db = join(dir, 'ws.db');
    const init = runCli(
      [
        'workstation',
        'init',
        '--db',
        db,
        '--user',
        'ada',
        '--name',
        'Ada Admin',
        '--policy',
        join(examplesDir, 'fintech', 'policy.yaml'),
      ],
      { env: { PERIMETER_PASSPHRASE: 'abcdefghij' } },
    );
    expect(init.status).toBe(2);
    expect(init.stderr).toBe('perimeter: PERIMETER_PASSPHRASE: a passphrase has at least 12 characters\n');
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.keys.json`)).toBe(false);
  });
});
