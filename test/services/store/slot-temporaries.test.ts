// Stale temporaries of the slot files (decision 0046): a crash during an ordinary slot write leaves
// `<db>.keys.json.<12 hex>.tmp` or `<db>.keychain.json.<12 hex>.tmp`; every open removes those older than
// STALE_SLOT_TEMPORARY_MS, and nothing else: not another database's, not a look-alike, not a write under way.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keySlotsPath } from '../../../electron/services/store/key-slots.ts';
import { keychainSlotsPath } from '../../../electron/services/store/keychain-slots-file.ts';
import { STALE_SLOT_TEMPORARY_MS } from '../../../electron/services/store/rekey.ts';
import { openWorkstation, openWorkstationWithKey } from '../../../electron/services/workstation/session/workstation.ts';
import { runCli } from '../../support/cli.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

const made: TestWorkstation[] = [];
afterAll(() => {
  for (const ws of made) rmSync(ws.dir, { recursive: true, force: true });
});

/** A workstation with every session closed; the admin's key kept for the keychain-style open. */
const prepare = (): { ws: TestWorkstation; key: Uint8Array } => {
  const ws = createTestWorkstation();
  made.push(ws);
  const key = ws.admin.workstation.key().slice();
  ws.admin.workstation.close();
  return { ws, key };
};

const WRAPPED = '{"format":"perimeter-key-slots","version":1,"slots":[]}\n';

/** Writes a file as the atomic writer's temporary would be, last modified `ageMs` ago. */
const leave = (path: string, ageMs: number): string => {
  writeFileSync(path, WRAPPED, { mode: 0o600 });
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(path, at, at);
  return path;
};

const HOUR = 60 * 60 * 1000;

/** Stale temporaries of both slot files, and old files that merely resemble them. */
const litter = (ws: TestWorkstation) => {
  const keys = keySlotsPath(ws.path);
  const keychain = keychainSlotsPath(ws.path);
  const stale = [leave(`${keys}.0a1b2c3d4e5f.tmp`, HOUR), leave(`${keychain}.ffffffffffff.tmp`, HOUR)];
  const lookAlikes = [
    leave(join(ws.dir, 'other.db.keys.json.0a1b2c3d4e5f.tmp'), HOUR), // another database's keys file
    leave(join(ws.dir, 'other.db.keychain.json.0a1b2c3d4e5f.tmp'), HOUR), // another database's keychain file
    leave(`${keys}.0A1B2C3D4E5F.tmp`, HOUR), // upper case: not what the writer makes
    leave(`${keys}.0a1b2c3d4e5.tmp`, HOUR), // 11 hex
    leave(`${keys}.0a1b2c3d4e5f0.tmp`, HOUR), // 13 hex
    leave(`${keys}.tmp`, HOUR),
    leave(`${keys}.0a1b2c3d4e5g.tmp`, HOUR), // not hex
    leave(`${keychain}.0a1b2c3d4e5f.tmp.bak`, HOUR),
    leave(`${ws.path}.0a1b2c3d4e5f.tmp`, HOUR), // the database's name, not a slot file's
    leave(join(ws.dir, 'notes.tmp'), HOUR),
  ];
  // Written moments ago (a write in another process may be under way) and dated in the future (a clock set back).
  const fresh = [leave(`${keys}.123456789abc.tmp`, 0), leave(`${keychain}.123456789abc.tmp`, -HOUR)];
  return { stale, kept: [...lookAlikes, ...fresh] };
};

const present = (paths: readonly string[]): string[] => paths.filter((path) => existsSync(path));

describe('stale slot temporaries', () => {
  it('a passphrase sign-in removes the stale temporaries of both slot files and keeps everything else', () => {
    const { ws } = prepare();
    const { stale, kept } = litter(ws);
    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    session.workstation.close();
    expect(present(stale)).toEqual([]);
    expect(present(kept)).toEqual(kept);
  });

  it('an open with a key already unwrapped (the OS keychain slot) removes them too', () => {
    const { ws, key } = prepare();
    const { stale, kept } = litter(ws);
    const session = openWorkstationWithKey({ path: ws.path, userId: 'ada', key }, ws.deps);
    session.workstation.close();
    expect(present(stale)).toEqual([]);
    expect(present(kept)).toEqual(kept);
  });

  it('the CLI removes them when it opens the database', () => {
    const { ws } = prepare();
    const { stale, kept } = litter(ws);
    // ada (operations admin) may read the log keys; an export needs an auditor (decision 0131).
    const run = runCli(['audit', 'keys', '--db', ws.path], {
      env: { PERIMETER_USER: 'ada', PERIMETER_PASSPHRASE: ADMIN_PASSPHRASE },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(present(stale)).toEqual([]);
    expect(present(kept)).toEqual(kept);
  });

  it('keeps a temporary younger than the limit, and removes it once it is older', () => {
    const { ws } = prepare();
    const keys = keySlotsPath(ws.path);
    const young = leave(`${keys}.abcdefabcdef.tmp`, STALE_SLOT_TEMPORARY_MS - 60_000);
    const old = leave(`${keys}.fedcbafedcba.tmp`, STALE_SLOT_TEMPORARY_MS + 60_000);
    openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps).workstation.close();
    expect(present([young, old])).toEqual([young]);
  });

  it('a slot write under way in another process while the database is opened completes untouched', () => {
    const { ws } = prepare();
    const keys = keySlotsPath(ws.path);
    // The writer's steps (writeJsonAtomically), paused between opening its temporary and renaming it.
    const temporary = `${keys}.c0ffeec0ffee.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    writeSync(fd, WRAPPED);
    const session = openWorkstation({ path: ws.path, userId: 'ada', passphrase: ADMIN_PASSPHRASE }, ws.deps);
    session.workstation.close();
    expect(existsSync(temporary)).toBe(true);
    fsyncSync(fd);
    closeSync(fd);
    // The writer's rename would fail (ENOENT) had the open removed its temporary.
    const target = join(ws.dir, 'written.json');
    renameSync(temporary, target);
    expect(readFileSync(target, 'utf8')).toBe(WRAPPED);
  });
});
