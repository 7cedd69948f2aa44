/**
 * The end of one PostgreSQL run's log output (its stderr), kept so that a failed start can be
 * explained with PostgreSQL's own words rather than a guess.
 */
export class PostgresLogTail {
  #text = '';

  append(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-MAX_CHARS);
  }

  lines(): string[] {
    return this.#text
      .split('\n')
      .map((l) => l.replace(PREFIX, '').trimEnd())
      .filter((l) => l.length > 0);
  }

  /** The last FATAL or PANIC line with the few lines before it and its DETAIL/HINT lines; undefined if there is none. */
  failure(): string[] | undefined {
    const lines = this.lines();
    const last = lines.findLastIndex((l) => FATAL.test(l));
    if (last < 0) return undefined;
    let end = last + 1;
    while (end < lines.length && FOLLOW_UP.test(lines[end]!)) end++;
    // The lines just before often say what the FATAL one sums up ("could not bind … Address already in use").
    return lines.slice(Math.max(0, last - CONTEXT_LINES), end);
  }
}

const MAX_CHARS = 64 * 1024;
// The default log_line_prefix ('%m [%p] '): a timestamp with its zone and the pid.
const PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \S+ \[\d+\] /;
const FATAL = /^(FATAL|PANIC):/;
const FOLLOW_UP = /^(DETAIL|HINT):/;
const CONTEXT_LINES = 3;

/** PostgreSQL refused to start only because the previous server on the folder has not quite gone yet. */
export function isPreviousServerRefusal(lines: readonly string[]): boolean {
  return lines.some((l) => /^FATAL:.*(lock file ".*postmaster\.pid" already exists|pre-existing shared memory block .* is still in use)/.test(l));
}
