/** The void-bed context's front door: asking for a bed's check, and the alerts' thresholds. What the monitor reads and writes is in ports.ts. */
export { VoidBedCheckRequest, type VoidBedCheckRequester } from './check-request';
export { AlertThreshold, describeThreshold } from './thresholds';
