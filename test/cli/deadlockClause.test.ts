// Why this test? Every violation in --json names the clause that failed, so that a CI job can say
// why without reading the trace; a deadlock is no property's verdict, so the explorer names none,
// and the JSON must say who is stuck and on what.
import { describe, expect, it } from 'vitest';
import { runHere } from './helpers.js';

describe('a deadlock in --json', () => {
  it('check: the deadlock violation has a clause naming the stuck process and its wait', async () => {
    const r = await runHere(['check', '--design', 'gntdev-2019', '--config', 'gpu', '--property', 'deadlock', '--json', '--quiet']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { violations: { property: string; kind: string; clause?: string }[] };
    const v = j.violations.find((x) => x.kind === 'deadlock')!;
    expect(v.property).toBe('deadlock');
    expect(v.clause).toBe('no action is enabled while process 0 has not exited: mmu_notifier_release(p=0): gnttab_unmap_refs_sync waits for page_count <= 1 on map 0 [0, 2): referenced by gpu holder 0');
  });

  it('simulate: the same clause', async () => {
    const r = await runHere(['simulate', '--design', 'gntdev-2019', '--config', 'gpu', '--property', 'deadlock', '--seed', '1', '--json', '--quiet']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { violations: { kind: string; clause?: string }[] };
    expect(j.violations[0]!.kind).toBe('deadlock');
    expect(j.violations[0]!.clause).toMatch(/^no action is enabled while process 0 has not exited: \w+\(p=0\): gnttab_unmap_refs_sync waits for page_count <= 1/);
  });
});
