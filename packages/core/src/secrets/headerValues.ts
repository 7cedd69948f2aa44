import type { SecretBox } from './secretBox.ts';
import { headerValuePlace } from './secretPlaces.ts';

// Custom headers are stored as `{name: encrypted value}`: names stay readable (listing, the
// `sensitive` split, case-insensitive edits need no key), values are encrypted one by one, each
// bound to its endpoint and header name.

type EndpointKey = { id: string; tenantId: string };

export const encryptHeaderValues = (box: SecretBox, endpoint: EndpointKey, headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, box.encrypt(value, headerValuePlace(endpoint, name))]));

export const decryptHeaderValues = (box: SecretBox, endpoint: EndpointKey, stored: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(stored).map(([name, value]) => [name, box.decrypt(value, headerValuePlace(endpoint, name))]));
