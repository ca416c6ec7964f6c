// Reads a policy bundle file (YAML or JSON) and validates it; every problem names the file, path and line.
import { parsePolicyText } from '../../../core/policy/parse.ts';
import type { LoadedPolicy, LocatedPolicyIssue } from '../../../core/policy/parse.ts';
import { err, ok } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';
import { readUtf8File } from '../files/read-utf8-file.ts';

export type PolicyFileProblem =
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly file: string; readonly issues: readonly LocatedPolicyIssue[] };

/** The validated bundle and the exact text it was read from (what a workstation publishes). */
export type LoadedPolicyFile = LoadedPolicy & { readonly text: string };

export const loadPolicyFile = async (file: string): Promise<Result<LoadedPolicyFile, PolicyFileProblem>> => {
  const text = await readUtf8File(file);
  if (!text.ok)
    return text.error.kind === 'unreadable'
      ? err({ kind: 'unreadable', file, message: text.error.message })
      : // Not UTF-8 is a file read and judged wrong, like a syntax error: refused with its line, never repaired.
        err({
          kind: 'invalid',
          file,
          issues: [{ path: '', message: text.error.message, line: text.error.line, column: text.error.column }],
        });
  const parsed = parsePolicyText(text.value, nodeSha256);
  return parsed.ok ? ok({ ...parsed.value, text: text.value }) : err({ kind: 'invalid', file, issues: parsed.error });
};

/** One line per issue: `FILE:LINE:COLUMN: PATH: message`, the form editors and CI annotate. */
export const formatPolicyProblem = (problem: PolicyFileProblem): string =>
  problem.kind === 'unreadable'
    ? `${problem.file}: cannot read the policy: ${problem.message}`
    : problem.issues
        .map((issue) => {
          const where = issue.line === undefined ? problem.file : `${problem.file}:${issue.line}:${issue.column ?? 1}`;
          return `${where}: ${issue.path === '' ? '(document)' : issue.path}: ${issue.message}`;
        })
        .join('\n');
