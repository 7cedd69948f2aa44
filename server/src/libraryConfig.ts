import { ConfigError, envSchema, loadConfig, withConfigFile, type Config } from '@hookline/core';

/** A setting by its environment variable's name (docs/configuration.md), e.g. `HOOKLINE_ENCRYPTION_KEYS`. */
export type SettingName = keyof typeof envSchema.shape;
export type Settings = Partial<Record<SettingName, string | number | boolean>>;

export interface LibraryConfigSource {
  /** The database's URL; the same as `settings.DATABASE_URL`. */
  databaseUrl?: string | undefined;
  /** Settings over the environment's, by variable name; validated as the server validates them. */
  settings?: Settings | undefined;
  /** Where settings not given come from; default `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** A dotenv file beneath the environment, as `hookline --config`; default HOOKLINE_CONFIG_FILE. */
  configFile?: string | undefined;
}

/**
 * Library mode's configuration: the options' settings, falling back to the environment and the
 * config file the server reads, through the same schema and checks (loadConfig). A name the
 * server does not know is an error, not a silently ignored typo. `trustProxyGiven` says whether
 * HOOKLINE_TRUST_PROXY was set anywhere: if not, the host app's `trust proxy` applies.
 */
export function libraryConfig(source: LibraryConfigSource): { config: Readonly<Config>; trustProxyGiven: boolean } {
  const env = source.env ?? process.env;
  const base = withConfigFile(env, source.configFile ?? env.HOOKLINE_CONFIG_FILE);
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(source.settings ?? {})) {
    if (!Object.hasOwn(envSchema.shape, name)) throw new ConfigError(`invalid configuration:\n  ${name}: not a Hookline setting (see docs/configuration.md)`);
    if (value !== undefined) settings[name] = String(value);
  }
  if (source.databaseUrl !== undefined) settings.DATABASE_URL = source.databaseUrl;
  const merged = { ...base, ...settings };
  return { config: loadConfig(merged), trustProxyGiven: Boolean(merged.HOOKLINE_TRUST_PROXY) };
}
