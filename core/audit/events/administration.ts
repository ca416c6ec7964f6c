// Meta-actions: users, roles, markets, permissions, policy publication and list imports.
import * as z from 'zod';
import { Code, defineEvent, FreeText, PayloadVersion, ReasonData, v1Reader } from './define.ts';

const Codes = z.array(Code);
const Text = z.string().min(1).max(500);

const permissionFields = {
  pv: PayloadVersion,
  userId: Code,
  permission: z.enum(['workstation-sign-in', 'keychain-unlock']),
  scope: z.enum(['this-workstation', 'this-device']),
};

export const ADMINISTRATION_EVENTS = {
  'user.created': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, roles: Codes, markets: Codes }),
    personal: z.strictObject({ name: FreeText.describe("the user's display name") }),
    v1: v1Reader({}),
  }),
  'user.role_changed': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, roles: Codes, previous: Codes }),
    personal: ReasonData,
    v1: v1Reader({ role: Text }),
  }),
  'market.reassigned': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, userId: Code, markets: Codes, previous: Codes }),
    personal: ReasonData,
    v1: v1Reader({ market: Text }),
  }),
  'permission.granted': defineEvent({
    payload: z.strictObject({
      ...permissionFields,
      reactivated: z.literal(true).optional(),
      backend: Code.optional().describe('the OS keychain backend (keychain-unlock)'),
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
    }),
    personal: z.strictObject({ reason: FreeText.optional(), fileName: FreeText.optional() }),
    personalRequired: false,
    v1: v1Reader({ ruleVersion: Text }),
  }),
  'list.imported': defineEvent({
    payload: z.strictObject({ pv: PayloadVersion, list: Code, version: Code }),
    v1: v1Reader({ list: Text, version: Text }),
  }),
} as const;
