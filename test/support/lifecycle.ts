// Workstations for the product-path lifecycle tests: the fintech example with its conduct rules (and without its
// approvals section), where the UK SME desk also sells crypto custody, and Olivia's capacity is small.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialiseWorkstation } from '../../electron/services/workstation/session/workstation.ts';
import type { Session, WorkstationDeps } from '../../electron/services/workstation/session/workstation.ts';
import { importLeads } from '../../electron/services/workstation/commands/intake.ts';
import type { KycInitiation } from '../../electron/services/workstation/commands/kyc-handoff.ts';
import { parseLeadRecord } from '../../core/routing/lead.ts';
import { examplesDir } from './examples.ts';
import { addUser, ADMIN_PASSPHRASE, testClock, TEST_SCRYPT } from './workstation.ts';
import type { TestWorkstation } from './workstation.ts';

/** The fintech example with crypto custody sold by the UK SME desk (Olivia), Olivia's capacity set to `capacity`. */
export const lifecyclePolicyText = (capacity = 2): string => {
  const text = readFileSync(join(examplesDir, 'fintech', 'policy.yaml'), 'utf8');
  const replaced = text
    .replace(/^approvals:\n {2}meta: \[[^\]]*\]\n/mu, '')
    .replace(
      'class: crypto\n    complexity: complex\n',
      'class: crypto\n    complexity: complex\n    kycRequiredBeforeEngagement: false\n',
    )
    .replace('productClasses: [payments, card_issuing]', 'productClasses: [payments, card_issuing, crypto]')
    .replace(
      'products: [business-payments, corporate-cards]\n',
      'products: [business-payments, corporate-cards, crypto-custody]\n',
    )
    .replace(
      /(- id: rep-olivia\n {4}name: Olivia Bennett\n {4}team: uk-sme\n {4}capacity: )40(\n {4}authorisations:\n {6}- \{ products: \[business-payments)\]/u,
      `$1${capacity}$2, crypto-custody]`,
    );
  if (
    !replaced.includes('crypto-custody]') ||
    !replaced.includes('kycRequiredBeforeEngagement: false\n    suitability') ||
    replaced.includes('approvals:')
  )
    throw new Error('the lifecycle test policy no longer applies to the fintech example');
  return replaced;
};

export type LifecycleWorkstation = TestWorkstation & {
  readonly kyc: KycInitiation[];
  /** Olivia and Harry (field reps, UK), Sam (senior officer, every market), Cora (compliance officer, UK). */
  readonly olivia: Session;
  readonly harry: Session;
  readonly sam: Session;
  readonly cora: Session;
  readonly close: () => void;
};

export const createLifecycleWorkstation = (
  /** productionKyc: no stand-in hook, so the workstation's own KYC outbox takes the initiations. */
  options: { capacity?: number; start?: string; productionKyc?: boolean } = {},
): LifecycleWorkstation => {
  const dir = mkdtempSync(join(tmpdir(), 'perimeter-lifecycle-'));
  const path = join(dir, 'workstation.db');
  const clock = testClock(options.start ?? '2026-12-07T10:00:00.000Z');
  const kyc: KycInitiation[] = [];
  const deps: WorkstationDeps = {
    now: clock.now,
    scryptCost: TEST_SCRYPT,
    // The KYC outbox stands in: each initiation is checked to run inside the command's transaction.
    ...(options.productionKyc
      ? {}
      : {
          enqueueKycInitiation: (
            tx: Parameters<NonNullable<WorkstationDeps['enqueueKycInitiation']>>[0],
            initiation: KycInitiation,
          ) => {
            if (!tx.db.inTransaction) throw new Error('the KYC initiation must be enqueued inside the transaction');
            kyc.push(initiation);
          },
        }),
  };
  const admin = initialiseWorkstation(
    {
      path,
      logId: 'test-device',
      admin: { id: 'ada', name: 'Ada Admin', passphrase: ADMIN_PASSPHRASE },
      policyText: lifecyclePolicyText(options.capacity),
    },
    deps,
  );
  const ws: TestWorkstation = { dir, path, clock, deps, admin, otto: null };
  const olivia = addUser(ws, 'rep-olivia', ['field_rep'], ['UK']);
  const harry = addUser(ws, 'rep-harry', ['field_rep'], ['UK']);
  const sam = addUser(ws, 'sam', ['senior_officer'], ['*']);
  const cora = addUser(ws, 'cora', ['compliance_officer'], ['UK']);
  const sessions = [admin, olivia, harry, sam, cora];
  return { ...ws, kyc, olivia, harry, sam, cora, close: () => sessions.forEach((s) => s.workstation.close()) };
};

/** A GB retail prospect for crypto custody (suitability assessed, KYC not started) or another product. */
export const prospect = (id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  customerType: 'retail',
  kycStatus: 'not_started',
  amlDocumentation: 'complete',
  suitabilityAssessed: true,
  screening: { screenedAt: '2026-12-01T09:00:00Z', hits: [] },
  productInterests: ['crypto-custody'],
  person: { fullName: `Prospect ${id}` },
  address: { line1: '1 Poultry', city: 'London', country: 'GB' },
  kycPrescreenJurisdiction: 'GB',
  ...overrides,
});

/** Ingests prospects as the admin; the internal lead ids in order. */
export const ingest = (session: Session, ...leads: Record<string, unknown>[]): string[] => {
  const result = importLeads(
    session,
    leads.map((lead, index) => {
      const parsed = parseLeadRecord(lead);
      if (!parsed.ok) throw new Error(`test lead ${index + 1}: ${JSON.stringify(parsed.error)}`);
      return { line: index + 1, lead: parsed.value };
    }),
    [],
    { sourceSystem: 'crm', mode: 'all', screening: { kind: 'none' } },
  );
  return result.leads.map((lead) => lead.leadId);
};
