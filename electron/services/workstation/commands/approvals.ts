// The meta-action approvals as commands: list, approve (with each action's applier) and reject (decision 0161).
import type { MetaAction } from '../../../../core/access/duties.ts';
import { applyReactivate } from './deactivation.ts';
import { approveMetaRequest, listMetaRequests, rejectMetaRequest } from './duties.ts';
import type { MetaApplier, MetaRequestView } from './duties.ts';
import { applyKycConfigure } from './kyc-outbox.ts';
import { applyPolicyPublish } from './policy-admin.ts';
import { applyMarketGrant, applyRoleGrant, applyUserCreate } from './users.ts';
import type { Session } from '../session/workstation.ts';

const APPLIERS: Readonly<Record<MetaAction, MetaApplier>> = {
  'user.create': applyUserCreate,
  'role.grant': applyRoleGrant,
  'market.grant': applyMarketGrant,
  'user.reactivate': applyReactivate,
  'policy.publish': applyPolicyPublish,
  'kyc.configure': applyKycConfigure,
};

export const listApprovals = listMetaRequests;

export const approveRequest = (session: Session, requestId: string): MetaRequestView =>
  approveMetaRequest(session, requestId, APPLIERS);

export const rejectRequest = rejectMetaRequest;
