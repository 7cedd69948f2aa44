import { secretStorageRepo, type Database } from '@hookline/db';
import type { SecretBox } from './secretBox.ts';

// Whether unbound values (`hl1:` envelopes, plaintext from older versions) are still read. A
// re-encryption pass that finds every stored secret bound records it in the database (see
// reencryptSecrets); from then on every process refuses unbound values, so a ciphertext from an
// old backup or a planted plaintext is not read as a secret.

/** How often a process started before that record looks for it. */
export const BINDING_POLL_MS = 10_000;

/** Makes the box refuse unbound values when the database says every secret is bound; true when it does. */
export async function loadSecretBinding(db: Database, box: SecretBox): Promise<boolean> {
  if (!box.acceptsUnbound) return true;
  if ((await secretStorageRepo.findSecretsBoundAt(db)) === undefined) return false;
  box.refuseUnbound();
  return true;
}

/**
 * Looks for the record every {@link BINDING_POLL_MS} until it is there, so a process that started
 * while old formats were still read stops reading them soon after re-encryption finished
 * elsewhere (the command, or another process's maintenance). Returns a function that stops it.
 */
export function watchSecretBinding(db: Database, box: SecretBox, onError: (err: unknown) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = () => {
    timer = undefined;
    loadSecretBinding(db, box).then(
      (bound) => {
        if (!bound && !stopped) timer = setTimeout(tick, BINDING_POLL_MS).unref();
      },
      (err: unknown) => {
        onError(err);
        if (!stopped) timer = setTimeout(tick, BINDING_POLL_MS).unref();
      },
    );
  };
  if (box.acceptsUnbound) timer = setTimeout(tick, BINDING_POLL_MS).unref();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
