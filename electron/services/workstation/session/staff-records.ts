// What the log holds about the workstation's own people (display names, the reasons admins give): personal data beside
// the log under one regime (decisions 0141, 0175), built here for every writer.
import type { Role } from '../../../../core/access/roles.ts';
import { PAYLOAD_VERSION } from '../../../../core/audit/event-types.ts';
import type { JsonObject } from '../../../../core/audit/entry.ts';
import { WORKFORCE_REGIME } from '../../../../core/intake/lead-record.ts';

/** Personal data about staff (a user, the device, a policy), kept and purged as the workforce's records. */
export const staffRecord = <D>(subject: string, data: D) => ({ subject, regime: WORKFORCE_REGIME, data });

/** A user.created entry, the same at initialisation, at once, or on a second admin's approval (duties.ts). */
export const userCreatedEvent = (
  actor: string,
  user: {
    readonly id: string;
    readonly name: string;
    readonly roles: readonly Role[];
    readonly markets: readonly string[];
  },
  approval: JsonObject = {},
) => ({
  actor,
  type: 'user.created' as const,
  subjects: [`user:${user.id}`],
  payload: { pv: PAYLOAD_VERSION, userId: user.id, roles: [...user.roles], markets: [...user.markets], ...approval },
  // The display name is personal data: beside the log.
  personalData: staffRecord(`user:${user.id}`, { name: user.name }),
});
