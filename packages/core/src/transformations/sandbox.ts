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

// The script's completion value: the function each run calls with the webhook as JSON text. The
// code's top level runs once, before it; a function declared there is a global of the context.
const RUNNER = `(function hooklineRun(inputJson) {
  'use strict';
  if (typeof handler !== 'function') throw new TypeError('the code must declare function handler(webhook)');
  const out = handler(JSON.parse(inputJson));
  const json = JSON.stringify(out === undefined ? null : out);
  return json === undefined ? 'null' : json;
})`;

/**
 * One compiled transformation: an isolate (its own heap) with one context in which the code's top
 * level ran once; each run calls the handler there. Runs of one endpoint's code therefore share
 * its globals, as a module's do (nothing reaches another endpoint, another tenant or the host); a
 * fresh context per run cost 0.55 ms of CPU, more than the delivery itself (ADR 0003). Runs are
 * executed by isolated-vm on the isolate's own thread, one at a time: the event loop never waits.
 */
export class CompiledTransformation {
  readonly #isolate: ivm.Isolate;
  readonly #script: ivm.Script;
  #context: ivm.Context | undefined;
  #runner: Promise<ivm.Reference<(input: string) => string>> | undefined;
  #running = 0;
  #released = false;

  private constructor(isolate: ivm.Isolate, script: ivm.Script) {
    this.#isolate = isolate;
    this.#script = script;
  }

  /** Compiles `code`; a syntax error is thrown as a TransformationSyntaxError. */
  static async compile(code: string): Promise<CompiledTransformation> {
    const isolate = new ivm.Isolate({ memoryLimit: SANDBOX_LIMITS.memoryMb });
    try {
      // Alone first, so its own syntax errors are reported as such; then with the runner after it.
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
    if (this.#released) return { ok: false, failure: { kind: 'error', message: 'the sandbox was released' } };
    // Code fetched before another run's out-of-memory disposed the isolate reports that cause.
    if (this.#isolate.isDisposed) return { ok: false, failure: this.#failureOf(new Error('the isolate ran out of memory in another run')) };
    this.#running++;
    try {
      const runner = await (this.#runner ??= this.#start());
      const json: unknown = await runner.apply(undefined, [inputJson], { timeout: SANDBOX_LIMITS.timeMs, result: { copy: true } });
      if (typeof json !== 'string') return { ok: false, failure: { kind: 'error', message: 'the handler returned no JSON' } };
      if (Buffer.byteLength(json) > SANDBOX_LIMITS.outputBytes) {
        return { ok: false, failure: { kind: 'output', message: `the handler's result is larger than ${SANDBOX_LIMITS.outputBytes} bytes` } };
      }
      return { ok: true, json };
    } catch (err) {
      return { ok: false, failure: this.#failureOf(err) };
    } finally {
      this.#running--;
      if (this.#released && this.#running === 0) this.#dispose();
    }
  }

  /** Makes the context and runs the code's top level (within the time limit); a failure is retried by the next run. */
  async #start(): Promise<ivm.Reference<(input: string) => string>> {
    try {
      this.#context ??= await this.#isolate.createContext();
      return (await this.#script.run(this.#context, { timeout: SANDBOX_LIMITS.timeMs, reference: true })) as ivm.Reference<(input: string) => string>;
    } catch (err) {
      this.#runner = undefined;
      throw err;
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
