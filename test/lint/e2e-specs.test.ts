// Every end-to-end spec runs on a browser host of its own (decision 0101): a spec that forgets to ask for one would
// fail only when run, and would tempt the next person to lean on another spec's host again.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const e2eDir = join(import.meta.dirname, '..', 'e2e');

describe('end-to-end specs', () => {
  const specs = readdirSync(e2eDir).filter((name) => name.endsWith('.spec.ts'));

  it('are found', () => {
    expect(specs.length).toBeGreaterThan(10);
  });

  it('each start a fresh workstation of their own with useFreshWorkstation(), or a host of their own', () => {
    // A spec that needs another setup (conduct.spec.ts: real time, the KYC connector; decision 0234) starts its own
    // host process from test/e2e/support/*-host.ts, fresh for it alone; one that needs its own fixture first
    // (conflict.spec.ts: a conflict applied from another device's entries) starts the host on it with startHost().
    const without = specs.filter((name) => {
      const text = readFileSync(join(e2eDir, name), 'utf8');
      return (
        !/^useFreshWorkstation\(\);$/m.test(text) &&
        !/runUntilWritten\('[a-z-]+-host\.ts'/.test(text) &&
        !/= await startHost\(/.test(text)
      );
    });
    expect(without).toEqual([]);
  });

  it('carry no ordering prefix: any spec may run first', () => {
    expect(specs.filter((name) => /^z+-/.test(name))).toEqual([]);
  });
});
