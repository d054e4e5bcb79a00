// Header names on messages the ledger's relay publishes to EVENTS, named once so the relay and
// every consumer agree.
import { PubHeaders } from '@nats-io/jetstream';

/** `Nats-Msg-Id`: JetStream drops a repeat within the duplicate window. The relay puts the event id. */
export const natsMsgIdHeader = PubHeaders.MsgIdHdr;

/** The event's global ledger position (gap-free), so consumers can check order and resume. */
export const ledgerPositionHeader = 'Ledger-Position';
