// The keyboard help ("?"): every triage shortcut in one place, and those of My leads and the path timeline.
import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { DISPOSITION } from '../../app/labels.ts';
import { useView } from '../../app/view-store.ts';

const GENERAL: readonly [string, string][] = [
  ['j', 'next case in the queue'],
  ['k', 'previous case in the queue'],
  ['h', 'show a screening case’s hit side by side with the screened party (an audited read)'],
  ['Enter', 'record the chosen disposition (the reason is required)'],
  ['x', 'select or unselect the current case for a bulk decision (Shift+click a checkbox selects a range)'],
  ['/', 'search the queue'],
  ['?', 'show or hide this help'],
  ['Esc', 'leave a text field, or close this help'],
];

// My leads and a product path's timeline (issue 14).
const PATHS: readonly [string, string][] = [
  ['j / k', 'next / previous path in My leads'],
  ['o', 'record outreach (channel, direction, what was said, disclosures sent, the basis)'],
  ['a', 'advance the path to its next stage (a refusal says which rule and what unblocks it)'],
  ['w', 'win a path at Proposal'],
  ['r', 'record the client’s request (cooling-off runs from it)'],
  ['c', 'mark a product checklist step done'],
  ['p', 'plan a contact (channel, time): warned if it would fall outside the outreach window or be refused'],
  ['g', 'reassign the path to a licensed rep (supervisors; who may not take it, and why, is listed)'],
  ['e', 'end the path: lost or closed, with the reason'],
];

export const HelpDialog = (): ReactElement | null => {
  const { helpOpen, setHelpOpen } = useView();
  const closeRef = useRef<HTMLButtonElement>(null);
  // Focus moves into the dialog and, when it closes, back to where it was.
  useEffect(() => {
    if (!helpOpen) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    return () => before?.focus();
  }, [helpOpen]);
  if (!helpOpen) return null;
  return (
    <div className="overlay">
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        className="dialog"
        onKeyDown={(event) => {
          if (event.key === 'Escape' || event.key === '?') {
            event.preventDefault();
            event.stopPropagation();
            setHelpOpen(false);
          }
          // The close button is the dialog's only control: Tab stays on it while the dialog is open.
          if (event.key === 'Tab') event.preventDefault();
        }}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="data">
          <caption>Moving and deciding</caption>
          <tbody>
            {GENERAL.map(([key, what]) => (
              <tr key={key}>
                <th scope="row">
                  <kbd>{key}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="data">
          <caption>Dispositions (only those the case type allows are offered)</caption>
          <tbody>
            {Object.values(DISPOSITION).map(({ key, label }) => (
              <tr key={key}>
                <th scope="row">
                  <kbd>{key}</kbd>
                </th>
                <td>{label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">After a decision the next case in the queue opens by itself.</p>
        <table className="data">
          <caption>My leads and the path timeline</caption>
          <tbody>
            {PATHS.map(([key, what]) => (
              <tr key={key}>
                <th scope="row">
                  <kbd>{key}</kbd>
                </th>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" ref={closeRef} className="primary" onClick={() => setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
};
