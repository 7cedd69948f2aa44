/** Svix's MessageStatus: of one attempt (success or fail once recorded), and of a message's delivery to one endpoint. */
export const MESSAGE_STATUS = Object.freeze({ success: 0, pending: 1, fail: 2, sending: 3, canceled: 4 });

/** Deliveries waiting for an attempt: not attempted yet (pending), or failed with a retry scheduled (sending). */
export const WAITING_STATUSES: readonly number[] = Object.freeze([MESSAGE_STATUS.pending, MESSAGE_STATUS.sending]);

/** A deleted endpoint's waiting deliveries end canceled: never sent, and no failure of the receiver to recover. */
export const DELETED_ENDPOINT_END = Object.freeze({ waiting: WAITING_STATUSES, status: MESSAGE_STATUS.canceled });
