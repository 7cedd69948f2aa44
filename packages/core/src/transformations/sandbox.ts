import ivm from 'isolated-vm';

// Runs a transformation's code in a V8 isolate (isolated-vm): its own heap, no Node globals, no
// I/O, no host object reachable (only strings cross the boundary). Chosen over quickjs-emscripten
// by measurement (docs/adr/0003-transformation-sandbox.md): QuickJS's memory limit let a memory
// bomb grow the shared WebAssembly heap to 2 GB, and it runs on the event loop's thread.

/** Limits of one run. */
export const SANDBOX_LIMITS = Object.freeze({
  /** Time the code may run, per run (top level and handler together), in ms: wall-clock time on the
   * sandbox's thread (isolated-vm has no CPU-time limit), generous enough for a loaded machine. */
  timeMs: 200,
  /** Heap of the isolate, in MiB (isolated-vm's lower bound is 8). */
  memoryMb: 32,
  /** The handler's result as JSON text, in bytes. */
  outputBytes: 1024 * 1024,
});

/** Why a run failed, as an attempt records it. */
export type SandboxFailure = { kind: 'error' | 'timeout' | 'memory' | 'output'; message: string };
export type SandboxResult = { ok: true; json: string } | { ok: false; failure: SandboxFailure };

// Calls the handler on the input left in a global by run(). A function declared in the code is a
// property of the context's global object; the input is removed before the handler sees it.
const RUNNER = `(() => {
  'use strict';
  const input = JSON.parse(globalThis.__hooklineInput);
  delete globalThis.__hooklineInput;
  if (typeof handler !== 'function') throw new TypeError('the code must declare function handler(webhook)');
  const out = handler(input);
  const json = JSON.stringify(out === undefined ? null : out);
  return json === undefined ? 'null' : json;
})()`;

/**
 * One compiled transformation: an isolate holding the code compiled once. Every run gets a new
 * context (fresh globals), so nothing a run leaves behind reaches the next one. Runs of one
 * isolate are serialised by isolated-vm on its own thread: the host's event loop never waits.
 */
export class CompiledTransformation {
  readonly #isolate: ivm.Isolate;
  readonly #script: ivm.Script;
  #running = 0;
  #released = false;

  private constructor(isolate: ivm.Isolate, script: ivm.Script) {
    this.#isolate = isolate;
    this.#script = script;
  }

  /** Compiles `code`; a syntax error is thrown as a SandboxFailure-bearing TransformationSyntaxError. */
  static async compile(code: string): Promise<CompiledTransformation> {
    const isolate = new ivm.Isolate({ memoryLimit: SANDBOX_LIMITS.memoryMb });
    try {
      // Alone first, so its own syntax errors are reported as such; then with the runner after it,
      // as one script: one run, one time limit (a queue of runs on the isolate is not counted).
      await isolate.compileScript(code, { filename: 'transformation.js' });
      const script = await isolate.compileScript(`${code}\n;${RUNNER}`, { filename: 'transformation.js' });
      return new CompiledTransformation(isolate, script);
    } catch (err) {
      isolate.dispose();
      throw new TransformationSyntaxError(messageOf(err));
    }
  }

  /** Whether it can still run (an isolate that ran out of memory is gone). */
  get usable(): boolean {
    return !this.#released && !this.#isolate.isDisposed;
  }

  /** Runs the handler on `inputJson` (the webhook as JSON); never throws. */
  async run(inputJson: string): Promise<SandboxResult> {
    if (!this.usable) return { ok: false, failure: { kind: 'error', message: 'the sandbox was released' } };
    this.#running++;
    let context: ivm.Context | undefined;
    try {
      context = await this.#isolate.createContext();
      await context.global.set('__hooklineInput', inputJson);
      const json: unknown = await this.#script.run(context, { timeout: SANDBOX_LIMITS.timeMs });
      if (typeof json !== 'string') return { ok: false, failure: { kind: 'error', message: 'the handler returned no JSON' } };
      if (Buffer.byteLength(json) > SANDBOX_LIMITS.outputBytes) {
        return { ok: false, failure: { kind: 'output', message: `the handler's result is larger than ${SANDBOX_LIMITS.outputBytes} bytes` } };
      }
      return { ok: true, json };
    } catch (err) {
      return { ok: false, failure: this.#failureOf(err) };
    } finally {
      this.#running--;
      if (context && !this.#isolate.isDisposed) context.release();
      if (this.#released && this.#running === 0) this.#dispose();
    }
  }

  /** Frees the isolate once no run is using it. */
  release(): void {
    this.#released = true;
    if (this.#running === 0) this.#dispose();
  }

  #dispose(): void {
    if (!this.#isolate.isDisposed) this.#isolate.dispose();
  }

  #failureOf(err: unknown): SandboxFailure {
    const message = messageOf(err);
    if (this.#isolate.isDisposed || /memory limit|allocation failed|Invalid (string|array buffer) length/i.test(message)) {
      return { kind: 'memory', message: `out of memory (limit ${SANDBOX_LIMITS.memoryMb} MiB): ${message}` };
    }
    if (/execution timed out/i.test(message)) return { kind: 'timeout', message: `timed out after ${SANDBOX_LIMITS.timeMs} ms` };
    return { kind: 'error', message };
  }
}

/** The code does not compile. */
export class TransformationSyntaxError extends Error {}

/** An error from inside the isolate, as `Name: message` (its stack would name host internals). */
function messageOf(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 500);
  return String(err).slice(0, 500);
}
