// The ids of the review cases a lead.intake entry opens (decision 0263): derived from the entry, so the writer, the
// projector, a rebuild and a verifier all arrive at the same ids without the entry stating them.

/**
 * Path by path (null: the path opens no case): `C-<sequence>` for the entry's first case, `C-<sequence>-2`, `-3`, …
 * for more. A lead with one refusal keeps the short id older entries gave (`C-<sequence of its case.opened>`).
 */
export const intakeCaseIds = (sequence: number, paths: readonly { readonly case?: unknown }[]): (string | null)[] => {
  let opened = 0;
  return paths.map((path) => {
    if (path.case === null || path.case === undefined) return null;
    opened += 1;
    return opened === 1 ? `C-${sequence}` : `C-${sequence}-${opened}`;
  });
};
