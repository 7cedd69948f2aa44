/** True for PostgreSQL's unique_violation (23505), raised when a uid or key is already taken. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
