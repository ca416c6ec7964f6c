// The hub's protocol, independent of HTTP: device requests are authenticated, then served as tlog-witness,
// tlog-mirror and pull calls over the store. Each handler answers a Reply; nothing here throws for a client's fault.
import { hash } from 'node:crypto';
import * as z from 'zod';
import { base64ToBytes, bytesEqual, bytesToBase64, bytesToHex } from '../core/audit/bytes.ts';
import { parseSignedCheckpoint, signCheckpoint } from '../core/audit/checkpoint.ts';
import { ed25519Verify } from '../core/audit/ed25519.ts';
import { commitCanonicalBytes } from '../core/audit/entry.ts';
import { createMemoryMerkleTree, hashLeaf, verifyConsistency, verifySubtreeConsistency } from '../core/audit/merkle.ts';
import {
  formatVerifierKey,
  noteVerifierKeyFromSeed,
  parseVerifierKey,
  signatureMatchesKey,
  verifyNoteSignature,
} from '../core/audit/note.ts';
import { canonicalJsonBytes } from '../core/shared/canonical-json.ts';
import type { Sha256 } from '../core/shared/sha256.ts';
import { cosignCheckpoint, cosignerKey, formatCosignerKey } from '../core/sync/cosignature.ts';
import { hubLogOrigin, hubMirrorName, hubWitnessName } from '../core/sync/hub-identity.ts';
import {
  formatMirrorInfo,
  MIRROR_INFO_CONTENT_TYPE,
  packageSubtreeStart,
  parseAddEntries,
} from '../core/sync/mirror-wire.ts';
import {
  CLOCK_SKEW_SECONDS,
  DEVICE_ID_PATTERN,
  freshnessProblem,
  HEADERS,
  NONCE_PATTERN,
  REGION_PATTERN,
  requestSigningBytes,
} from '../core/sync/request-auth.ts';
import { formatPullV2, PULL_FORMAT_2, PULL_V2_CONTENT_TYPE } from '../core/sync/pull-wire.ts';
import { parseAddCheckpoint, TLOG_SIZE_CONTENT_TYPE } from '../core/sync/witness-wire.ts';
import { intakeCaseIds } from '../core/cases/intake-case-ids.ts';
import type { HubKeys } from './keys.ts';
import { openPersonalData, sealPersonalData } from './seal.ts';
import type { DeviceRecord, HubStore, HubTx, LeadResidencyRecord, StoredEntry, Tombstone } from './store/store.ts';

export const nodeSha256: Sha256 = (bytes) => hash('sha256', bytes, 'buffer');

export type HubRequest = {
  readonly method: string;
  readonly target: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Uint8Array;
};

export type Reply = {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
};

export type Hub = {
  readonly region: string;
  readonly store: HubStore;
  readonly keys: HubKeys;
  readonly now: () => Date;
};

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: body.endsWith('\n') ? body : `${body}\n`,
  ...(headers ? { headers } : {}),
});
const json = (status: number, value: unknown): Reply => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

export const witness = (hub: Hub): { name: string; seed: Uint8Array } => ({
  name: hubWitnessName(hub.region),
  seed: hub.keys.witnessSeed,
});
const mirror = (hub: Hub) => ({ name: hubMirrorName(hub.region), seed: hub.keys.mirrorSeed });
const seconds = (hub: Hub): number => Math.floor(hub.now().getTime() / 1000);

/** What the hub says about itself: its region and the keys an auditor or a device checks its signatures with. */
export const hubIdentity = (hub: Hub): Record<string, string> => ({
  region: hub.region,
  witness: formatCosignerKey(cosignerKey(witness(hub), nodeSha256)),
  mirror: formatCosignerKey(cosignerKey(mirror(hub), nodeSha256)),
  logOrigin: hubLogOrigin(hub.region),
  logKey: hubLogVerifierKey(hub),
});

export const hubLogVerifierKey = (hub: Hub): string =>
  formatVerifierKey(noteVerifierKeyFromSeed(hubLogOrigin(hub.region), hub.keys.logSeed, nodeSha256));

// ---- authentication -------------------------------------------------------------------------------------------------

/** `device` is null only for enrolment's first request, from a device the hub does not know yet. */
export type Authenticated =
  { readonly ok: true; readonly device: DeviceRecord | null } | { readonly ok: false; readonly reply: Reply };

const header = (request: HubRequest, name: string): string | undefined => request.headers[name];

/**
 * Checks a device request: its region, its time against the skew window, its signature by the device key, the device's
 * standing (approved; revoked is refused), and its nonce (a replay is refused). `publicKeyForUnknown` lets enrolment
 * check a request from a device the hub does not know yet against the key it presents.
 */
export const authenticate = async (
  hub: Hub,
  request: HubRequest,
  options: { readonly allowPending?: boolean; readonly publicKeyForUnknown?: Uint8Array } = {},
): Promise<Authenticated> => {
  const deviceId = header(request, HEADERS.device);
  const region = header(request, HEADERS.region);
  const time = header(request, HEADERS.time);
  const nonce = header(request, HEADERS.nonce);
  const signature = header(request, HEADERS.signature);
  const refuse = (status: number, message: string, headers?: Record<string, string>): Authenticated => ({
    ok: false,
    reply: text(status, message, headers),
  });
  if (!deviceId || !region || !time || !nonce || !signature)
    return refuse(401, `a device request carries the headers ${Object.values(HEADERS).join(', ')}`);
  if (
    !DEVICE_ID_PATTERN.test(deviceId) ||
    !REGION_PATTERN.test(region) ||
    !NONCE_PATTERN.test(nonce) ||
    !/^(0|[1-9][0-9]{0,15})$/.test(time)
  )
    return refuse(401, 'a request header is malformed');
  if (region !== hub.region)
    return refuse(403, `this hub serves region ${hub.region}; a device of region ${region} is refused`);
  const timeSeconds = Number(time);
  const now = seconds(hub);
  const fresh = freshnessProblem(timeSeconds, now);
  if (fresh)
    return refuse(
      401,
      `the request time is ${fresh.skewSeconds} s from the hub's clock (window ±${CLOCK_SKEW_SECONDS} s)`,
      {
        [HEADERS.time]: String(now),
      },
    );
  const device = await hub.store.transaction((tx) => tx.device(deviceId));
  const publicKey = device?.publicKey ?? options.publicKeyForUnknown;
  if (!publicKey) return refuse(401, `device ${deviceId} is not enrolled at this hub`);
  const signed = requestSigningBytes(
    { method: request.method, target: request.target, region, deviceId, timeSeconds, nonce, body: request.body },
    nodeSha256,
  );
  const raw = base64ToBytes(signature);
  if (!raw || !ed25519Verify(raw, signed, publicKey)) return refuse(401, 'the request signature does not verify');
  if (device?.status === 'revoked') return refuse(403, `device ${deviceId} is revoked`);
  if (device && device.status !== 'approved' && !options.allowPending)
    return refuse(403, `device ${deviceId} is not approved yet (an operations admin approves it at the hub)`);
  const fresh2 = await hub.store.transaction((tx) =>
    tx.rememberNonce(deviceId, nonce, timeSeconds + 2 * CLOCK_SKEW_SECONDS, now - 2 * CLOCK_SKEW_SECONDS),
  );
  if (!fresh2) return refuse(401, 'the request nonce was used before (a replay)');
  return { ok: true, device };
};

// ---- enrolment ------------------------------------------------------------------------------------------------------

const MarketName = z.string().regex(/^(\*|[A-Za-z0-9][A-Za-z0-9 ._-]{0,63})$/, 'a market name, or "*"');

const EnrolmentSchema = z.strictObject({
  deviceId: z.string().regex(DEVICE_ID_PATTERN),
  region: z.string().regex(REGION_PATTERN),
  publicKey: z.string().refine((t) => base64ToBytes(t)?.length === 32, { message: 'an Ed25519 public key, base64' }),
  origin: z.string().min(1).max(200),
  logKeys: z.array(z.string().min(1).max(300)).min(1).max(16),
  /** The markets of the device's users ("*" for every market): what it asks to be served (decision 0250). */
  markets: z.array(MarketName).max(200).optional(),
});

export const parseJsonBody = <S extends z.ZodType>(
  schema: S,
  body: Uint8Array,
): { ok: true; value: z.infer<S> } | { ok: false; reply: Reply } => {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, reply: text(400, 'the request body is not JSON') };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reply: text(400, `field ${issue.path.join('.') || '(body)'}: ${issue.message}`) };
  }
  return { ok: true, value: parsed.data };
};

/** A device asks to enrol: it proves it holds its key by signing the request; the hub records it as pending. */
export const requestEnrolment = async (hub: Hub, request: HubRequest): Promise<Reply> => {
  const body = parseJsonBody(EnrolmentSchema, request.body);
  if (!body.ok) return body.reply;
  const e = body.value;
  if (e.deviceId !== header(request, HEADERS.device))
    return text(400, 'the body and the header name different devices');
  if (e.region !== hub.region)
    return text(403, `this hub serves region ${hub.region}; a device of region ${e.region} is refused`);
  for (const key of e.logKeys) {
    const parsed = parseVerifierKey(key, nodeSha256);
    if (!parsed.ok) return text(400, `field logKeys: ${parsed.error.reason}`);
    if (parsed.value.name !== e.origin)
      return text(400, `field logKeys: a key named ${parsed.value.name}, not the origin`);
  }
  const publicKey = base64ToBytes(e.publicKey)!;
  const auth = await authenticate(hub, request, { allowPending: true, publicKeyForUnknown: publicKey });
  if (!auth.ok) return auth.reply;
  return hub.store.transaction(async (tx) => {
    const existing = await tx.device(e.deviceId);
    if (existing) {
      if (!bytesEqual(existing.publicKey, publicKey))
        return text(409, `device ${e.deviceId} is enrolled with another key`);
      return json(200, { deviceId: existing.deviceId, status: existing.status });
    }
    const owner = await tx.deviceByOrigin(e.origin);
    if (owner) return text(409, `origin ${e.origin} belongs to device ${owner.deviceId}`);
    await tx.putDevice({
      deviceId: e.deviceId,
      region: e.region,
      publicKey,
      origin: e.origin,
      logKeys: e.logKeys,
      status: 'pending',
      requestedMarkets: e.markets ?? [],
      markets: [],
      requestedAt: hub.now().toISOString(),
      decidedAt: null,
      decidedBy: null,
    });
    return json(202, { deviceId: e.deviceId, status: 'pending' });
  });
};

/** The markets a device is served: what the hub's admin approved met with what its users work in ("*" is every market). */
export const servedMarkets = (approved: readonly string[], requested: readonly string[]): string[] => {
  if (approved.includes('*')) return [...requested];
  if (requested.includes('*')) return [...approved];
  const asked = new Set(requested);
  return approved.filter((market) => asked.has(market));
};

/**
 * An operations admin approves or revokes a device: the hub's admin (CLI, admin api), or an operations admin on a
 * workstation the hub's admin gave the operations capability (`via`, decision 0273). On approval the admin sets the
 * markets the device may be served (by default the ones it asked for); it is served those met with its users' markets
 * (decision 0271). Only the hub's admin grants the operations capability.
 */
export const decideDevice = async (
  hub: Hub,
  input: {
    readonly deviceId: string;
    readonly decision: 'approved' | 'revoked';
    readonly admin: string;
    /** On approval, the markets the device may be served; by default the ones it asked for (decision 0250). */
    readonly markets?: readonly string[];
    /** On approval by the hub's admin: the device may list, approve and revoke the region's devices (decision 0273). */
    readonly operations?: boolean;
    /** The operations device the decision came through, when not from the hub's admin. */
    readonly via?: string;
  },
): Promise<{ ok: true; device: DeviceRecord } | { ok: false; error: string }> =>
  hub.store.transaction(async (tx) => {
    const device = await tx.device(input.deviceId);
    if (!device) return { ok: false, error: `no device ${input.deviceId} has asked to enrol` };
    if (device.status === 'revoked') return { ok: false, error: `device ${input.deviceId} is revoked for good` };
    const badMarket = (input.markets ?? []).find((market) => !MarketName.safeParse(market).success);
    if (badMarket !== undefined)
      return { ok: false, error: `market ${JSON.stringify(badMarket)} is not a market name` };
    const at = hub.now().toISOString();
    const approved = input.decision === 'approved' ? [...(input.markets ?? device.requestedMarkets)] : undefined;
    const markets = approved ? servedMarkets(approved, device.requestedMarkets) : undefined;
    await tx.decideDevice(input.deviceId, input.decision, input.admin, at, markets);
    if (approved)
      await tx.updateDevice(input.deviceId, {
        approvedMarkets: approved,
        ...(input.operations === undefined ? {} : { operations: input.operations }),
      });
    // The hub's log records who let which device in or shut it out, and which markets it is served, beside the
    // checkpoints it accepted.
    await appendHubLog(hub, tx, {
      type: input.decision === 'approved' ? 'device.approved' : 'device.revoked',
      device: input.deviceId,
      origin: device.origin,
      admin: input.admin,
      ...(markets ? { markets: markets.join(',') } : {}),
      ...(approved && approved.join(',') !== markets!.join(',') ? { approvedMarkets: approved.join(',') } : {}),
      ...(input.operations ? { operations: 1 } : {}),
      ...(input.via === undefined ? {} : { via: input.via }),
      time: at,
    });
    return { ok: true, device: (await tx.device(input.deviceId))! };
  });

// ---- markets that follow the device's users (decision 0271) --------------------------------------------------------

const MarketsSchema = z.strictObject({ markets: z.array(MarketName).max(200) });

/**
 * A device says, by its signed request, which markets its users work in now. The hub serves it those met with what its
 * admin approved, never more; a change is recorded in the hub's log. Answers the device's markets as the hub holds them.
 */
export const updateMarkets = async (hub: Hub, device: DeviceRecord, body: Uint8Array): Promise<Reply> => {
  const parsed = parseJsonBody(MarketsSchema, body);
  if (!parsed.ok) return parsed.reply;
  const requested = [...new Set(parsed.value.markets)].sort();
  return hub.store.transaction(async (tx) => {
    const current = (await tx.device(device.deviceId))!;
    const served = servedMarkets(current.approvedMarkets, requested);
    const changed =
      JSON.stringify(requested) !== JSON.stringify([...current.requestedMarkets].sort()) ||
      JSON.stringify(served) !== JSON.stringify(current.markets);
    if (changed) {
      await tx.updateDevice(device.deviceId, { requestedMarkets: requested, markets: served });
      await appendHubLog(hub, tx, {
        type: 'device.markets_changed',
        device: device.deviceId,
        origin: device.origin,
        requested: requested.join(','),
        markets: served.join(','),
        previous: current.markets.join(','),
        time: hub.now().toISOString(),
      });
    }
    return json(200, {
      deviceId: device.deviceId,
      requestedMarkets: requested,
      markets: served,
      approvedMarkets: current.approvedMarkets,
      changed,
    });
  });
};

// ---- operations devices (decision 0273) -----------------------------------------------------------------------------

const DeviceDecisionSchema = z.strictObject({
  /** The workstation user who decided (an operations admin there), recorded in the hub's log with the device. */
  admin: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/u, 'a user id'),
  markets: z.array(MarketName).max(200).optional(),
});

const deviceView = (d: DeviceRecord) => ({
  deviceId: d.deviceId,
  region: d.region,
  origin: d.origin,
  status: d.status,
  fingerprint: bytesToHex(d.publicKey).slice(0, 16),
  requestedMarkets: [...d.requestedMarkets],
  markets: [...d.markets],
  approvedMarkets: [...d.approvedMarkets],
  operations: d.operations,
  requestedAt: d.requestedAt,
  decidedAt: d.decidedAt,
  decidedBy: d.decidedBy,
});

/**
 * The device-management requests of an operations device: list the region's devices, approve a pending one, revoke
 * one (never itself). Refused (403) to a device without the operations capability.
 */
export const operationsRequest = async (
  hub: Hub,
  device: DeviceRecord,
  method: string,
  path: string,
  body: Uint8Array,
): Promise<Reply> => {
  if (!device.operations)
    return text(
      403,
      `device ${device.deviceId} may not manage devices: the hub's admin grants that (approve-device --operations)`,
    );
  if (method === 'GET' && path === '/v1/devices')
    return hub.store.transaction(async (tx) => json(200, { devices: (await tx.devices()).map(deviceView) }));
  const action = /^\/v1\/devices\/([A-Za-z0-9._-]{1,64})\/(approve|revoke)$/.exec(path);
  if (method !== 'POST' || !action) return text(404, `no route ${method} ${path}`);
  const parsed = parseJsonBody(DeviceDecisionSchema, body);
  if (!parsed.ok) return parsed.reply;
  const target = action[1]!;
  const decision = action[2] === 'approve' ? 'approved' : 'revoked';
  if (target === device.deviceId) return text(409, 'a device does not decide on itself');
  const existing = await hub.store.transaction((tx) => tx.device(target));
  if (!existing) return text(404, `no device ${target} has asked to enrol`);
  if (decision === 'approved' && existing.status !== 'pending')
    return text(409, `device ${target} is ${existing.status}: an operations device approves pending devices only`);
  const result = await decideDevice(hub, {
    deviceId: target,
    decision,
    admin: parsed.value.admin,
    via: device.deviceId,
    ...(parsed.value.markets === undefined ? {} : { markets: parsed.value.markets }),
  });
  return result.ok ? json(200, { device: deviceView(result.device) }) : text(409, result.error);
};

// ---- the hub's own log ----------------------------------------------------------------------------------------------

/** Appends a record to the hub's log and signs its new checkpoint, inside the caller's transaction. */
export const appendHubLog = async (hub: Hub, tx: HubTx, record: Record<string, string | number>): Promise<void> => {
  const leaves = await tx.hubLogLeafHashes();
  const bytes = canonicalJsonBytes({ v: 1, index: String(leaves.length), ...record });
  const leafHash = hashLeaf(nodeSha256, bytes);
  await tx.appendHubLog({ index: leaves.length, bytes, leafHash });
  const tree = createMemoryMerkleTree(nodeSha256, leaves.length + 1);
  for (const leaf of leaves) tree.append(leaf);
  tree.append(leafHash);
  const origin = hubLogOrigin(hub.region);
  const root = tree.root();
  const note = signCheckpoint(
    { origin, size: leaves.length + 1, root },
    [{ name: origin, seed: hub.keys.logSeed }],
    nodeSha256,
  );
  await tx.putHubCheckpoint({ size: leaves.length + 1, root, note });
};

// ---- tlog-witness add-checkpoint ------------------------------------------------------------------------------------

const trustedSignature = (
  device: DeviceRecord,
  noteText: string,
  signatures: ReturnType<typeof parseSignedCheckpoint> & { ok: true },
): boolean => {
  const keys = device.logKeys.map((k) => parseVerifierKey(k, nodeSha256)).flatMap((k) => (k.ok ? [k.value] : []));
  return signatures.value.note.signatures.some((sig) =>
    keys.some((key) => signatureMatchesKey(sig, key) && verifyNoteSignature(noteText, sig, key)),
  );
};

export const addCheckpoint = async (hub: Hub, device: DeviceRecord, body: Uint8Array): Promise<Reply> => {
  const request = parseAddCheckpoint(body);
  if (!request.ok) return text(400, request.error);
  const checkpoint = parseSignedCheckpoint(request.value.checkpoint);
  if (!checkpoint.ok) return text(400, `checkpoint: ${checkpoint.error}`);
  const { body: cp, note } = checkpoint.value;
  const owner = await hub.store.transaction((tx) => tx.deviceByOrigin(cp.origin));
  if (!owner) return text(404, `unknown origin ${cp.origin}`);
  if (owner.deviceId !== device.deviceId)
    return text(403, `origin ${cp.origin} is not device ${device.deviceId}'s log`);
  if (!trustedSignature(device, note.text, checkpoint))
    return text(403, 'no signature on the checkpoint verifies against the device log keys');
  const { oldSize, proof } = request.value;
  if (oldSize > cp.size) return text(400, `old size ${oldSize} is larger than the checkpoint size ${cp.size}`);
  const noteText = new TextDecoder().decode(request.value.checkpoint);
  return hub.store.transaction(async (tx) => {
    const state = await tx.originState(cp.origin);
    const accepted = state.witness;
    const hubSize = accepted?.size ?? 0;
    const fork = async (acceptedNote: string = accepted!.note): Promise<void> => {
      await tx.putFork({
        origin: cp.origin,
        size: cp.size,
        acceptedNote,
        conflictingNote: noteText,
        recordedAt: hub.now().toISOString(),
      });
      await appendHubLog(hub, tx, {
        type: 'fork.recorded',
        origin: cp.origin,
        device: device.deviceId,
        size: cp.size,
        root: bytesToBase64(cp.root),
        acceptedSize: hubSize,
        time: hub.now().toISOString(),
      });
    };
    if (oldSize !== hubSize) {
      // A checkpoint of a size the hub accepted before, with another root, is a fork whatever old size was claimed.
      const earlier = cp.size === hubSize ? accepted : await tx.checkpointOfSize(cp.origin, cp.size);
      if (earlier && !bytesEqual(earlier.root, cp.root)) await fork(earlier.note);
      return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${hubSize}\n` };
    }
    if (oldSize === 0 && proof.length > 0) return text(400, 'the proof must be empty when the old size is 0');
    if (accepted && cp.size === hubSize) {
      if (!bytesEqual(accepted.root, cp.root)) {
        await fork();
        return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${hubSize}\n` };
      }
    } else if (accepted) {
      const check = verifyConsistency(nodeSha256, hubSize, cp.size, proof, accepted.root, cp.root);
      if (!check.ok) {
        await fork();
        return text(422, `the consistency proof from ${hubSize} to ${cp.size} does not verify: ${check.reason}`);
      }
    }
    if (!accepted || cp.size > hubSize) {
      await tx.putCheckpoint(cp.origin, { size: cp.size, root: cp.root, note: noteText });
      await tx.setWitness(cp.origin, cp.size);
      await appendHubLog(hub, tx, {
        type: 'checkpoint.accepted',
        origin: cp.origin,
        device: device.deviceId,
        size: cp.size,
        root: bytesToBase64(cp.root),
        time: hub.now().toISOString(),
      });
    }
    return {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: cosignCheckpoint(note.text, witness(hub), seconds(hub), nodeSha256),
    };
  });
};

// ---- tlog-mirror add-entries ----------------------------------------------------------------------------------------

export const addEntries = async (hub: Hub, device: DeviceRecord, body: Uint8Array): Promise<Reply> => {
  const parsed = parseAddEntries(body);
  if (!parsed.ok) return text(400, parsed.error);
  const { header: h, packages } = parsed.value;
  const owner = await hub.store.transaction((tx) => tx.deviceByOrigin(h.origin));
  if (!owner) return text(404, `unknown origin ${h.origin}`);
  if (owner.deviceId !== device.deviceId) return text(403, `origin ${h.origin} is not device ${device.deviceId}'s log`);
  return hub.store
    .transaction(async (tx) => {
      const state = await tx.originState(h.origin);
      const mirrorSize = state.mirror?.size ?? 0;
      const info = (status: number, size: number, next: number): Reply => ({
        status,
        contentType: MIRROR_INFO_CONTENT_TYPE,
        body: formatMirrorInfo({ size, next, ticket: new Uint8Array(0) }),
      });
      const pending = h.uploadEnd === 0 ? null : await tx.checkpointOfSize(h.origin, h.uploadEnd);
      if (!pending || h.uploadEnd < mirrorSize) return info(409, state.witness?.size ?? 0, state.next);
      if (h.uploadStart > state.next) return info(409, h.uploadEnd, state.next);
      let failure: string | null = null;
      // Every package is verified first; the verified ones are then stored with one write (one round trip to
      // PostgreSQL per request, not several per package). Only the first package can start inside a subtree whose
      // first leaves are already stored; every later one starts on a multiple of 256.
      const verified: StoredEntry[] = [];
      for (const entryPackage of packages) {
        const subtreeStart = packageSubtreeStart(entryPackage.start);
        const before =
          subtreeStart < entryPackage.start ? await tx.leafHashes(h.origin, subtreeStart, entryPackage.start) : [];
        if (before.length !== entryPackage.start - subtreeStart) {
          failure = `entries ${subtreeStart} to ${entryPackage.start - 1} are not stored`;
          break;
        }
        const leaves = entryPackage.entries.map((entry) => hashLeaf(nodeSha256, entry));
        const tree = createMemoryMerkleTree(nodeSha256, 256);
        for (const leaf of before) tree.append(leaf);
        for (const leaf of leaves) tree.append(leaf);
        const check = verifySubtreeConsistency(
          nodeSha256,
          subtreeStart,
          entryPackage.end,
          h.uploadEnd,
          entryPackage.proof,
          tree.root(),
          pending.root,
        );
        if (!check.ok) {
          failure = `entries ${entryPackage.start} to ${entryPackage.end - 1}: ${check.reason}`;
          break;
        }
        entryPackage.entries.forEach((bytes, i) =>
          verified.push({ sequence: entryPackage.start + i, bytes, leafHash: leaves[i]! }),
        );
      }
      // Data residency and tombstones (decisions 0249, 0251): read from the entries themselves, never from the device's
      // word. The entries of a lead of another region are mirrored (they hold no personal data, and the device's log
      // must verify whole); its personal data is refused and no other device is served them (decision 0249).
      const effects = residencyEffects(hub, h.origin, verified);
      const next = verified.length > 0 ? await tx.putEntries(h.origin, verified[0]!.sequence, verified) : state.next;
      // The effects of the entries this request stored for the first time (a replayed batch changes nothing).
      const stored = verified.filter((entry) => entry.sequence >= state.next && entry.sequence < next);
      await applyEntryEffects(hub, tx, h.origin, residencyEffectsOf(effects, stored));
      if (failure !== null) {
        if (next === state.next) throw new PackageRejected(failure);
        // The packages before the bad one are verified and kept; the client hears 422 for the rest.
        return text(422, failure);
      }
      if (next < h.uploadEnd) {
        if (next === state.next && packages.length === 0 && h.uploadStart < h.uploadEnd)
          return text(400, 'no complete entry package in the body');
        return info(202, h.uploadEnd, next);
      }
      const cosignature = cosignCheckpoint(noteTextOf(pending.note), mirror(hub), seconds(hub), nodeSha256);
      // The mirror checkpoint is served with the mirror's cosignature beside the device's signature (tlog-mirror).
      if (h.uploadEnd > mirrorSize)
        await tx.setMirror(h.origin, { size: pending.size, root: pending.root, note: `${pending.note}${cosignature}` });
      return { status: 200, contentType: 'text/plain; charset=utf-8', body: cosignature };
    })
    .catch((error: unknown) => {
      if (error instanceof PackageRejected) return text(422, error.message);
      throw error;
    });
};

class PackageRejected extends Error {}

type EntryEffects = {
  readonly ok: true;
  readonly leads: (LeadResidencyRecord & { readonly at: number })[];
  readonly cases: { readonly caseId: string; readonly lead: string; readonly at: number }[];
  readonly tombstones: Tombstone[];
};

// Only these entry types carry what residency and tombstones need; the check is a byte search, so the others are not
// parsed (the upload's throughput stays that of the mirror). One scan finds each `"type":"` and compares what follows
// with the five names (a payload field named type is found too, which only costs a parse).
const TYPE_KEY = Buffer.from('"type":"', 'utf8');
const EFFECT_TYPES: ReadonlySet<string> = new Set([
  'lead.ingested',
  'lead.intake',
  'case.opened',
  'subject.erased',
  'retention.purged',
]);
const QUOTE = 0x22;
const hasEffectType = (bytes: Uint8Array): boolean => {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = haystack.indexOf(TYPE_KEY); at >= 0; at = haystack.indexOf(TYPE_KEY, at + TYPE_KEY.length)) {
    const name = at + TYPE_KEY.length;
    const end = haystack.indexOf(QUOTE, name);
    if (end < 0) return false;
    if (end - name <= 16 && EFFECT_TYPES.has(haystack.toString('latin1', name, end))) return true;
  }
  return false;
};

type LoggedEntry = { log: string; type: string; time: string; subjects: string[]; payload: Record<string, unknown> };

const parseEntry = (bytes: Uint8Array): LoggedEntry | null => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as LoggedEntry;
  } catch {
    return null;
  }
};

const ResidencyPayload = z.object({
  leadId: z.string(),
  residency: z.object({ region: z.string().nullable(), markets: z.array(z.string()) }).optional(),
});

/**
 * What a batch of a device's entries tells the hub: each lead's residency (a lead of another region is recorded as
 * such: its personal data is refused and no device is served it), each case's lead, and the tombstones to apply. A
 * lead.ingested or lead.intake entry without residency comes from a policy that maps none: it is stored with an
 * unknown region and served only to devices of every market.
 */
export const residencyEffects = (
  hub: Pick<Hub, 'region'>,
  origin: string,
  entries: readonly StoredEntry[],
): EntryEffects => {
  const effects: EntryEffects = { ok: true, leads: [], cases: [], tombstones: [] };
  for (const stored of entries) {
    if (!hasEffectType(stored.bytes)) continue;
    const entry = parseEntry(stored.bytes);
    if (!entry) continue;
    if (entry.type === 'lead.ingested' || entry.type === 'lead.intake') {
      const payload = ResidencyPayload.safeParse(entry.payload);
      if (!payload.success) continue;
      const residency = payload.data.residency;
      effects.leads.push({
        lead: payload.data.leadId,
        region: residency?.region ?? null,
        markets: residency?.markets ?? [],
        origin,
        sequence: stored.sequence,
        at: stored.sequence,
      });
      // A lead.intake entry opens its cases without a case.opened entry: their ids derive from it (decision 0263).
      if (entry.type === 'lead.intake' && Array.isArray(entry.payload.paths))
        for (const caseId of intakeCaseIds(
          { log: entry.log, sequence: stored.sequence, pv: entry.payload.pv },
          entry.payload.paths as { case?: unknown }[],
        ))
          if (caseId !== null) effects.cases.push({ caseId, lead: payload.data.leadId, at: stored.sequence });
    } else if (entry.type === 'case.opened') {
      const caseId = entry.payload.caseId;
      const lead = entry.payload.leadId;
      if (typeof caseId === 'string' && typeof lead === 'string')
        effects.cases.push({ caseId, lead, at: stored.sequence });
    } else if (entry.type === 'subject.erased') {
      const subject = entry.payload.subject;
      if (typeof subject === 'string')
        effects.tombstones.push({ kind: 'erasure', origin, sequence: stored.sequence, subject });
    } else if (entry.type === 'retention.purged') {
      const rules = Array.isArray(entry.payload.rules) ? (entry.payload.rules as Record<string, unknown>[]) : [];
      for (const rule of rules)
        if (typeof rule.regime === 'string' && typeof rule.cutoff === 'string')
          effects.tombstones.push({
            kind: 'retention',
            origin,
            sequence: stored.sequence,
            regime: rule.regime,
            cutoff: rule.cutoff,
          });
    }
  }
  return effects;
};

// Only the effects of entries the request stored (a 202 stores a prefix).
const residencyEffectsOf = (effects: EntryEffects, stored: readonly StoredEntry[]): EntryEffects => {
  const last = stored.length > 0 ? stored.at(-1)!.sequence : -1;
  return {
    ok: true,
    leads: effects.leads.filter((lead) => lead.at <= last),
    cases: effects.cases.filter((kase) => kase.at <= last),
    tombstones: effects.tombstones.filter((tombstone) => tombstone.sequence <= last),
  };
};

const applyEntryEffects = async (hub: Hub, tx: HubTx, origin: string, effects: EntryEffects): Promise<void> => {
  if (effects.leads.length > 0) await tx.putLeads(effects.leads);
  if (effects.cases.length > 0) await tx.putCaseLeads(effects.cases);
  for (const tombstone of effects.tombstones) {
    // Every origin's copy of the subject's data goes, not only the erasing device's (decision 0251).
    const removed = await tx.applyTombstone(tombstone);
    await appendHubLog(hub, tx, {
      type: tombstone.kind === 'erasure' ? 'erasure.applied' : 'retention.applied',
      origin,
      sequence: tombstone.sequence,
      ...(tombstone.kind === 'erasure'
        ? { subject: tombstone.subject }
        : { regime: tombstone.regime, cutoff: tombstone.cutoff }),
      removed,
      time: hub.now().toISOString(),
    });
  }
};

const noteTextOf = (note: string): string => note.slice(0, note.lastIndexOf('\n\n') + 1);

// ---- personal data beside the entries ------------------------------------------------------------------------------

const PersonalUploadSchema = z.strictObject({
  origin: z.string().min(1).max(200),
  records: z
    .array(
      z.strictObject({
        sequence: z.number().int().nonnegative(),
        subject: z.string().min(1).max(200),
        regime: z.string().min(1).max(100),
        salt: z.string().min(1).max(200),
        data: z.string().min(1).max(1_000_000),
      }),
    )
    .max(10_000),
});

/** Personal data beside a device's entries: each record must open the commitment of its stored entry. */
export const addPersonalData = async (hub: Hub, device: DeviceRecord, body: Uint8Array): Promise<Reply> => {
  const parsed = parseJsonBody(PersonalUploadSchema, body);
  if (!parsed.ok) return parsed.reply;
  const { origin, records } = parsed.value;
  if (origin !== device.origin) return text(403, `origin ${origin} is not device ${device.deviceId}'s log`);
  return hub.store.transaction(async (tx) => {
    const sealed = [];
    // Data a tombstone already covers is never stored again: a device that was offline during the erasure may still
    // hold it and upload it later (decision 0251).
    const erased = await tx.erasedAmong([...new Set(records.map((record) => record.subject))]);
    // Personal data of a lead of another region never reaches this region's store (decision 0249).
    const foreign = new Set(
      (
        await tx.leads([
          ...new Set(records.filter((r) => r.subject.startsWith('lead:')).map((r) => r.subject.slice('lead:'.length))),
        ])
      )
        .filter((lead) => lead.region !== null && lead.region !== hub.region)
        .map((lead) => `lead:${lead.lead}`),
    );
    const cutoffs = await tx.retentionCutoffs();
    for (const [i, record] of records.entries()) {
      const entryBytes = await tx.entryBytes(origin, record.sequence);
      if (!entryBytes)
        return text(409, `records[${i}]: entry ${record.sequence} is not stored yet: upload the entries first`);
      const entry = JSON.parse(new TextDecoder().decode(entryBytes)) as {
        commitment: string | null;
        subjects: string[];
        time: string;
      };
      const salt = base64ToBytes(record.salt);
      const data = base64ToBytes(record.data);
      if (!salt || !data) return text(400, `records[${i}]: salt and data are base64`);
      if (entry.commitment === null || commitCanonicalBytes(salt, data, nodeSha256) !== entry.commitment)
        return text(422, `records[${i}]: the data does not open entry ${record.sequence}'s commitment`);
      if (!entry.subjects.includes(record.subject))
        return text(422, `records[${i}]: ${record.subject} is not a subject of entry ${record.sequence}`);
      const cutoff = cutoffs.get(record.regime);
      if (foreign.has(record.subject) || erased.has(record.subject) || (cutoff !== undefined && entry.time < cutoff))
        continue;
      sealed.push({
        entryTime: entry.time,
        sequence: record.sequence,
        subject: record.subject,
        regime: record.regime,
        salt,
        sealed: sealPersonalData(hub.keys.regionKey, origin, record.sequence, data),
      });
    }
    const stored = await tx.putPersonalData(origin, sealed);
    return json(200, { stored, skipped: records.length - stored });
  });
};

// ---- pull -------------------------------------------------------------------------------------------------------------

export const MAX_PULL = 10_000;
/** Format 2 carries entries as bytes, not base64 in JSON: a batch may be larger (decision 0280). */
export const MAX_PULL_V2 = 50_000;

export const origins = async (hub: Hub): Promise<Reply> =>
  hub.store.transaction(async (tx) => {
    const devices = await tx.devices();
    const states = await tx.origins();
    return json(200, {
      region: hub.region,
      origins: states
        .filter((s) => s.mirror !== null)
        .map((s) => ({
          origin: s.origin,
          device: devices.find((d) => d.origin === s.origin)?.deviceId ?? null,
          size: s.mirror!.size,
        })),
    });
  });

const REFERENCE_NEEDLES = ['lead', 'case', '\\u'].map((needle) => Buffer.from(needle, 'utf8'));
const mayReferToLeads = (bytes: Uint8Array): boolean => {
  const haystack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return REFERENCE_NEEDLES.some((needle) => haystack.includes(needle));
};

/** Whether a device serves every market: then nothing of its region is withheld from it. */
const everyMarket = (device: DeviceRecord): boolean => device.markets.includes('*');

/**
 * The entries of a batch the device may not receive (decision 0250): those about a lead (by a lead subject, the
 * payload's leadId, or a case subject whose case.opened named the lead) that is not of this hub's region or not in one
 * of the device's approved markets. A lead the hub knows no residency for is withheld from all but every-market
 * devices, and a case whose lead the hub does not know is withheld from them too: closed, not open.
 */
const withheldFrom = async (
  hub: Hub,
  tx: HubTx,
  device: DeviceRecord,
  entries: readonly StoredEntry[],
): Promise<Set<number>> => {
  const withheld = new Set<number>();
  const allMarkets = everyMarket(device);
  const references = entries.map((stored) => {
    // An entry that names no lead and no case (no "lead" or "case" in its bytes, and no \u escape that could spell
    // one) refers to nothing that residency withholds: it is not parsed.
    if (!mayReferToLeads(stored.bytes))
      return { sequence: stored.sequence, leads: new Set<string>(), cases: new Set<string>() };
    const entry = parseEntry(stored.bytes);
    const leads = new Set<string>();
    const cases = new Set<string>();
    for (const subject of entry?.subjects ?? []) {
      if (subject.startsWith('lead:')) leads.add(subject.slice('lead:'.length));
      if (subject.startsWith('case:')) cases.add(subject.slice('case:'.length));
    }
    if (typeof entry?.payload?.leadId === 'string') leads.add(entry.payload.leadId);
    return { sequence: stored.sequence, leads, cases };
  });
  const caseLeads = new Map(
    (await tx.caseLeads([...new Set(references.flatMap((r) => [...r.cases]))])).map((c) => [c.caseId, c.lead]),
  );
  const allLeads = new Set(
    references.flatMap((r) => [...r.leads, ...[...r.cases].flatMap((c) => caseLeads.get(c) ?? [])]),
  );
  const residency = new Map((await tx.leads([...allLeads])).map((record) => [record.lead, record]));
  const markets = new Set(device.markets);
  const visible = (lead: string): boolean => {
    const record = residency.get(lead);
    // A device of every market is served all of its region's leads (and those the policy maps to no region); a lead
    // of another region is served to no device (decision 0249).
    if (allMarkets) return record === undefined || record.region === null || record.region === hub.region;
    return record !== undefined && record.region === hub.region && record.markets.some((market) => markets.has(market));
  };
  for (const reference of references) {
    const unknownCase = [...reference.cases].some((c) => !caseLeads.has(c));
    const leads = [...reference.leads, ...[...reference.cases].flatMap((c) => caseLeads.get(c) ?? [])];
    if ((!allMarkets && unknownCase) || !leads.every(visible)) withheld.add(reference.sequence);
  }
  return withheld;
};

/**
 * Entries of one origin from a cursor, up to the mirror checkpoint (never past what is verified and stored). An entry
 * the device may not receive is served as its leaf hash only (`{withheld}`), without its personal data, so the device
 * still checks its copy against the cosigned root.
 */
export const pull = async (hub: Hub, device: DeviceRecord, query: URLSearchParams): Promise<Reply> => {
  const origin = query.get('origin');
  const from = Number(query.get('from') ?? '0');
  const format = query.get('format') ?? '1';
  if (format !== '1' && format !== String(PULL_FORMAT_2)) return text(400, 'pull format is 1 (JSON) or 2 (binary)');
  const max = format === '1' ? MAX_PULL : MAX_PULL_V2;
  const limit = Math.min(Number(query.get('limit') ?? String(max)), max);
  if (!origin || !Number.isSafeInteger(from) || from < 0 || !Number.isSafeInteger(limit) || limit < 1)
    return text(400, `pull takes origin, from (an entry index) and limit (1 to ${max})`);
  return hub.store.transaction(async (tx) => {
    const owner = await tx.deviceByOrigin(origin);
    if (!owner) return text(404, `unknown origin ${origin}`);
    const state = await tx.originState(origin);
    const size = state.mirror?.size ?? 0;
    const to = Math.min(size, from + limit);
    const entries = from < to ? await tx.entries(origin, from, to) : [];
    const withheld = await withheldFrom(hub, tx, device, entries);
    const personal = (from < to ? await tx.personalData(origin, from, to) : []).filter(
      (record) => !withheld.has(record.sequence),
    );
    const personalData = personal.map((p) => ({
      sequence: p.sequence,
      subject: p.subject,
      regime: p.regime,
      salt: bytesToBase64(p.salt),
      data: bytesToBase64(openPersonalData(hub.keys.regionKey, origin, p.sequence, p.sealed)),
    }));
    if (format !== '1')
      return {
        status: 200,
        contentType: PULL_V2_CONTENT_TYPE,
        body: formatPullV2(
          { origin, from, to: Math.max(from, to), size, checkpoint: state.mirror?.note ?? null, personalData },
          entries.map((e) => (withheld.has(e.sequence) ? { withheld: e.leafHash } : { bytes: e.bytes })),
        ),
      };
    return json(200, {
      origin,
      from,
      to: Math.max(from, to),
      size,
      checkpoint: state.mirror?.note ?? null,
      entries: entries.map((e) =>
        withheld.has(e.sequence)
          ? { withheld: bytesToBase64(e.leafHash) }
          : Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).toString('base64'),
      ),
      personalData,
    });
  });
};

export const hubLog = async (hub: Hub, query: URLSearchParams): Promise<Reply> =>
  hub.store.transaction(async (tx) => {
    const checkpoint = await tx.latestHubCheckpoint();
    const from = Math.max(0, Number(query.get('from') ?? '0') || 0);
    const to = Math.min(checkpoint?.size ?? 0, from + MAX_PULL);
    const leaves = from < to ? await tx.hubLogEntries(from, to) : [];
    return json(200, {
      origin: hubLogOrigin(hub.region),
      checkpoint: checkpoint?.note ?? null,
      from,
      entries: leaves.map((l) => new TextDecoder().decode(l.bytes)),
    });
  });

export const forks = async (hub: Hub): Promise<Reply> =>
  hub.store.transaction(async (tx) => json(200, { forks: await tx.forks() }));

export const devices = async (hub: Hub): Promise<Reply> =>
  hub.store.transaction(async (tx) =>
    json(200, {
      devices: (await tx.devices()).map((d) => ({
        ...d,
        publicKey: bytesToBase64(d.publicKey),
        fingerprint: bytesToHex(d.publicKey).slice(0, 16),
      })),
    }),
  );
