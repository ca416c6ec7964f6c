// The Sync screen (issue 15, decisions 0258–0261): the workstation's regional hub, its standing there, the last sync,
// entries waiting to be pushed, received entries not applied yet, conflict cases, and "Sync now". An operations admin
// enrols a workstation that is not enrolled yet and reads the device key's fingerprint to the hub's admin.
import { useEffect, useState } from 'react';
import type { FormEvent, ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { formatTime, may } from '../../app/labels.ts';
import { DistributionSection } from '../distribution/DistributionSection.tsx';
import { RegionDevices } from './RegionDevices.tsx';
import { syncBadge, useSync } from './sync-store.ts';
import type { SyncStatus } from './sync-store.ts';

const STANDING_LABEL = {
  pending: 'pending: waiting for the hub’s operations admin to approve it',
  approved: 'approved',
  revoked: 'revoked by the hub: this workstation can no longer sync',
} as const;

type Attempt = NonNullable<SyncStatus['attempts']['push']>;
const attemptText = (attempt: Attempt | null): string =>
  attempt === null
    ? 'never'
    : `${formatTime(attempt.at)}: ${attempt.ok ? '' : attempt.reachedHub ? 'refused: ' : 'failed: '}${attempt.message}`;

const EnrolForm = (): ReactElement => {
  const enrol = useSync((state) => state.enrol);
  const running = useSync((state) => state.status?.running ?? null);
  const [hubUrl, setHubUrl] = useState('');
  const [region, setRegion] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void enrol({ hubUrl: hubUrl.trim(), region: region.trim() });
  };
  return (
    <form className="sync-enrol" aria-labelledby="sync-enrol-title" onSubmit={submit}>
      <h2 id="sync-enrol-title">Enrol this workstation</h2>
      <p className="muted">
        The workstation makes a device key, checks that the hub serves the region you name, and asks the hub to enrol
        it. It stays pinned to that region. Read the fingerprint shown afterwards to the hub’s operations admin, who
        approves the device at the hub.
      </p>
      <label>
        Hub URL{' '}
        <input
          type="url"
          required
          value={hubUrl}
          placeholder="https://hub.eu-west.example"
          onChange={(event) => setHubUrl(event.target.value)}
        />
      </label>{' '}
      <label>
        Region{' '}
        <input required value={region} placeholder="eu-west" onChange={(event) => setRegion(event.target.value)} />
      </label>{' '}
      <button type="submit" disabled={running !== null}>
        {running === 'enrol' ? 'Enrolling…' : 'Enrol'}
      </button>
    </form>
  );
};

export const SyncScreen = ({ user }: { readonly user: UserDto }): ReactElement => {
  const { status, error, load, syncNow } = useSync();
  useEffect(() => {
    void load();
  }, [load]);
  const badge = syncBadge(status);
  return (
    <main className="page sync-screen" aria-labelledby="sync-title">
      <h1 id="sync-title">Sync with the regional hub</h1>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {status !== null && status.lastOutcome !== null && status.running === null && (
        <p role="status" className={status.lastOutcome.ok ? 'sync-outcome-ok' : 'error'}>
          {status.lastOutcome.ok ? 'Last run: ' : 'Last run failed: '}
          {status.lastOutcome.message} ({formatTime(status.lastOutcome.at)})
        </p>
      )}
      {status !== null && !status.enrolled && (
        <>
          <p>
            <strong>Not enrolled.</strong> This workstation is not enrolled with a regional hub: nothing it records
            reaches the team until an operations admin enrols it.
          </p>
          {may(user, 'user.manage') ? <EnrolForm /> : <p className="muted">Ask an operations admin to enrol it.</p>}
        </>
      )}
      {status !== null && status.enrolled && (
        <>
          <section aria-labelledby="sync-state-title" className="sync-panel">
            <h2 id="sync-state-title">
              Status: <span className={`sync-word sync-${badge?.tone ?? 'muted'}`}>{badge?.label}</span>
            </h2>
            <dl className="facts">
              <dt>Region</dt>
              <dd>{status.region}</dd>
              <dt>Hub</dt>
              <dd>
                <code>{status.hubUrl}</code>
              </dd>
              <dt>Device</dt>
              <dd>
                <code>{status.deviceId}</code>
              </dd>
              <dt>Device key fingerprint</dt>
              <dd>
                <code aria-label="Device key fingerprint">{status.fingerprint}</code>
              </dd>
              <dt>Standing at the hub</dt>
              <dd>{status.standing === null ? 'unknown' : STANDING_LABEL[status.standing]}</dd>
              <dt>Last sync</dt>
              <dd>{status.lastSyncAt === null ? 'never' : formatTime(status.lastSyncAt)}</dd>
              <dt>Connection</dt>
              <dd>
                {status.online === null
                  ? 'not tried yet'
                  : status.online
                    ? 'the last attempt reached the hub'
                    : 'offline: the last attempt could not reach the hub'}
              </dd>
              <dt>Entries waiting to be pushed</dt>
              <dd aria-label="Entries waiting to be pushed">{status.pendingPush}</dd>
              <dt>Received, not applied yet</dt>
              <dd>{status.inboxPending}</dd>
              <dt>Conflict cases open</dt>
              <dd aria-label="Conflict cases open">{status.conflicts}</dd>
              <dt>Last push</dt>
              <dd>{attemptText(status.attempts.push)}</dd>
              <dt>Last pull</dt>
              <dd>{attemptText(status.attempts.pull)}</dd>
            </dl>
          </section>
          <p>
            <button
              type="button"
              className="primary"
              disabled={status.running !== null || status.standing === 'revoked'}
              onClick={() => void syncNow()}
            >
              {status.running === 'sync' ? 'Syncing…' : 'Sync now'}
            </button>{' '}
            <button type="button" onClick={() => void load()}>
              Refresh
            </button>
          </p>
          <p className="muted">
            Sync now checks the device’s standing at the hub, pushes this workstation’s audit log, then pulls the other
            devices’ entries of the region. Devices are approved and revoked at the hub, or by an operations admin of an
            operations device below.
          </p>
          <DistributionSection user={user} />
          {may(user, 'user.manage') && status.standing === 'approved' && (
            <RegionDevices ownDeviceId={status.deviceId} />
          )}
        </>
      )}
    </main>
  );
};
