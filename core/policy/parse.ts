// Reads a policy bundle from YAML or JSON text: syntax, schema and semantics, every problem with its path and line.
import { LineCounter, parseDocument, isNode, visit } from 'yaml';
import type { Document } from 'yaml';
import { err, ok } from '../shared/result.ts';
import type { Result } from '../shared/result.ts';
import { PolicyBundleSchema } from './schema.ts';
import type { PolicyBundle } from './schema.ts';
import { validatePolicySemantics } from './validate.ts';
import type { PolicyPath } from './validate.ts';
import { ruleVersionOf } from './version.ts';
import type { RuleVersion } from './version.ts';
import type { Sha256 } from '../shared/sha256.ts';

export type LocatedPolicyIssue = {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
};
export type LoadedPolicy = { readonly policy: PolicyBundle; readonly version: RuleVersion };

/** How many alias expansions a bundle may make: a real policy needs a few; a "billion laughs" needs millions. */
export const MAX_ALIAS_COUNT = 100;

const aliasProblem = (document: Document, lineCounter: LineCounter, error: unknown): LocatedPolicyIssue => {
  let first: number | undefined;
  visit(document, {
    Alias: (_key, node) => {
      if (node.range) first = node.range[0];
      return visit.BREAK;
    },
  });
  const position = first === undefined ? undefined : lineCounter.linePos(first);
  const detail = error instanceof Error ? error.message : String(error);
  return {
    path: '',
    message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions; first alias here): ${detail}`,
    ...(position ? { line: position.line, column: position.col } : {}),
  };
};

/** Parses and validates a bundle. JSON is read by the YAML 1.2 parser too, so both formats get line numbers. */
export const parsePolicyText = (text: string, hash?: Sha256): Result<LoadedPolicy, LocatedPolicyIssue[]> => {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return err(
      document.errors.map((error) => {
        const position = lineCounter.linePos(error.pos[0]);
        return {
          path: '',
          message: error.message.split('\n')[0] ?? error.message,
          line: position.line,
          column: position.col,
        };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package refuses a document whose aliases expand past the limit (an "alias bomb") by throwing.
    return err([aliasProblem(document, lineCounter, error)]);
  }
  const parsed = PolicyBundleSchema.safeParse(raw);
  if (!parsed.success) {
    return err(
      parsed.error.issues.map((issue) => locate(document, lineCounter, issue.path as PolicyPath, issue.message)),
    );
  }
  const semantic = validatePolicySemantics(parsed.data);
  if (semantic.length > 0)
    return err(semantic.map((issue) => locate(document, lineCounter, issue.path, issue.message)));
  return ok({ policy: parsed.data, version: ruleVersionOf(parsed.data, hash) });
};

export const formatPolicyPath = (path: PolicyPath): string =>
  path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? part : `${text}.${part}`),
    '',
  );

const locate = (
  document: Document,
  lineCounter: LineCounter,
  path: PolicyPath,
  message: string,
): LocatedPolicyIssue => {
  // Walk up the path until a node exists (a missing key is reported at its parent).
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const position = lineCounter.linePos(node.range[0]);
      return { path: formatPolicyPath(path), message, line: position.line, column: position.col };
    }
  }
  return { path: formatPolicyPath(path), message };
};
