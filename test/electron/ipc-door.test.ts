// The IPC door without Electron: the channel allow-list from the contract, the sender check, session and api dispatch.
import { afterEach, describe, expect, it } from 'vitest';
import { API, SESSION_API } from '../../core/api/contract.ts';
import { API_CHANNELS, channelOf, checkSender, createIpcDoor, methodOfChannel } from '../../electron/main/ipc-door.ts';
import type { ExpectedSender, IpcDoor, SenderFacts } from '../../electron/main/ipc-door.ts';
import { BRIDGE_METHODS, bridgeChannelOf, buildBridge } from '../../electron/preload/bridge.ts';
import { ADMIN_PASSPHRASE, createTestWorkstation } from '../support/workstation.ts';
import type { TestWorkstation } from '../support/workstation.ts';

const OURS: ExpectedSender = { webContentsId: 7, origin: 'app://perimeter' };
const fromOurWindow: SenderFacts = {
  webContentsId: 7,
  frameUrl: 'app://perimeter/index.html#/cases',
  isTopLevelFrame: true,
};

describe('the channel allow-list', () => {
  it('has exactly one api:<method> channel per api and session method of the contract', () => {
    const methods = [...Object.keys(API), ...Object.keys(SESSION_API)];
    expect([...API_CHANNELS].sort()).toEqual(methods.map((method) => `api:${method}`).sort());
    expect(new Set(API_CHANNELS).size).toBe(API_CHANNELS.length);
  });

  it('maps allow-listed channels back to their method and refuses everything else', () => {
    expect(methodOfChannel('api:cases.list')).toBe('cases.list');
    expect(methodOfChannel('api:session.unlock')).toBe('session.unlock');
    for (const channel of [
      'cases.list',
      'api:',
      'api:nope',
      'api:__proto__',
      'api:constructor',
      'api:toString',
      'x:cases.list',
    ])
      expect(methodOfChannel(channel)).toBeNull();
  });

  it('is the same list the preload bridge invokes', () => {
    expect(BRIDGE_METHODS.map(bridgeChannelOf).sort()).toEqual([...API_CHANNELS].sort());
    expect(BRIDGE_METHODS.map((method) => channelOf(method))).toEqual(BRIDGE_METHODS.map(bridgeChannelOf));
  });
});

describe('the preload bridge', () => {
  it('exposes one frozen function per method, each invoking its own channel with the request', async () => {
    const calls: [string, unknown][] = [];
    const bridge = buildBridge(async (channel, request) => {
      calls.push([channel, request]);
      return { ok: true, value: null };
    });
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_METHODS].sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    await bridge['cases.claim']({ caseId: 'c1' });
    await bridge['session.lock']();
    expect(calls).toEqual([
      ['api:cases.claim', { caseId: 'c1' }],
      ['api:session.lock', {}],
    ]);
  });
});

describe('the sender check', () => {
  it('accepts the top-level frame of our window on our origin', () => {
    expect(checkSender(fromOurWindow, OURS)).toEqual({ ok: true });
  });

  it.each([
    ['another web contents', { ...fromOurWindow, webContentsId: 8 }, 'did not come from the workstation window'],
    ['a sub-frame', { ...fromOurWindow, isTopLevelFrame: false }, 'sub-frame'],
    ['a frame that is gone', { ...fromOurWindow, frameUrl: null }, 'gone'],
    ['a remote page', { ...fromOurWindow, frameUrl: 'https://evil.example/app' }, 'not our origin'],
    ['a file:// page', { ...fromOurWindow, frameUrl: 'file:///tmp/index.html' }, 'not our origin'],
    ['a look-alike host', { ...fromOurWindow, frameUrl: 'app://perimeter.evil/index.html' }, 'not our origin'],
    ['a garbage URL', { ...fromOurWindow, frameUrl: 'not a url' }, 'no valid URL'],
  ])('refuses %s', (_name, facts, reason) => {
    const verdict = checkSender(facts, OURS);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain(reason);
  });

  it('refuses everyone while no window exists', () => {
    expect(checkSender(fromOurWindow, { ...OURS, webContentsId: null }).ok).toBe(false);
  });
});

describe('the door', () => {
  let ws: TestWorkstation;
  let door: IpcDoor;
  const open = (): IpcDoor => {
    ws = createTestWorkstation();
    ws.admin.workstation.close();
    door = createIpcDoor({ dbPath: ws.path, deps: ws.deps, expectedSender: () => OURS });
    return door;
  };
  afterEach(() => door?.lock());

  it('answers api calls only after an unlock, as the signed-in user, and locks again', async () => {
    open();
    expect(await door.handle('api:session.whoami', fromOurWindow, {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    const unlocked = await door.handle('api:session.unlock', fromOurWindow, {
      userId: 'ada',
      passphrase: ADMIN_PASSPHRASE,
    });
    expect(unlocked).toMatchObject({ ok: true, value: { id: 'ada' } });
    expect(door.isUnlocked()).toBe(true);
    expect(await door.handle('api:session.whoami', fromOurWindow, {})).toMatchObject({
      ok: true,
      value: { id: 'ada' },
    });
    expect(await door.handle('api:cases.counts', fromOurWindow, {})).toMatchObject({ ok: true });
    expect(await door.handle('api:session.lock', fromOurWindow, {})).toEqual({ ok: true, value: { locked: true } });
    expect(door.isUnlocked()).toBe(false);
    expect(await door.handle('api:cases.counts', fromOurWindow, {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
  });

  it('reports a wrong passphrase as unauthenticated and stays locked', async () => {
    open();
    expect(
      await door.handle('api:session.unlock', fromOurWindow, { userId: 'ada', passphrase: 'wrong passphrase!' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(door.isUnlocked()).toBe(false);
  });

  it('refuses a foreign sender before it looks at the request, even to unlock', async () => {
    open();
    const foreign = { ...fromOurWindow, frameUrl: 'https://evil.example/' };
    expect(
      await door.handle('api:session.unlock', foreign, { userId: 'ada', passphrase: ADMIN_PASSPHRASE }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(door.isUnlocked()).toBe(false);
  });

  it('validates requests with the contract and answers in the envelope, never throwing', async () => {
    open();
    await door.handle('api:session.unlock', fromOurWindow, { userId: 'ada', passphrase: ADMIN_PASSPHRASE });
    expect(await door.handle('api:cases.get', fromOurWindow, { caseId: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await door.handle('api:session.unlock', fromOurWindow, { userId: 'ada' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await door.handle('api:nope', fromOurWindow, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    await expect(door.handle('api:cases.list', fromOurWindow, hostile)).resolves.toMatchObject({ ok: false });
  });
});
