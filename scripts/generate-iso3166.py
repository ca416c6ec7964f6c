#!/usr/bin/env python3
"""Regenerates core/policy/iso3166-data.ts from Debian's iso-codes package (apt-get install iso-codes)."""
import json

c1 = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
c2 = json.load(open('/usr/share/iso-codes/json/iso_3166-2.json'))['3166-2']
countries = sorted((c['alpha_2'], c['name']) for c in c1)
subs = sorted(s['code'] for s in c2)
lines = [
    "// ISO 3166-1 alpha-2 countries and ISO 3166-2 subdivision codes, generated from Debian's iso-codes data.",
    "// Regenerate with scripts/generate-iso3166.py; do not edit by hand.",
    "",
    "export const ISO_3166_1: ReadonlyMap<string, string> = new Map([",
]
lines += [f"  [{json.dumps(a)}, {json.dumps(n)}]," for a, n in countries]
lines += ["]);", "", "/** Every ISO 3166-2 subdivision code, space-separated to keep the file small. */",
          "export const ISO_3166_2: ReadonlySet<string> = new Set(", "  ["]
lines += [f"    {json.dumps(' '.join(subs[i:i + 12]))}," for i in range(0, len(subs), 12)]
lines += ["  ]", "    .join(' ')", "    .split(' '),", ");"]
open('core/policy/iso3166-data.ts', 'w').write('\n'.join(lines) + '\n')
