import { HooklineError } from '../errors.ts';

/** A simulated run failed (threw, timed out, ran out of memory, returned a bad shape): answered 400 `transformation_failed` with the reason. */
export class TransformationFailedError extends HooklineError {
  constructor(reason: string) {
    super('transformation_failed', reason);
  }
}
