// The triage screen: queues on the left, the case list in the middle, the selected case on the right.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ReactElement } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { may } from '../../app/labels.ts';
import { BulkBar } from '../bulk/BulkBar.tsx';
import { BulkDecision } from '../bulk/BulkDecision.tsx';
import { useBulk } from '../bulk/bulk-store.ts';
import { useCase } from '../case/case-store.ts';
import { CaseView } from '../case/CaseView.tsx';
import { useTriageKeys } from '../triage/use-triage-keys.ts';
import { CaseTable } from './CaseTable.tsx';
import { Pager } from './Pager.tsx';
import { QueueFilters } from './QueueFilters.tsx';
import { QueueNav } from './QueueNav.tsx';
import { useQueues } from './queue-store.ts';
import { MetaApprovals } from '../approvals/MetaApprovals.tsx';
import { useApprovals } from '../approvals/approvals-store.ts';

export const QueueScreen = ({ user }: { user: UserDto }): ReactElement => {
  const { selectedId, rows, error, load, loadCounts, advanceAfter, queue } = useQueues();
  const mayManage = may(user, 'user.manage');
  const loadApprovals = useApprovals((state) => state.load);
  const openCase = useCase((state) => state.open);
  const prefetch = useCase((state) => state.prefetch);
  const shownId = useCase((state) => state.detail?.case.id ?? null);
  const bulkOpen = useBulk((state) => state.formOpen);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void load();
    void loadCounts();
    // Operations admins: the meta-actions awaiting their approval count in "Awaiting my approval" (decision 0161).
    if (mayManage) void loadApprovals();
  }, [load, loadCounts, loadApprovals, mayManage]);
  useEffect(() => {
    void openCase(selectedId);
  }, [selectedId, openCase]);
  // Once a case is on screen, fetch the one auto-advance opens after it, so a decision shows the next case at once.
  const nextId = useMemo(() => {
    const index = rows.findIndex((row) => row.id === shownId);
    return index === -1 ? null : (rows[index + 1]?.id ?? null);
  }, [rows, shownId]);
  useEffect(() => {
    if (nextId !== null && shownId === selectedId) void prefetch(nextId);
  }, [nextId, shownId, selectedId, prefetch]);

  const onDecided = useCallback(
    (caseId: string) => {
      // Leave the text box so j / k and the disposition keys work on the next case straight away.
      listRef.current?.focus();
      void advanceAfter(caseId);
    },
    [advanceAfter],
  );
  const onChanged = useCallback(() => {
    void load();
    void loadCounts();
  }, [load, loadCounts]);
  const refs = useMemo(
    () => ({ reason: reasonRef, search: () => document.getElementById('filter-search')?.focus() }),
    [],
  );
  useTriageKeys(user, refs, onDecided);

  return (
    <main className="triage" aria-label="Triage">
      <QueueNav />
      <section className="case-list" aria-label="Case list">
        {queue === 'awaiting_mine' && mayManage && <MetaApprovals />}
        <QueueFilters />
        <BulkBar mayDecide={may(user, 'case.decide')} />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="list-focus" ref={listRef} tabIndex={-1}>
          <CaseTable />
        </div>
        <Pager />
      </section>
      {bulkOpen ? (
        <BulkDecision onDone={() => listRef.current?.focus()} />
      ) : (
        <CaseView ref={reasonRef} user={user} onDecided={onDecided} onChanged={onChanged} />
      )}
    </main>
  );
};
