// The publisher's side (decision 0253): makes a policy bundle or a list version into a statement signed with the
// publisher key, for the next sequence of its stream, and hands it to the hub. Used by `perimeter hub publish-policy`
// and `publish-list` on the operations admin's machine with the publisher key file; the hub itself never signs.
import { bytesToHex, utf8Bytes } from '../core/audit/bytes.ts';
import type { NoteSigner } from '../core/audit/note.ts';
import { parsePolicyText } from '../core/policy/parse.ts';
import { listPackageBytes, readListPackage } from '../electron/services/lists/package.ts';
import { nextManifest, publishDistribution, signManifest } from './distribution.ts';
import type { Outcome } from './distribution.ts';
import { nodeSha256 } from './service.ts';
import type { Hub } from './service.ts';
import type { DistributionRecord } from './store/store.ts';

const publish = async (
  hub: Hub,
  signer: NoteSigner,
  input: {
    readonly stream: string;
    readonly kind: 'policy' | 'list';
    readonly version: string;
    readonly label: string;
    readonly content: Uint8Array;
    readonly admin: string;
  },
): Promise<Outcome<DistributionRecord>> => {
  const manifest = await nextManifest(hub, {
    stream: input.stream,
    kind: input.kind,
    version: input.version,
    label: input.label,
    contentSha256: bytesToHex(nodeSha256(input.content)),
    publishedAt: hub.now().toISOString(),
  });
  return publishDistribution(hub, { note: signManifest(manifest, signer), content: input.content, admin: input.admin });
};

/** Publishes a policy bundle (YAML or JSON text): refused unless it is a valid policy. */
export const publishPolicyBundle = async (
  hub: Hub,
  signer: NoteSigner,
  input: { readonly fileName: string; readonly text: string; readonly admin: string },
): Promise<Outcome<DistributionRecord>> => {
  const parsed = parsePolicyText(input.text, nodeSha256);
  if (!parsed.ok)
    return {
      ok: false,
      status: 400,
      error: `${input.fileName} is not a valid policy: ${parsed.error
        .slice(0, 3)
        .map((i) => `${i.line ?? '?'}:${i.column ?? '?'}: ${i.path} ${i.message}`)
        .join('; ')}`,
    };
  return publish(hub, signer, {
    stream: 'policy',
    kind: 'policy',
    version: parsed.value.version,
    label: parsed.value.policy.version,
    content: utf8Bytes(input.text),
    admin: input.admin,
  });
};

/** Publishes a list version from its source files: refused unless the importer reads it. */
export const publishListVersion = async (
  hub: Hub,
  signer: NoteSigner,
  input: {
    readonly source: string;
    readonly listId: string;
    readonly kind?: string;
    readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
    readonly admin: string;
  },
): Promise<Outcome<DistributionRecord>> => {
  const content = listPackageBytes(input);
  const read = readListPackage(content);
  if (!read.ok) return { ok: false, status: 400, error: read.error };
  return publish(hub, signer, {
    stream: `list:${read.listId}`,
    kind: 'list',
    version: read.contentSha256,
    label: read.versionId,
    content,
    admin: input.admin,
  });
};
