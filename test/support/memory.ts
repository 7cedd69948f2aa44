import { readFile, writeFile } from 'node:fs/promises';

/** VmRSS and VmHWM (peak RSS) of a process, in bytes, from /proc/<pid>/status. */
export async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** Resets a process's VmHWM to its current RSS (Linux ≥ 4.0); false where that is not permitted. */
export async function resetPeakMemory(pid: number): Promise<boolean> {
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
}

/** Samples VmRSS every `everyMs` until stopped; `stop()` returns the highest value seen. */
export function sampleRss(pid: number, everyMs = 25): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rss } = await memoryOf(pid).catch(() => ({ rss: 0 }));
      peak = Math.max(peak, rss);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
