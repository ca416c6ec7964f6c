// The region's devices on the Sync screen (decision 0273): for an operations admin of a workstation the hub's admin
// made an operations device. Lists the devices with their key fingerprints, approves a pending one (the markets it
// asked for) and revokes one (after a second click). Every action runs at the hub in the background; the service layer
// checks the permission and the hub checks the capability, this screen only follows.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../core/api/contract.ts';
import { call } from '../../api/client.ts';
import { formatTime } from '../../app/labels.ts';

type Roster = ApiResponse<'sync.devices'>;

const POLL_MS = 400;

const STATUS_LABEL = { pending: 'Awaiting approval', approved: 'Approved', revoked: 'Revoked' } as const;

export const RegionDevices = ({ ownDeviceId }: { readonly ownDeviceId: string | null }): ReactElement => {
  const [roster, setRoster] = useState<Roster | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const follow = useCallback((next: Roster): void => {
    setRoster(next);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    if (next.running !== null)
      timer.current = setTimeout(() => {
        void call('sync.devices', {}).then((reply) => {
          if (reply.ok) follow(reply.value);
          else setError(reply.error.message);
        });
      }, POLL_MS);
  }, []);

  const run = useCallback(
    async (
      action:
        | { method: 'sync.devices'; request: { refresh: true } }
        | { method: 'sync.approveDevice'; request: { deviceId: string } }
        | { method: 'sync.revokeDevice'; request: { deviceId: string } },
    ): Promise<void> => {
      setConfirming(null);
      const reply =
        action.method === 'sync.devices'
          ? await call('sync.devices', action.request)
          : action.method === 'sync.approveDevice'
            ? await call('sync.approveDevice', action.request)
            : await call('sync.revokeDevice', action.request);
      if (reply.ok) {
        setError(null);
        follow(reply.value);
      } else setError(reply.error.message);
    },
    [follow],
  );

  useEffect(() => {
    void run({ method: 'sync.devices', request: { refresh: true } });
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [run]);

  const busy = roster?.running ?? null;
  return (
    <section aria-labelledby="region-devices-title" className="sync-panel region-devices">
      <h2 id="region-devices-title">Devices of the region</h2>
      <p className="muted">
        This workstation manages the region’s devices through the hub, signed with its own device key. Compare a new
        device’s fingerprint with the one its operations admin reads to you before approving it. Revocation is final.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {roster?.lastOutcome && busy === null && (
        <p role="status" className={roster.lastOutcome.ok ? 'sync-outcome-ok' : 'error'}>
          {roster.lastOutcome.ok ? '' : 'Refused: '}
          {roster.lastOutcome.message} ({formatTime(roster.lastOutcome.at)})
        </p>
      )}
      {busy !== null && <p role="status">{busy === 'list' ? 'Asking the hub…' : 'Sending to the hub…'}</p>}
      {roster !== null && roster.devices.length > 0 && (
        <table className="data region-devices-table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Fingerprint</th>
              <th scope="col">Status</th>
              <th scope="col">Markets served</th>
              <th scope="col">Markets asked</th>
              <th scope="col">Decided</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {roster.devices.map((device) => (
              <tr key={device.deviceId} aria-label={`Device ${device.deviceId}`}>
                <td>
                  <code>{device.deviceId}</code>
                  {device.deviceId === ownDeviceId ? ' (this workstation)' : ''}
                  {device.operations ? ' · operations' : ''}
                </td>
                <td>
                  <code>{device.fingerprint}</code>
                </td>
                <td>{STATUS_LABEL[device.status]}</td>
                <td>{device.markets.join(', ') || '—'}</td>
                <td>{device.requestedMarkets.join(', ') || '—'}</td>
                <td>
                  {device.decidedAt === null ? '—' : `${formatTime(device.decidedAt)} by ${device.decidedBy ?? '?'}`}
                </td>
                <td>
                  {device.status === 'pending' && (
                    <button
                      type="button"
                      disabled={busy !== null}
                      onClick={() => void run({ method: 'sync.approveDevice', request: { deviceId: device.deviceId } })}
                    >
                      Approve {device.deviceId}
                    </button>
                  )}{' '}
                  {device.status !== 'revoked' &&
                    device.deviceId !== ownDeviceId &&
                    (confirming === device.deviceId ? (
                      <button
                        type="button"
                        className="danger"
                        disabled={busy !== null}
                        onClick={() =>
                          void run({ method: 'sync.revokeDevice', request: { deviceId: device.deviceId } })
                        }
                      >
                        Confirm: revoke {device.deviceId} for good
                      </button>
                    ) : (
                      <button type="button" disabled={busy !== null} onClick={() => setConfirming(device.deviceId)}>
                        Revoke {device.deviceId}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button
          type="button"
          disabled={busy !== null}
          onClick={() => void run({ method: 'sync.devices', request: { refresh: true } })}
        >
          Refresh devices
        </button>
      </p>
    </section>
  );
};
