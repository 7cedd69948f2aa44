#!/usr/bin/env node
// The container image's HEALTHCHECK: exits 0 when this container's Hookline answers, else 1.
// It reads the same settings as the server (environment and HOOKLINE_CONFIG_FILE), through the
// config module alone: importing all of core would cost half a second of CPU per probe.
import { get } from 'node:https';
import { ConfigError, loadConfig, withConfigFile } from '@hookline/core/config';

const PROBE_TIMEOUT_MS = 4000;

/** The address to probe: the listening host, or loopback when it listens on every address. */
function probeHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The status of a GET over HTTPS. The certificate is not checked: it names the public host, and
 * this probe asks the process in its own container by its listening address.
 */
function httpsStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { rejectUnauthorized: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig(withConfigFile(process.env, process.env.HOOKLINE_CONFIG_FILE));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  // api and all: ready means the database and the queue answer. A worker serves HTTP only on
  // HOOKLINE_METRICS_PORT; without one there is nothing to ask beyond its process running.
  const url =
    config.role !== 'worker'
      ? `${config.tls ? 'https' : 'http'}://${probeHost(config.host)}:${config.port}/ready`
      : config.metricsPort !== undefined
        ? `http://${probeHost(config.host)}:${config.metricsPort}/metrics`
        : undefined;
  if (!url) return 0;
  try {
    const status = url.startsWith('https:') ? await httpsStatus(url) : (await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).status;
    if (status >= 200 && status < 300) return 0;
    console.error(`${url} answered ${status}`);
  } catch (err) {
    console.error(`${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return 1;
}

process.exitCode = await main();
