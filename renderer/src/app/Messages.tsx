// A screen's live region: the last notice (polite status) and error (alert), announced to screen readers.
import type { ReactElement, ReactNode } from 'react';

export const Messages = (props: {
  readonly notice: ReactNode;
  readonly error: string | null;
  readonly className?: string;
}): ReactElement => (
  <div className={props.className} aria-live="polite">
    {props.notice !== null && props.notice !== undefined && props.notice !== false && props.notice !== '' && (
      <p className="notice" role="status">
        {props.notice}
      </p>
    )}
    {props.error && (
      <p className="error" role="alert">
        {props.error}
      </p>
    )}
  </div>
);
