// Svix's event type feature flags: an event type with flags is seen only by portal sessions whose
// token carries one of them (AppPortalAccessIn.featureFlags); one without flags is seen by all.
// An API key sees every event type. Hidden event types answer as if they did not exist.

/** The flags of the caller's portal token, or undefined for an API key (which sees every event type). */
export type FeatureFlagScope = readonly string[] | undefined;

/** Whether an event type with these flags is visible within `scope`. */
export function isEventTypeVisible(eventTypeFlags: readonly string[] | null, scope: FeatureFlagScope): boolean {
  if (scope === undefined || !eventTypeFlags || eventTypeFlags.length === 0) return true;
  return eventTypeFlags.some((flag) => scope.includes(flag));
}
