import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { generatePolicy } from '/work/main/test/fixtures/generate-leads.ts';
import { benchLeads } from '/work/main/test/fixtures/store.ts';
import { parsePolicyText } from '/work/main/core/policy/parse.ts';
import { compilePolicy } from '/work/main/core/routing/compile.ts';
import { routeLead, emptyRoutingState } from '/work/main/core/routing/route.ts';
import { auditTraceOf } from '/work/main/core/routing/audit-trace.ts';
const loaded = parsePolicyText(stringify(generatePolicy(42), { aliasDuplicateObjects: false }));
if (!loaded.ok) throw new Error('x');
const policy = compilePolicy(loaded.value.policy, loaded.value.version);
const leads = benchLeads(50);
for (const lead of leads.slice(0, 50)) {
  const { decisions } = routeLead(policy, { ...lead, screening: { screenedAt: '2026-11-20T09:00:00Z', hits: [] } } as any, emptyRoutingState, '2026-11-23T10:00:00Z');
  for (const d of decisions) {
    if (d.outcome.kind !== 'assigned') continue;
    const t = JSON.stringify(auditTraceOf(d));
    console.log(t.length);
    const parts = Object.entries(auditTraceOf(d) as Record<string, unknown>).map(([k, v]) => `${k}=${JSON.stringify(v).length}`);
    console.log(parts.join(' '));
    console.log(t.slice(0, 3000));
    process.exit(0);
  }
}
