// docs/kyc-connector.md stays true: its worked examples carry real signatures (recomputed here with the
// `standardwebhooks` package from the page's own secret, ids, times and bodies), and their bodies are valid events.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { KycCallbackSchema, KycInitiationEventSchema, KycResultFileSchema } from '../../../core/kyc/event.ts';
import { canonicalJson } from '../../../core/shared/canonical-json.ts';

const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'kyc-connector.md'), 'utf8');
const secret = /the example secret `(whsec_[A-Za-z0-9+/=]+)`/.exec(doc)![1]!;
const requests = [...doc.matchAll(/```http\n([\s\S]*?)```/g)].map((match) => {
  const [head, body] = match[1]!.split('\n\n');
  const headers = Object.fromEntries(
    head!
      .split('\n')
      .slice(1)
      .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { headers, body: body!.trim() };
});

describe('docs/kyc-connector.md', () => {
  it('shows an initiation and a callback whose signatures the package computes from the page', () => {
    expect(requests).toHaveLength(2);
    for (const { headers, body } of requests) {
      const at = new Date(Number(headers['webhook-timestamp']) * 1000);
      expect(new Webhook(secret).sign(headers['webhook-id']!, at, body)).toBe(headers['webhook-signature']);
    }
    const initiation = KycInitiationEventSchema.parse(JSON.parse(requests[0]!.body));
    expect(requests[0]!.headers['webhook-id']).toBe(initiation.data.eventId);
    // Delivered bytes are the canonical JSON of the event.
    expect(canonicalJson(initiation)).toBe(requests[0]!.body);
    const callback = KycCallbackSchema.parse(JSON.parse(requests[1]!.body));
    expect(callback.data.eventId).toBe(initiation.data.eventId);
  });

  it('shows a result file that validates, and the error its status field would give', () => {
    const file = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(KycResultFileSchema.safeParse(JSON.parse(file)).success).toBe(true);
    const bad = KycResultFileSchema.safeParse({
      ...JSON.parse(file),
      results: [{ ...JSON.parse(file).results[0], status: 'approved' }],
    });
    expect(bad.success).toBe(false);
    expect(doc).toContain(`status: ${bad.error!.issues[0]!.message}`);
  });
});
