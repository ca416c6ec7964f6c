// Keyboard-first triage: j / k move through the queue, one key per disposition, Enter confirms, ? opens the help,
// x selects the current case for a bulk decision.
import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { UserDto } from '../../../../core/api/contract.ts';
import { dispositionsFor } from '../../../../core/cases/case.ts';
import { DISPOSITION, may } from '../../app/labels.ts';
import { useView } from '../../app/view-store.ts';
import { useBulk } from '../bulk/bulk-store.ts';
import { useCase } from '../case/case-store.ts';
import { useHits } from '../case/hits-store.ts';
import { isScreeningCase } from '../../../../core/screening/case-hits.ts';
import { useQueues } from '../queues/queue-store.ts';

const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

const isActivatable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);

export const useTriageKeys = (
  user: UserDto,
  refs: { readonly reason: RefObject<HTMLTextAreaElement | null>; readonly search: () => void },
  onDecided: (caseId: string) => void,
): void => {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const view = useView.getState();
      if (view.helpOpen) return;
      if (isEditable(event.target)) {
        if (event.key === 'Escape') (event.target as HTMLElement).blur();
        return;
      }
      const key = event.key;
      if (key === '?') {
        event.preventDefault();
        view.setHelpOpen(true);
        return;
      }
      if (key === 'j' || key === 'k') {
        event.preventDefault();
        useQueues.getState().move(key === 'j' ? 1 : -1);
        return;
      }
      if (key === '/') {
        event.preventDefault();
        refs.search();
        return;
      }
      const bulk = useBulk.getState();
      // While the bulk form is open the case view is not shown: no key decides a case behind it.
      if (bulk.formOpen) return;
      if (key === 'x') {
        const current = useQueues.getState().selectedId;
        if (current !== null) {
          event.preventDefault();
          bulk.toggle(current);
        }
        return;
      }
      const caseState = useCase.getState();
      const kase = caseState.detail?.case;
      if (key === 'h' && kase && isScreeningCase(kase) && may(user, 'lead.read_personal')) {
        event.preventDefault();
        void useHits
          .getState()
          .show(kase.id)
          .then(() => document.getElementById('hits-title')?.scrollIntoView({ block: 'start' }));
        return;
      }
      if (!kase || !may(user, 'case.decide')) return;
      if (key === 'Enter' && !isActivatable(event.target)) {
        event.preventDefault();
        void caseState.decide().then((ok) => ok && onDecided(kase.id));
        return;
      }
      const disposition = dispositionsFor(kase.type).find((choice) => DISPOSITION[choice].key === key);
      if (disposition && kase.status !== 'closed' && kase.status !== 'awaiting_approval') {
        event.preventDefault();
        caseState.setDisposition(disposition);
        refs.reason.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [user, refs, onDecided]);
};
