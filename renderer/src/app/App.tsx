// The application shell: the unlock screen until someone signs in, then the header, navigation and current screen.
import type { ReactElement } from 'react';
import { ImportScreen } from '../features/import/ImportScreen.tsx';
import { NotificationsScreen } from '../features/notifications/NotificationsScreen.tsx';
import { LeadScreen } from '../features/lead/LeadScreen.tsx';
import { UsersScreen } from '../features/users/UsersScreen.tsx';
import { ListsScreen } from '../features/lists/ListsScreen.tsx';
import { AllowListScreen } from '../features/lists/AllowListScreen.tsx';
import { KycOutboxScreen } from '../features/kyc/KycOutboxScreen.tsx';
import { SyncScreen } from '../features/sync/SyncScreen.tsx';
import { SyncIndicator } from '../features/sync/SyncIndicator.tsx';
import { useSync } from '../features/sync/sync-store.ts';
import { useLists } from '../features/lists/lists-store.ts';
import { useUsers } from '../features/users/users-store.ts';
import { AuditScreen } from '../features/audit/AuditScreen.tsx';
import { useAudit } from '../features/audit/audit-store.ts';
import { DashboardScreen } from '../features/dashboard/DashboardScreen.tsx';
import { LicensingScreen } from '../features/licensing/LicensingScreen.tsx';
import { useLicensing } from '../features/licensing/licensing-store.ts';
import { VerifierScreen } from '../features/verifier/VerifierScreen.tsx';
import { mayUseVerifier } from '../features/verifier/verifier-view.ts';
import { useCase } from '../features/case/case-store.ts';
import { useBulk } from '../features/bulk/bulk-store.ts';
import { useViews } from '../features/views/views-store.ts';
import { QueueScreen } from '../features/queues/QueueScreen.tsx';
import { useQueues } from '../features/queues/queue-store.ts';
import { useApprovals } from '../features/approvals/approvals-store.ts';
import { useSession } from '../features/session/session-store.ts';
import { UnlockScreen } from '../features/session/UnlockScreen.tsx';
import { DeviceKeychainMenu } from '../features/session/DeviceKeychainMenu.tsx';
import { PassphraseButton } from '../features/session/PassphraseDialog.tsx';
import { HelpDialog } from '../features/triage/HelpDialog.tsx';
import { MyLeadsScreen } from '../features/paths/MyLeadsScreen.tsx';
import { HeldScreen } from '../features/paths/HeldScreen.tsx';
import { ROLE_LABEL, may } from './labels.ts';
import { useView } from './view-store.ts';
import type { Screen } from './view-store.ts';

export const App = (): ReactElement => {
  const { user, lock } = useSession();
  const { screen, show, setHelpOpen } = useView();
  if (user === null) return <UnlockScreen />;

  const signOut = (switchUser: boolean): void => {
    // Nothing of the previous user's view survives a lock.
    useQueues.getState().reset();
    useCase.getState().clear();
    useAudit.getState().reset();
    useBulk.getState().reset();
    useViews.getState().reset();
    useLicensing.getState().reset();
    useUsers.getState().reset();
    useApprovals.getState().reset();
    useLists.getState().reset();
    useSync.getState().reset();
    // The lock clears the user at once (the host is told meanwhile), so the next sign-in starts on the queues and no
    // screen of the old session is mounted while the lock is in flight.
    show('queues');
    void lock({ switchUser });
  };
  const screens: { id: Screen; label: string; allowed: boolean }[] = [
    { id: 'queues', label: 'Queues', allowed: may(user, 'case.read') },
    { id: 'my-leads', label: 'My leads', allowed: may(user, 'path.work') },
    { id: 'import', label: 'Import leads', allowed: may(user, 'lead.create') },
    { id: 'lead', label: 'Lead', allowed: may(user, 'lead.erase') },
    { id: 'notifications', label: 'Notifications', allowed: may(user, 'notifications.read') },
    { id: 'dashboard', label: 'Dashboard', allowed: may(user, 'case.read') },
    { id: 'audit', label: 'Audit log', allowed: may(user, 'audit.read') },
    { id: 'verifier', label: 'Verify exports', allowed: mayUseVerifier(user) },
    { id: 'licensing', label: 'Licensing map', allowed: may(user, 'case.read') || may(user, 'policy.publish') },
    { id: 'users', label: 'Users', allowed: may(user, 'user.manage') },
    { id: 'lists', label: 'Lists', allowed: may(user, 'lists.import') },
    { id: 'allow-list', label: 'Allow-list', allowed: may(user, 'case.decide') },
    // The product-path lifecycle (issue 14): supervisors look at a rep's list; held and waiting paths.
    { id: 'my-leads', label: 'Reps’ leads', allowed: !may(user, 'path.work') && may(user, 'path.supervise') },
    {
      id: 'held',
      label: 'Held and waiting',
      allowed: may(user, 'path.supervise') || may(user, 'lead.update_facts'),
    },
    { id: 'kyc-outbox', label: 'KYC outbox', allowed: may(user, 'kyc.operate') },
    // Every active user sees the sync status and may sync (decision 0224); enrolment is for operations admins.
    { id: 'sync', label: 'Sync', allowed: true },
  ];
  const visible = screens.filter((entry) => entry.allowed);
  const current = visible.some((entry) => entry.id === screen) ? screen : (visible[0]?.id ?? null);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Perimeter</span>
        <nav aria-label="Screens" className="screens">
          {visible.map((entry) => (
            <button
              key={entry.id}
              type="button"
              aria-current={current === entry.id ? 'page' : undefined}
              onClick={() => show(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </nav>
        <div className="who">
          <SyncIndicator />
          <span>
            Signed in as <strong>{user.name}</strong> ({user.id}) ·{' '}
            {user.roles.map((role) => ROLE_LABEL[role]).join(', ')} · markets {user.markets.join(', ')}
          </span>
          <DeviceKeychainMenu />
          <PassphraseButton />
          <button type="button" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            Shortcuts
          </button>
          <button type="button" onClick={() => signOut(true)}>
            Switch user
          </button>
          <button type="button" onClick={() => signOut(false)}>
            Lock
          </button>
        </div>
      </header>
      {current === 'queues' && <QueueScreen user={user} />}
      {current === 'import' && (
        <ImportScreen
          onImported={() => {
            void useQueues.getState().loadCounts();
          }}
        />
      )}
      {current === 'lead' && <LeadScreen user={user} />}
      {current === 'notifications' && <NotificationsScreen />}
      {current === 'dashboard' && <DashboardScreen />}
      {current === 'audit' && <AuditScreen />}
      {current === 'verifier' && <VerifierScreen />}
      {current === 'licensing' && <LicensingScreen />}
      {current === 'users' && <UsersScreen />}
      {current === 'lists' && <ListsScreen />}
      {current === 'allow-list' && <AllowListScreen />}
      {current === 'my-leads' && <MyLeadsScreen user={user} />}
      {current === 'held' && <HeldScreen user={user} />}
      {current === 'kyc-outbox' && <KycOutboxScreen />}
      {current === 'sync' && <SyncScreen user={user} />}
      {current === null && (
        <main className="page">
          <p>Your roles give you no screens on this workstation.</p>
        </main>
      )}
      <HelpDialog />
    </div>
  );
};
