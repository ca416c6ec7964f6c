// `perimeter hub export`: one zip from which an auditor verifies a whole region (decision 0261): every device log the
// hub mirrors (its entries, its mirror checkpoint with the mirror cosignature, each checkpoint the witness accepted,
// cosigned again by the witness key at export, and the two signed checkpoints of each fork the witness recorded), and the
// hub's own log with its signed checkpoint. docs/sync.md.
import { zipSync } from 'fflate';
import { cosignCheckpoint } from '../core/sync/cosignature.ts';
import { REGION_EXPORT_FORMAT } from '../core/sync/region-verify.ts';
import { hubLogOrigin } from '../core/sync/hub-identity.ts';
import { hubIdentity, nodeSha256, witness } from './service.ts';
import type { Hub } from './service.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The export's bytes: read in one store transaction, so the device logs and the hub log are of the same moment. */
export const exportRegion = async (hub: Hub): Promise<{ bytes: Uint8Array; devices: number; hubLogSize: number }> =>
  hub.store.transaction(async (tx) => {
    const files: Record<string, Uint8Array> = {};
    const devices = await tx.devices();
    const states = await tx.origins();
    const forks = await tx.forks();
    const hubCheckpoint = await tx.latestHubCheckpoint();
    const hubLeaves = hubCheckpoint ? await tx.hubLogEntries(0, hubCheckpoint.size) : [];
    const listed: { device: string; origin: string; logKeys: readonly string[]; size: number; dir: string }[] = [];
    const seconds = Math.floor(hub.now().getTime() / 1000);
    for (const state of states) {
      if (state.mirror === null) continue;
      const device = devices.find((d) => d.origin === state.origin);
      if (!device) continue;
      const dir = `devices/${device.deviceId}`;
      const entries = await tx.entries(state.origin, 0, state.mirror.size);
      files[`${dir}/entries.jsonl`] = utf8(entries.map((e) => `${text(e.bytes)}\n`).join(''));
      files[`${dir}/checkpoint.txt`] = utf8(state.mirror.note);
      // Every checkpoint of this origin the witness accepted (the hub log names them), with the witness cosignature.
      const accepted: string[] = [];
      for (const leaf of hubLeaves) {
        const record = JSON.parse(text(leaf.bytes)) as { type: string; origin?: string; size?: number };
        if (record.type !== 'checkpoint.accepted' || record.origin !== state.origin) continue;
        const checkpoint = await tx.checkpointOfSize(state.origin, record.size!);
        if (!checkpoint) continue;
        const noteText = checkpoint.note.slice(0, checkpoint.note.indexOf('\n\n') + 1);
        accepted.push(`${checkpoint.note}${cosignCheckpoint(noteText, witness(hub), seconds, nodeSha256)}`);
      }
      files[`${dir}/accepted-checkpoints.json`] = utf8(`${JSON.stringify(accepted, null, 2)}\n`);
      // The fork evidence (decision 0275): both signed checkpoints of every fork of this origin, as the witness kept them.
      const evidence = forks
        .filter((fork) => fork.origin === state.origin)
        .map((fork) => ({
          size: fork.size,
          acceptedNote: fork.acceptedNote,
          conflictingNote: fork.conflictingNote,
          recordedAt: fork.recordedAt,
        }));
      files[`${dir}/forks.json`] = utf8(`${JSON.stringify(evidence, null, 2)}\n`);
      listed.push({
        device: device.deviceId,
        origin: state.origin,
        logKeys: device.logKeys,
        size: state.mirror.size,
        dir,
      });
    }
    files['hub-log/entries.jsonl'] = utf8(hubLeaves.map((l) => `${text(l.bytes)}\n`).join(''));
    files['hub-log/checkpoint.txt'] = utf8(hubCheckpoint?.note ?? '');
    files['manifest.json'] = utf8(
      `${JSON.stringify(
        {
          format: REGION_EXPORT_FORMAT,
          version: 1,
          region: hub.region,
          exportedAt: hub.now().toISOString(),
          hub: hubIdentity(hub),
          hubLog: { origin: hubLogOrigin(hub.region), size: hubCheckpoint?.size ?? 0 },
          devices: listed,
        },
        null,
        2,
      )}\n`,
    );
    return { bytes: zipSync(files, { level: 6 }), devices: listed.length, hubLogSize: hubCheckpoint?.size ?? 0 };
  });
