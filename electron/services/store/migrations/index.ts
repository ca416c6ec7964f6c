// The ordered list of every migration. Append new ones at the end with the next version number.
import type { Migration } from './migration.ts';
import { migration0001Audit } from './0001-audit.ts';
import { migration0002Workstation } from './0002-workstation.ts';
import { migration0003SavedViews } from './0003-saved-views.ts';
import { migration0004RefusalCounts } from './0004-refusal-counts.ts';
import { migration0005DueCounts } from './0005-due-counts.ts';
import { migration0006MetaApprovals } from './0006-meta-approvals.ts';
import { migration0007LeadSourceIds } from './0007-lead-source-ids.ts';
import { migration0008Monitoring } from './0008-monitoring.ts';
import { migration0009Sync } from './0009-sync.ts';
import { migration0010PathLifecycle } from './0010-path-lifecycle.ts';
import { migration0011KycOutbox } from './0011-kyc-outbox.ts';
import { migration0012PlannedContacts } from './0012-planned-contacts.ts';
import { migration0013SyncApply } from './0013-sync-apply.ts';
import { migration0014Residency } from './0014-residency.ts';
import { migration0015SyncStatus } from './0015-sync-status.ts';
import { migration0016ConflictResolutions } from './0016-conflict-resolutions.ts';

export const MIGRATIONS: readonly Migration[] = [
  migration0001Audit,
  migration0002Workstation,
  migration0003SavedViews,
  migration0004RefusalCounts,
  migration0005DueCounts,
  migration0006MetaApprovals,
  migration0007LeadSourceIds,
  migration0008Monitoring,
  migration0009Sync,
  migration0010PathLifecycle,
  migration0011KycOutbox,
  migration0012PlannedContacts,
  migration0013SyncApply,
  migration0014Residency,
  migration0015SyncStatus,
  migration0016ConflictResolutions,
];
