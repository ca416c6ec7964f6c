// sync-devices.spec.ts's second workstation, in a process of its own: a fresh workstation (its own encrypted database)
// on the e2e hub's clock that asks the hub at the URL given to enrol it, then writes {deviceId, fingerprint} to the
// state file named on the command line and exits. An operations device approves or revokes it from the browser.
import { writeFileSync } from 'node:fs';
import { enrolWithHub } from '../../../electron/services/workstation/commands/sync.ts';
import { createTestWorkstation } from '../../support/workstation.ts';

const [stateFile, hubUrl, deviceId] = process.argv.slice(2);
if (stateFile === undefined || hubUrl === undefined || deviceId === undefined)
  throw new Error('usage: node test/e2e/support/field-device.ts STATE_FILE HUB_URL DEVICE_ID');

// The e2e hub's clock starts on 24 November 2026 at noon and runs with the real one (sync-hub.ts); this device's is
// within the hub's skew window of it as long as the hub started less than five minutes ago.
const ws = createTestWorkstation({ logId: deviceId });
ws.clock.set('2026-11-24T12:00:00.000Z');
const result = await enrolWithHub(ws.admin, { hubUrl, region: 'eu-west' });
ws.admin.workstation.close();
writeFileSync(stateFile, JSON.stringify({ deviceId: result.deviceId, fingerprint: result.fingerprint }));
