// The IPC door's decisions, free of Electron: the channel allow-list from the api contract, the sender check, and the
// dispatch of session methods (the OS-keychain ones through keychain-session.ts) and api methods into the
// { ok, value | error } envelope. Nothing throws out of it.
import { API, SESSION_API } from '../../core/api/contract.ts';
import type { ApiMethod, SessionMethod } from '../../core/api/contract.ts';
import { apiErr } from '../../core/api/envelope.ts';
import type { ApiEnvelope } from '../../core/api/envelope.ts';
import { createSessionHolder, isKeychainMethod } from '../services/workstation/session/session-holder.ts';
import type { LeadScreener, WorkstationDeps } from '../services/workstation/session/workstation.ts';
import { createKeychainSession } from './keychain-session.ts';
import type { Keystore } from './keychain-slot.ts';

export const API_CHANNEL_PREFIX = 'api:';

export type DoorMethod = ApiMethod | SessionMethod;

/** The channel a method travels on: `api:<method>`. The preload builds the same names from the same contract. */
export const channelOf = (method: DoorMethod): string => `${API_CHANNEL_PREFIX}${method}`;

/** Every channel the main process answers: one per api and session method of the contract, nothing else. */
export const API_CHANNELS: readonly string[] = Object.freeze(
  [...Object.keys(API), ...Object.keys(SESSION_API)].map((method) => channelOf(method as DoorMethod)),
);

/** The method behind an allow-listed channel, or null for any other string. */
export const methodOfChannel = (channel: string): DoorMethod | null => {
  if (!channel.startsWith(API_CHANNEL_PREFIX)) return null;
  const method = channel.slice(API_CHANNEL_PREFIX.length);
  return Object.hasOwn(API, method) || Object.hasOwn(SESSION_API, method) ? (method as DoorMethod) : null;
};

/** What Electron tells us about the sender of one message, as plain data. */
export type SenderFacts = {
  readonly webContentsId: number;
  /** The sending frame's URL; null when the frame is gone (navigated or destroyed). */
  readonly frameUrl: string | null;
  /** The sending frame is the top-level frame of its page (not an iframe). */
  readonly isTopLevelFrame: boolean;
};

/** Who may call: our one window's web contents, its top-level frame, on our own origin. */
export type ExpectedSender = {
  /** null while no window exists: then nobody may call. */
  readonly webContentsId: number | null;
  readonly origin: string;
};

export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const checkSender = (facts: SenderFacts, expected: ExpectedSender): SenderVerdict => {
  if (expected.webContentsId === null || facts.webContentsId !== expected.webContentsId)
    return { ok: false, reason: 'the message did not come from the workstation window' };
  if (!facts.isTopLevelFrame) return { ok: false, reason: 'the message came from a sub-frame' };
  if (facts.frameUrl === null) return { ok: false, reason: 'the sending frame is gone' };
  let origin: string;
  try {
    const url = new URL(facts.frameUrl);
    // Custom schemes report an opaque origin ("null") in some URL implementations: compare scheme and host instead.
    origin = `${url.protocol}//${url.host}`;
  } catch {
    return { ok: false, reason: 'the sending frame has no valid URL' };
  }
  if (origin !== expected.origin) return { ok: false, reason: `the sending frame is on ${origin}, not our origin` };
  return { ok: true };
};

export type IpcDoorOptions = {
  readonly dbPath: string;
  readonly deps: WorkstationDeps;
  readonly screener?: LeadScreener | null;
  /** Who may call right now (the window can be re-created). */
  readonly expectedSender: () => ExpectedSender;
  /** The OS keychain (Electron's safeStorage bound in keystore.ts); without one the keychain methods are unsupported. */
  readonly keystore?: Keystore | null;
};

export type IpcDoor = {
  /** Answers one message; never throws or rejects. */
  readonly handle: (channel: string, sender: SenderFacts, raw: unknown) => Promise<ApiEnvelope<unknown>>;
  /** Locks the session (the window closed, the app quits). */
  readonly lock: () => void;
  readonly isUnlocked: () => boolean;
  /** Purges what retention let expire while someone is signed in (the app's daily timer; decision 0151). */
  readonly runRetention: () => void;
  /** One pass of the KYC outbox's delivery while someone is signed in (the app's timer; decision 0211). */
  readonly runKycDelivery: () => void;
};

/** One signed-in session at a time, as in the browser host: unlocking as another user locks the first. */
export const createIpcDoor = (options: IpcDoorOptions): IpcDoor => {
  const holder = createSessionHolder(options);
  const keychain = options.keystore
    ? createKeychainSession({ dbPath: options.dbPath, holder, keystore: options.keystore })
    : null;

  const handle = async (channel: string, sender: SenderFacts, raw: unknown): Promise<ApiEnvelope<unknown>> => {
    try {
      const method = methodOfChannel(channel);
      if (method === null) return apiErr('unknown_method', `no api channel ${JSON.stringify(channel).slice(0, 80)}`);
      const verdict = checkSender(sender, options.expectedSender());
      if (!verdict.ok) return apiErr('forbidden', `refused: ${verdict.reason}`);
      if (keychain !== null && isKeychainMethod(method)) return await keychain.call(method, raw);
      return holder.call(method, raw);
    } catch (error) {
      return apiErr('internal', error instanceof Error ? error.message : String(error));
    }
  };

  return {
    handle,
    lock: holder.lock,
    isUnlocked: holder.isUnlocked,
    runRetention: () => {
      holder.runRetention();
    },
    runKycDelivery: () => {
      void holder.runKycDelivery();
    },
  };
};
