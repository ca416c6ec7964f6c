// Distribution fixtures for tests: the fintech example policy relabelled as a new version, and a statement whose
// publisher signature was tampered with, stored at the hub past its own check (as a compromised hub could serve it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, utf8Bytes } from '../../core/audit/bytes.ts';
import type { NoteSigner } from '../../core/audit/note.ts';
import { parsePolicyText } from '../../core/policy/parse.ts';
import { nextManifest, signManifest } from '../../hub/distribution.ts';
import { nodeSha256 } from '../../hub/service.ts';
import type { Hub } from '../../hub/service.ts';
import { examplesDir } from './examples.ts';
import { withoutApprovals } from './policy-text.ts';

/** The fintech example (without approvals, as test workstations have it) under another `version` label. */
export const relabelledFintech = (label: string): string =>
  withoutApprovals(readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8')).replace(
    'version: 2026.11-1',
    `version: ${label}`,
  );

/** Signs the next policy statement with the publisher, flips one bit of the signature, and stores it at the hub. */
export const storeTamperedPolicyStatement = async (
  hub: Hub,
  publisher: NoteSigner,
  text: string,
): Promise<{ readonly sequence: number; readonly label: string }> => {
  const parsed = parsePolicyText(text, nodeSha256);
  if (!parsed.ok) throw new Error('the policy does not parse');
  const content = utf8Bytes(text);
  const manifest = await nextManifest(hub, {
    stream: 'policy',
    kind: 'policy',
    version: parsed.value.version,
    label: parsed.value.policy.version,
    contentSha256: bytesToHex(nodeSha256(content)),
    publishedAt: hub.now().toISOString(),
  });
  const note = signManifest(manifest, publisher);
  const lines = note.split('\n');
  const signatureLine = lines.at(-2)!;
  const signature = Buffer.from(signatureLine.split(' ').at(-1)!, 'base64');
  signature[signature.length - 1]! ^= 0x01;
  lines[lines.length - 2] =
    `${signatureLine.slice(0, signatureLine.lastIndexOf(' ') + 1)}${signature.toString('base64')}`;
  const at = hub.now().toISOString();
  await hub.store.transaction((tx) =>
    tx.putDistribution(
      {
        stream: 'policy',
        sequence: manifest.sequence,
        kind: 'policy',
        version: manifest.version,
        label: manifest.label,
        note: lines.join('\n'),
        publishedAt: manifest.publishedAt,
        receivedAt: at,
        receivedBy: 'mallory',
      },
      content,
    ),
  );
  return { sequence: manifest.sequence, label: manifest.label };
};
