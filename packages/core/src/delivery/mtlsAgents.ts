import type { Dispatcher } from 'undici';
import { SecretDecryptionError } from '../secrets/secretBox.ts';

/** An attempt's pointer to its endpoint's mutual TLS settings: the version the delivery load read. */
export interface MtlsRef {
  tenantId: string;
  endpointId: string;
  version: Date;
}

/** The attempt's pointer to its endpoint's settings, when it has some. */
// Takes the delivery context's two fields by shape: importing its type would close an import cycle through httpClient.
export const mtlsRefOf = ({ endpoint, mtlsVersion }: { endpoint: { id: string; tenantId: string }; mtlsVersion: Date | null }): MtlsRef | undefined =>
  mtlsVersion === null ? undefined : { tenantId: endpoint.tenantId, endpointId: endpoint.id, version: mtlsVersion };

/** What a TLS connection to the endpoint presents and trusts (PEM), as node:tls takes it. */
export interface TlsMaterial {
  cert?: string;
  key?: string;
  ca?: string;
}

/** Reads an endpoint's current settings (the key decrypted); undefined when it has none any more. */
export type MtlsLoader = (endpoint: { tenantId: string; endpointId: string }) => Promise<{ version: Date; tls: TlsMaterial } | undefined>;

/** The dispatchers of one TLS configuration: direct, and through the egress proxy when there is one. */
export interface TlsAgents {
  direct: Dispatcher;
  proxied?: Dispatcher | undefined;
}

/** Settings that cannot be used (the key does not decrypt): the attempt fails with this reason. */
export interface MtlsUnavailable {
  error: string;
}

/** Agents kept per worker; the least recently used beyond this is closed. */
export const DEFAULT_MTLS_AGENTS = 256;

type Entry = { version: number; agents: Promise<TlsAgents | MtlsUnavailable | undefined> };

/**
 * One pair of keep-alive agents per endpoint with mutual TLS settings, so its connections (and
 * their handshakes) are reused across deliveries. Keyed by endpoint and settings version: an
 * attempt that carries a newer version than the pool's rebuilds them (and closes the old ones,
 * after their requests in flight); the key is read and decrypted only then, not per delivery.
 */
export class MtlsAgents {
  readonly #load: MtlsLoader;
  readonly #build: (tls: TlsMaterial) => TlsAgents;
  readonly #size: number;
  readonly #cache = new Map<string, Entry>();

  constructor(load: MtlsLoader, build: (tls: TlsMaterial) => TlsAgents, size = DEFAULT_MTLS_AGENTS) {
    this.#load = load;
    this.#build = build;
    this.#size = size;
  }

  /** Agents in the pool (for tests and metrics). */
  get size(): number {
    return this.#cache.size;
  }

  /**
   * The agents for the endpoint's settings at `ref.version` (or newer ones, read if the pool's are
   * older); undefined when the settings were removed since the delivery load.
   */
  async agentsFor(ref: MtlsRef): Promise<TlsAgents | MtlsUnavailable | undefined> {
    const key = `${ref.tenantId}/${ref.endpointId}`;
    const hit = this.#cache.get(key);
    if (hit && hit.version >= ref.version.getTime()) {
      this.#cache.delete(key); // re-inserted: most recently used last
      this.#cache.set(key, hit);
      return hit.agents;
    }
    const entry: Entry = { version: ref.version.getTime(), agents: this.#open(ref) };
    this.#cache.delete(key);
    this.#cache.set(key, entry);
    if (hit) closeLater(hit);
    this.#evict();
    try {
      return await entry.agents;
    } catch (err) {
      if (this.#cache.get(key) === entry) this.#cache.delete(key);
      throw err;
    }
  }

  /** Closes every agent (worker shutdown; waits for requests in flight). */
  async close(): Promise<void> {
    const entries = [...this.#cache.values()];
    this.#cache.clear();
    await Promise.all(entries.map((e) => closeEntry(e)));
  }

  async #open(ref: MtlsRef): Promise<TlsAgents | MtlsUnavailable | undefined> {
    let settings: Awaited<ReturnType<MtlsLoader>>;
    try {
      settings = await this.#load(ref);
    } catch (err) {
      if (err instanceof SecretDecryptionError) {
        return { error: 'mutual TLS: the client key cannot be decrypted (it was altered or its master key is missing); set the mTLS configuration again' };
      }
      throw err;
    }
    if (!settings) return undefined;
    return this.#build(settings.tls);
  }

  #evict(): void {
    while (this.#cache.size > this.#size) {
      const [oldest, entry] = this.#cache.entries().next().value as [string, Entry];
      this.#cache.delete(oldest);
      closeLater(entry);
    }
  }
}

function closeEntry(entry: Entry): Promise<void> {
  return entry.agents.then(
    async (agents) => {
      if (agents && 'direct' in agents) await Promise.all([agents.direct.close(), agents.proxied?.close()]);
    },
    () => {},
  );
}

const closeLater = (entry: Entry): void => void closeEntry(entry);
