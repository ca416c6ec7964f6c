// Meta-actions: users, roles, markets, permissions, policy publication and list imports.
import * as z from 'zod';
import { META_ACTIONS } from '../../access/duties.ts';
import { HashHex, PartyIdText } from '../fields.ts';
import { Code, defineEvent, FreeText, PayloadVersion, ReasonData, v1Reader } from './define.ts';
import { DistributionRef } from './sync.ts';

const Codes = z.array(Code);
const Text = z.string().min(1).max(500);

/**
 * A change a second operations admin approved (decision 0161): the entry's actor is the requester; these name the
 * request, its requester and the approver. Absent when no approval was needed.
 */
const approval = {
  requestId: Code.optional().describe('the meta-action request approved, MR-<sequence>'),
  requestedBy: Code.optional().describe('the user id of the requester (maker)'),
  approvedBy: Code.optional().describe('the user id of the approving operations admin (checker)'),
};

const Count = z.number().int().min(0);

const permissionFields = {
  pv: PayloadVersion,
  userId: Code,
  permission: z.enum(['workstation-sign-in', 'keychain-unlock']),
  scope: z.enum(['this-workstation', 'this-device']),
};

export const ADMINISTRATION_EVENTS = {
  'user.created': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, roles: Codes, markets: Codes, ...approval }),
    personal: z.strictObject({ name: FreeText.describe("the user's display name") }),
    v1: v1Reader({}),
  }),
  'user.role_changed': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, roles: Codes, previous: Codes, ...approval }),
    personal: ReasonData,
    // An approved request's change carries no reason of its own: the reason is in the request (meta.requested).
    personalRequired: false,
    v1: v1Reader({ role: Text }),
  }),
  'market.reassigned': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, markets: Codes, previous: Codes, ...approval }),
    personal: ReasonData,
    // An approved request's change carries no reason of its own: the reason is in the request (meta.requested).
    personalRequired: false,
    v1: v1Reader({ market: Text }),
  }),
  'permission.granted': defineEvent({
    payload: z.strictObject({
      ...permissionFields,
      reactivated: z.literal(true).optional(),
      backend: Code.optional().describe('the OS keychain backend (keychain-unlock)'),
      passphraseChosenBy: Code.optional().describe('the admin who chose a new initial passphrase (decision 0161)'),
      ...approval,
    }),
    personal: ReasonData,
    personalRequired: false,
    v1: v1Reader({ permission: Text }),
  }),
  'permission.revoked': defineEvent({
    payload: z.strictObject({ ...permissionFields, releasedCases: Codes.optional() }),
    personal: ReasonData,
    personalRequired: false,
    v1: v1Reader({ permission: Text }),
  }),
  'policy.published': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      ruleVersion: Code,
      label: Code,
      bundle: z.string().min(1).describe('the policy bundle text (no personal data: the firm licensing map)'),
      previousRuleVersion: Code.optional(),
      previousLabel: Code.optional(),
      changes: z.record(z.string(), z.number().int().min(0)).optional(),
      ...approval,
      distribution: DistributionRef.optional().describe('the signed distribution it was activated from'),
    }),
    personal: z.strictObject({ reason: FreeText.optional(), fileName: FreeText.optional() }),
    personalRequired: false,
    v1: v1Reader({ ruleVersion: Text }),
  }),
  'list.imported': defineEvent({
    payload: z.strictObject({
      pv: PayloadVersion,
      list: Code,
      version: HashHex.describe("the list version's content hash, as screenings name it"),
      label: Code.describe("the publisher's version label"),
      source: Code,
      status: z.enum(['activated', 'unchanged']),
      kinds: Codes,
      counts: z.record(z.string(), Count),
      changes: z.strictObject({
        previous: HashHex.nullable(),
        added: Count,
        removed: Count,
        changed: Count,
        unchanged: Count,
      }),
      distribution: DistributionRef.optional().describe('the signed distribution it was activated from'),
    }),
    v1: v1Reader({ list: Text, version: Text }),
  }),
  // Separation of duties for meta-actions (decision 0161): names and reasons are beside the log.
  'meta.requested': defineEvent({
    payload: z.strictObject({
      requestId: Code.describe('the request id, MR-<sequence of this entry>'),
      action: z.enum(META_ACTIONS),
      target: PartyIdText.describe('user:<id>, or policy:<rule version>'),
      change: z
        .record(z.string(), z.unknown())
        .describe(
          'what approval applies: user ids, roles, markets, withKeySlot; for policy.publish the rule version, label and bundle',
        ),
    }),
    personal: z.strictObject({
      reason: FreeText.nullable(),
      name: FreeText.optional().describe("the new user's display name (user.create)"),
      fileName: FreeText.optional().describe("the policy file's name (policy.publish)"),
    }),
  }),
  'meta.approved': defineEvent({
    payload: z.strictObject({
      requestId: Code,
      action: z.enum(META_ACTIONS),
      target: PartyIdText,
      requestedBy: Code.describe('the user id of the requester (maker); the actor is the approver (checker)'),
    }),
  }),
  'meta.rejected': defineEvent({
    payload: z.strictObject({ requestId: Code, action: z.enum(META_ACTIONS), target: PartyIdText, requestedBy: Code }),
    personal: ReasonData,
  }),
} as const;
