import type { SecretBox } from './secretBox.ts';

// Custom headers are stored as `{name: encrypted value}`: names stay readable (listing, the
// `sensitive` split, case-insensitive edits need no key), values are encrypted one by one.

export const encryptHeaderValues = (box: SecretBox, headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, box.encrypt(value)]));

export const decryptHeaderValues = (box: SecretBox, stored: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(stored).map(([name, value]) => [name, box.decrypt(value)]));
