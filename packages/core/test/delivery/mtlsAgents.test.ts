import { describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { MtlsAgents, type TlsAgents, type TlsMaterial } from '../../src/delivery/mtlsAgents.ts';
import { SecretDecryptionError } from '../../src/secrets/secretBox.ts';

// The worker's pool of per-endpoint TLS agents: built once per endpoint and settings version,
// rebuilt (the old one closed) when the version changes, bounded by closing the least recently used.

type FakeAgent = { tls: TlsMaterial; closed: boolean };

function pool(size: number, versions: Map<string, number>) {
  const built: FakeAgent[] = [];
  let loads = 0;
  const agents = new MtlsAgents(
    async ({ endpointId }) => {
      loads++;
      const v = versions.get(endpointId);
      if (v === undefined) return undefined;
      if (v < 0) throw new SecretDecryptionError('altered');
      return { version: new Date(v), tls: { cert: `cert-${endpointId}-${v}` } };
    },
    (tls) => {
      const agent: FakeAgent = { tls, closed: false };
      built.push(agent);
      const fake = { close: async () => void (agent.closed = true) } as unknown as Dispatcher;
      return { direct: fake } satisfies TlsAgents;
    },
    size,
  );
  return { agents, built, loads: () => loads };
}

const ref = (endpointId: string, version: number) => ({ tenantId: 't', endpointId, version: new Date(version) });

describe('MtlsAgents', () => {
  it('builds one agent per endpoint and version, reuses it, and rebuilds (closing the old) when the version changes', async () => {
    const versions = new Map([['ep_a', 1]]);
    const { agents, built, loads } = pool(4, versions);
    const [first, again] = await Promise.all([agents.agentsFor(ref('ep_a', 1)), agents.agentsFor(ref('ep_a', 1))]);
    await agents.agentsFor(ref('ep_a', 1));
    expect(first).toBe(again);
    expect(built).toHaveLength(1);
    expect(loads()).toBe(1);

    versions.set('ep_a', 2);
    await agents.agentsFor(ref('ep_a', 2));
    expect(built.map((b) => b.tls.cert)).toEqual(['cert-ep_a-1', 'cert-ep_a-2']);
    await new Promise((r) => setImmediate(r));
    expect(built[0]!.closed).toBe(true);
    expect(built[1]!.closed).toBe(false);
    // An attempt loaded before the change (an older version) uses the current agent.
    await agents.agentsFor(ref('ep_a', 1));
    expect(built).toHaveLength(2);
  });

  it('keeps at most `size` endpoints, closing the least recently used', async () => {
    const versions = new Map([
      ['ep_a', 1],
      ['ep_b', 1],
      ['ep_c', 1],
    ]);
    const { agents, built } = pool(2, versions);
    await agents.agentsFor(ref('ep_a', 1));
    await agents.agentsFor(ref('ep_b', 1));
    await agents.agentsFor(ref('ep_a', 1)); // a is now the most recently used
    await agents.agentsFor(ref('ep_c', 1));
    await new Promise((r) => setImmediate(r));
    expect(agents.size).toBe(2);
    expect(built.map((b) => [b.tls.cert, b.closed])).toEqual([
      ['cert-ep_a-1', false],
      ['cert-ep_b-1', true],
      ['cert-ep_c-1', false],
    ]);
    await agents.close();
    expect(built.every((b) => b.closed)).toBe(true);
    expect(agents.size).toBe(0);
  });

  it('answers settings removed since the load with undefined, and a key that does not decrypt with a reason', async () => {
    const versions = new Map([['ep_bad', -1]]);
    const { agents, built } = pool(2, versions);
    expect(await agents.agentsFor(ref('ep_gone', 1))).toBeUndefined();
    expect(await agents.agentsFor(ref('ep_bad', 1))).toEqual({ error: expect.stringMatching(/client key cannot be decrypted/) });
    expect(built).toHaveLength(0);
  });
});
