import { describe, expect, it } from 'vitest';
import { CompiledTransformation } from '../../src/transformations/sandbox.ts';

describe('a sandbox whose isolate ran out of memory', () => {
  it('reports running out of memory to every run, also one that comes after the isolate is gone', async () => {
    // Two attempts of one endpoint may hold the same compiled code; the second found the isolate
    // disposed by the first's out-of-memory and was reported as "released" (a flaky CI run).
    // Arrays of 4e6 elements (32 MB each) reach the 32 MiB limit in an allocation that the 200 ms
    // time limit cannot interrupt; arrays of 1e6 took 113-150 ms on an idle machine and timed out on a busy one.
    const compiled = await CompiledTransformation.compile('function handler(w) { const keep = []; for (;;) keep.push(new Array(4e6).fill(w.eventType)); }');
    const first = await compiled.run('{"eventType":"x"}');
    expect(first).toMatchObject({ ok: false, failure: { kind: 'memory' } });
    expect(compiled.usable).toBe(false);
    const second = await compiled.run('{"eventType":"x"}');
    expect(second).toMatchObject({ ok: false, failure: { kind: 'memory' } });
  });

  it('still says released for a sandbox the worker let go of', async () => {
    const compiled = await CompiledTransformation.compile('function handler(w) { return w; }');
    compiled.release();
    expect(await compiled.run('{}')).toEqual({ ok: false, failure: { kind: 'error', message: 'the sandbox was released' } });
  });
});
