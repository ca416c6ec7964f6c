// Signed distribution through the hub (issue 15, decisions 0253–0256): an operations admin registers the firm's
// publisher key and publishes statements the publisher key signed; devices list and fetch them; the hub shows which
// offline decisions were taken under a policy older than the one the region had then.
import * as z from 'zod';
import { base64ToBytes, bytesToBase64, bytesToHex } from '../core/audit/bytes.ts';
import { parseNote, verifyNoteSignature } from '../core/audit/note.ts';
import {
  parsePublisherKey,
  readDistributionNote,
  signDistribution,
  STREAM_PATTERN,
} from '../core/sync/distribution.ts';
import type { DistributionManifest } from '../core/sync/distribution.ts';
import type { NoteSigner } from '../core/audit/note.ts';
import { utf8Bytes } from '../core/audit/bytes.ts';
import { appendHubLog, nodeSha256, parseJsonBody } from './service.ts';
import type { Hub, Reply } from './service.ts';
import type { DistributionRecord, HubTx } from './store/store.ts';

const text = (status: number, body: string): Reply => ({
  status,
  contentType: 'text/plain; charset=utf-8',
  body: body.endsWith('\n') ? body : `${body}\n`,
});
const json = (status: number, value: unknown): Reply => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly error: string };

/** Registers a publisher key (a signed-note verifier key) that statements may be signed with. */
export const addPublisher = async (
  hub: Hub,
  input: { readonly verifierKey: string; readonly admin: string },
): Promise<Outcome<{ readonly verifierKey: string; readonly added: boolean }>> => {
  const key = parsePublisherKey(input.verifierKey, nodeSha256);
  if (key === null) return { ok: false, status: 400, error: 'the publisher key is not a signed-note verifier key' };
  return hub.store.transaction(async (tx) => {
    const at = hub.now().toISOString();
    const added = await tx.putPublisher(input.verifierKey, input.admin, at);
    if (added)
      await appendHubLog(hub, tx, {
        type: 'publisher.added',
        key: input.verifierKey,
        admin: input.admin,
        time: at,
      });
    return { ok: true, value: { verifierKey: input.verifierKey, added } };
  });
};

const signedByRegisteredKey = async (tx: HubTx, note: string, noteText: string): Promise<string | null> => {
  const parsed = parseNote(utf8Bytes(note));
  if (!parsed.ok) return null;
  for (const registered of await tx.publishers()) {
    const key = parsePublisherKey(registered, nodeSha256);
    if (key && parsed.value.signatures.some((sig) => verifyNoteSignature(noteText, sig, key))) return registered;
  }
  return null;
};

/**
 * Stores a statement the publisher signed, with its content: the hub checks what it can (a registered publisher's
 * signature, its region, the content's SHA-256, the next sequence of the stream) so a bad statement is refused here and
 * not only on every device; devices check again against the key they pinned, never trusting the hub's word.
 */
export const publishDistribution = async (
  hub: Hub,
  input: { readonly note: string; readonly content: Uint8Array; readonly admin: string },
): Promise<Outcome<DistributionRecord>> => {
  const read = readDistributionNote(input.note);
  if (!read.ok) return { ok: false, status: 400, error: read.message };
  const m = read.manifest;
  if (m.region !== hub.region)
    return { ok: false, status: 403, error: `the statement is for region ${m.region}; this hub serves ${hub.region}` };
  if ((m.kind === 'policy') !== (m.stream === 'policy'))
    return { ok: false, status: 400, error: `a ${m.kind} statement on stream ${m.stream}` };
  const digest = bytesToHex(nodeSha256(input.content));
  if (digest !== m.contentSha256)
    return { ok: false, status: 422, error: `the content's SHA-256 is ${digest}, not the signed ${m.contentSha256}` };
  return hub.store.transaction(async (tx) => {
    const signer = await signedByRegisteredKey(tx, input.note, read.text);
    if (signer === null)
      return {
        ok: false,
        status: 403,
        error: 'no signature on the statement verifies against a registered publisher key',
      };
    const history = await tx.distributions(m.stream);
    const expected = (history.at(-1)?.sequence ?? 0) + 1;
    if (m.sequence !== expected)
      return {
        ok: false,
        status: 409,
        error: `${m.stream} is at sequence ${expected - 1}: the next statement must be sequence ${expected}, not ${m.sequence}`,
      };
    const at = hub.now().toISOString();
    const record: DistributionRecord = {
      stream: m.stream,
      sequence: m.sequence,
      kind: m.kind,
      version: m.version,
      label: m.label,
      note: input.note,
      publishedAt: m.publishedAt,
      receivedAt: at,
      receivedBy: input.admin,
    };
    await tx.putDistribution(record, input.content);
    await appendHubLog(hub, tx, {
      type: 'distribution.published',
      stream: m.stream,
      sequence: m.sequence,
      version: m.version,
      contentSha256: m.contentSha256,
      signer: signer.slice(0, signer.lastIndexOf('+')),
      admin: input.admin,
      time: at,
    });
    return { ok: true, value: record };
  });
};

/** Signs a manifest with the publisher's seed (the publisher's tool: the hub CLI given the publisher key file). */
export const nextManifest = async (
  hub: Hub,
  input: Omit<DistributionManifest, 'sequence' | 'region'>,
): Promise<DistributionManifest> => {
  const history = await hub.store.transaction((tx) => tx.distributions(input.stream));
  return { ...input, region: hub.region, sequence: (history.at(-1)?.sequence ?? 0) + 1 };
};

export const signManifest = (manifest: DistributionManifest, signer: NoteSigner): string =>
  signDistribution(manifest, signer, nodeSha256);

const summary = (d: DistributionRecord) => ({
  stream: d.stream,
  sequence: d.sequence,
  kind: d.kind,
  version: d.version,
  label: d.label,
  publishedAt: d.publishedAt,
});

/** `GET /v1/distributions`: the latest statement of every stream, with the registered publisher keys. */
export const listDistributions = async (hub: Hub): Promise<Reply> =>
  hub.store.transaction(async (tx) => {
    const all = await tx.distributions(null);
    const latest = new Map<string, DistributionRecord>();
    for (const d of all) latest.set(d.stream, d);
    return json(200, {
      region: hub.region,
      publishers: await tx.publishers(),
      distributions: [...latest.values()].map(summary),
    });
  });

/** `GET /v1/distribution?stream=S&sequence=N`: one statement and its content. */
export const getDistribution = async (hub: Hub, query: URLSearchParams): Promise<Reply> => {
  const stream = query.get('stream') ?? '';
  const sequence = Number(query.get('sequence') ?? '');
  if (!STREAM_PATTERN.test(stream) || !Number.isSafeInteger(sequence) || sequence < 1)
    return text(400, 'distribution takes stream (policy or list:<id>) and sequence (from 1)');
  return hub.store.transaction(async (tx) => {
    const record = (await tx.distributions(stream)).find((d) => d.sequence === sequence);
    const content = record ? await tx.distributionContent(stream, sequence) : null;
    if (!record || !content) return text(404, `no statement ${stream} sequence ${sequence}`);
    return json(200, { ...summary(record), note: record.note, content: bytesToBase64(content) });
  });
};

export const adminDistributions = async (hub: Hub): Promise<Reply> =>
  hub.store.transaction(async (tx) =>
    json(200, {
      publishers: await tx.publishers(),
      distributions: (await tx.distributions(null)).map((d) => ({
        ...summary(d),
        receivedAt: d.receivedAt,
        receivedBy: d.receivedBy,
      })),
    }),
  );

// ---- decisions taken under a superseded policy (decision 0256) ------------------------------------------------------

const DECISION_TYPES = new Set(['lead.intake', 'routing.decided', 'case.decided', 'case.approved']);

export type SupersededDecision = {
  readonly origin: string;
  readonly device: string | null;
  readonly sequence: number;
  readonly type: string;
  readonly time: string;
  readonly subjects: readonly string[];
  /** The rule version the entry names, and its sequence on the policy stream (null: never distributed here). */
  readonly ruleVersion: string;
  readonly policySequence: number | null;
  /** The region's policy when the decision was taken (by the entry's time), which it should have used. */
  readonly currentRuleVersion: string;
  readonly currentSequence: number;
  readonly reason: 'older_policy' | 'not_distributed';
};

const EntryHead = z.object({
  time: z.string(),
  type: z.string(),
  subjects: z.array(z.string()),
  payload: z.object({ ruleVersion: z.string().optional() }).loose(),
});

/**
 * Every mirrored decision (intake, routing, case decision and approval) whose rule version is not the policy the region had
 * distributed at the decision's time: an older distributed version, or one never distributed through this hub. A
 * decision taken before the first distribution, or that names no rule version (entries written before decision
 * 0255), is not listed. It reads every mirrored entry: an audit listing, not a hot path.
 */
export const supersededDecisions = async (hub: Hub): Promise<SupersededDecision[]> =>
  hub.store.transaction(async (tx) => {
    const policies = await tx.distributions('policy');
    if (policies.length === 0) return [];
    const sequenceOf = new Map(policies.map((p) => [p.version, p.sequence]));
    const devices = await tx.devices();
    const found: SupersededDecision[] = [];
    for (const state of await tx.origins()) {
      const size = state.mirror?.size ?? 0;
      for (let from = 0; from < size; from += 10_000)
        for (const entry of await tx.entries(state.origin, from, Math.min(size, from + 10_000))) {
          const head = EntryHead.safeParse(JSON.parse(new TextDecoder().decode(entry.bytes)));
          if (!head.success || !DECISION_TYPES.has(head.data.type)) continue;
          const ruleVersion = head.data.payload.ruleVersion;
          if (ruleVersion === undefined) continue;
          const time = Date.parse(head.data.time);
          const current = policies.filter((p) => Date.parse(p.publishedAt) <= time).at(-1);
          if (current === undefined || current.version === ruleVersion) continue;
          const policySequence = sequenceOf.get(ruleVersion) ?? null;
          // A version published after the one current then is newer, not superseded (a clock ahead of the hub's).
          if (policySequence !== null && policySequence > current.sequence) continue;
          found.push({
            origin: state.origin,
            device: devices.find((d) => d.origin === state.origin)?.deviceId ?? null,
            sequence: entry.sequence,
            type: head.data.type,
            time: head.data.time,
            subjects: head.data.subjects,
            ruleVersion,
            policySequence,
            currentRuleVersion: current.version,
            currentSequence: current.sequence,
            reason: policySequence === null ? 'not_distributed' : 'older_policy',
          });
        }
    }
    return found;
  });

// ---- the admin api --------------------------------------------------------------------------------------------------

const PublisherBody = z.strictObject({ verifierKey: z.string().min(1).max(400) });
const PublishBody = z.strictObject({ note: z.string().min(1).max(10_000), content: z.string().min(1) });

/** Admin api routes of distribution; null when the path is not one of them. */
export const distributionAdminRoute = async (
  hub: Hub,
  method: string,
  path: string,
  admin: string,
  body: Uint8Array,
): Promise<Reply | null> => {
  if (method === 'GET' && path === '/v1/admin/distributions') return adminDistributions(hub);
  if (method === 'GET' && path === '/v1/admin/superseded-decisions')
    return json(200, { decisions: await supersededDecisions(hub) });
  if (method === 'POST' && path === '/v1/admin/publishers') {
    const parsed = parseJsonBody(PublisherBody, body);
    if (!parsed.ok) return parsed.reply;
    const result = await addPublisher(hub, { verifierKey: parsed.value.verifierKey, admin });
    return result.ok ? json(result.value.added ? 201 : 200, result.value) : text(result.status, result.error);
  }
  if (method === 'POST' && path === '/v1/admin/distributions') {
    const parsed = parseJsonBody(PublishBody, body);
    if (!parsed.ok) return parsed.reply;
    const content = base64ToBytes(parsed.value.content);
    if (content === null) return text(400, 'field content: not canonical base64');
    const result = await publishDistribution(hub, { note: parsed.value.note, content, admin });
    return result.ok ? json(201, summary(result.value)) : text(result.status, result.error);
  }
  return null;
};
