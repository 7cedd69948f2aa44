/** Who made a change or read a secret: recorded in the audit log, never a credential itself. */
export interface Actor {
  kind: 'apiKey' | 'person' | 'portal' | 'operator' | 'maintenance' | 'databaseRole';
  /** The API key's id, the person's id, the portal token's application, 'operator', the maintenance task or the database role (SQL: hookline.publish). */
  id: string;
  displayName: string;
}

/** Where a request came from, for the audit log. */
export interface RequestOrigin {
  clientAddress?: string;
  userAgent?: string;
  requestId?: string;
}
