/**
 * The outbound context's front door: the delivery log that finance reads. Requests to deliver are a
 * contract (#lib/contracts/delivery-requests); the senders are wired by functions/delivery-sender.
 */
export type { DeliveryEvent, DeliveryLog, DeliveryState, LogEntry } from './ports';
