// Case ids (decisions 0263 and 0265). A review case's id is derived, never chosen: from the entry that opens it, so the
// writer, the projector, a rebuild, another device and a verifier all arrive at the same id without the entry stating
// it. Since decision 0265 an id names the log it was born in (`C-<log tag>-<sequence>`), so two devices that each take
// in leads offline never open the same id; entries written before keep the ids they had (`C-<sequence>`).
import { portableSha256 } from '../shared/sha256.ts';

/** The lead.intake payload version from which its case ids name the log (decision 0265); version 2 ids do not. */
export const LEAD_INTAKE_PAYLOAD_VERSION = 3 as const;

// Crockford's base32: digits and letters without I, L, O and U, so a tag read aloud or typed back is unambiguous.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in a log tag: 25 bits of the log id's SHA-256. */
export const LOG_TAG_LENGTH = 5;

const tags = new Map<string, string>();

/** The short tag of a log (its id, as every entry names it): five Crockford base32 characters, e.g. `7KQ2M`. */
export const logTag = (logId: string): string => {
  const known = tags.get(logId);
  if (known !== undefined) return known;
  const digest = portableSha256(new TextEncoder().encode(logId));
  let bits = 0;
  let value = 0;
  let tag = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && tag.length < LOG_TAG_LENGTH) {
      tag += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (tag.length === LOG_TAG_LENGTH) break;
  }
  tags.set(logId, tag);
  return tag;
};

/** The id of the case an entry of this log at this sequence opens: `C-<log tag>-<sequence>`. */
export const caseIdOf = (logId: string, sequence: number | string): string => `C-${logTag(logId)}-${sequence}`;

/**
 * Path by path (null: the path opens no case), for a lead.intake entry: the entry's first case is its base id, more
 * are `<base>-2`, `-3`, …. The base names the log for a version 3 payload (`C-<log tag>-<sequence>`); a version 2
 * payload (written before decision 0265) keeps `C-<sequence>`, so old logs rebuild to the ids they always had.
 */
export const intakeCaseIds = (
  entry: { readonly log: string; readonly sequence: number | string; readonly pv: unknown },
  paths: readonly { readonly case?: unknown }[],
): (string | null)[] => {
  const base =
    entry.pv === LEAD_INTAKE_PAYLOAD_VERSION ? caseIdOf(entry.log, entry.sequence) : `C-${String(entry.sequence)}`;
  let opened = 0;
  return paths.map((path) => {
    if (path.case === null || path.case === undefined) return null;
    opened += 1;
    return opened === 1 ? base : `${base}-${opened}`;
  });
};
