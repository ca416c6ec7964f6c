// The browser host of conduct.spec.ts: a fresh workstation of its own on the lifecycle test policy (the fintech example
// where the UK SME desk also sells crypto custody), on real time, with the KYC outbox wired in, a file-drop connector
// and a callback secret. One GB retail prospect wants crypto custody (assigned to rep-olivia) and a business payment
// account (held at routing until KYC is verified); another wants crypto custody only. Writes its address, the secret and the lead to the state file.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserHost } from '../../../electron/services/host/browser-host.ts';
import {
  configureKycConnector,
  enqueueKycInitiation,
} from '../../../electron/services/workstation/commands/kyc-outbox.ts';
import { initialiseWorkstation } from '../../../electron/services/workstation/session/workstation.ts';
import type { WorkstationDeps } from '../../../electron/services/workstation/session/workstation.ts';
import { repoRoot } from '../../support/examples.ts';
import { ingest, lifecyclePolicyText, prospect } from '../../support/lifecycle.ts';
import { newSecret } from '../../support/kyc.ts';
import { ADMIN_PASSPHRASE, TEST_SCRYPT, addUser, testClock } from '../../support/workstation.ts';
import type { TestWorkstation } from '../../support/workstation.ts';

export type ConductHostState = {
  readonly url: string;
  readonly port: number;
  readonly callbackSecret: string;
  readonly leadId: string;
};

const [stateFile] = process.argv.slice(2);
if (stateFile === undefined) throw new Error('usage: node test/e2e/support/conduct-host.ts STATE_FILE');

const dir = mkdtempSync(join(tmpdir(), 'perimeter-e2e-conduct-'));
const path = join(dir, 'workstation.db');
const dropDir = join(dir, 'kyc-drop');
mkdirSync(dropDir);
// Real time: the cooling-off the spec waits for ends on the host's own clock.
const deps: WorkstationDeps = { now: () => new Date(), scryptCost: TEST_SCRYPT, enqueueKycInitiation };
const admin = initialiseWorkstation(
  {
    path,
    logId: 'e2e-conduct',
    admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
    policyText: lifecyclePolicyText(5),
  },
  deps,
);
const ws: TestWorkstation = { dir, path, clock: testClock(), deps, admin, otto: null };
addUser(ws, 'rep-olivia', ['field_rep'], ['UK']).workstation.close();
const callbackSecret = newSecret();
configureKycConnector(admin, { kind: 'file_drop', dropDir, callbackSecret });
const [leadId] = ingest(
  admin,
  prospect('P-E2E-COOL', {
    productInterests: ['crypto-custody', 'business-payments'],
    person: { fullName: 'Rosa Prospect' },
  }),
  // A second path of Olivia's, so My leads has a list to move through.
  prospect('P-E2E-OTHER', { person: { fullName: 'Otto Other' } }),
);
admin.workstation.close();
if (leadId === undefined) throw new Error('the conduct prospect was not ingested');

const host = await startBrowserHost({
  dbPath: path,
  staticDir: join(repoRoot, 'out', 'renderer'),
  deps,
  kycDeliveryIntervalMs: 1000,
});
const state: ConductHostState = { url: host.url, port: host.port, callbackSecret, leadId };
writeFileSync(stateFile, JSON.stringify(state));

const stop = (): void => {
  void host.close().then(() => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
