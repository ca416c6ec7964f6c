// Reads a policy bundle file (YAML or JSON) and validates it; every problem names the file, path and line.
import { readFile } from 'node:fs/promises';
import { parsePolicyText } from '../../../core/policy/parse.ts';
import type { LoadedPolicy, LocatedPolicyIssue } from '../../../core/policy/parse.ts';
import { err } from '../../../core/shared/result.ts';
import type { Result } from '../../../core/shared/result.ts';
import { nodeSha256 } from '../audit/node-sha256.ts';

export type PolicyFileProblem =
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly file: string; readonly issues: readonly LocatedPolicyIssue[] };

export const loadPolicyFile = async (file: string): Promise<Result<LoadedPolicy, PolicyFileProblem>> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return err({ kind: 'unreadable', file, message: error instanceof Error ? error.message : String(error) });
  }
  const parsed = parsePolicyText(text, nodeSha256);
  return parsed.ok ? parsed : err({ kind: 'invalid', file, issues: parsed.error });
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
