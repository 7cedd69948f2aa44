import type { ApiInputs } from '@hookline/api';
import { loadPortalKeyRing, Wakeup } from '@hookline/core';
import { FANOUT_WAKEUP_CHANNEL } from '@hookline/db';
import type { Foundation } from './foundation.ts';

/** What the api is built from on `foundation`: the portal's signing keys and the fan-out wake-up besides the shared parts. */
export async function apiInputsOf(foundation: Foundation): Promise<ApiInputs> {
  const { db, config, logger, secretBox } = foundation;
  const portalKeys = await loadPortalKeyRing(db, config, secretBox);
  const fanOutWakeup = new Wakeup(db, FANOUT_WAKEUP_CHANNEL, (err) => logger.debug({ err }, 'could not wake the workers; they will poll'));
  return {
    db,
    connection: foundation.connection,
    boss: foundation.producer,
    config,
    allow: foundation.allow,
    portalKeys,
    metrics: foundation.metrics,
    secretBox,
    fanOutWakeup,
  };
}
