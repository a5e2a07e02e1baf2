// Unique names per test so suites run in parallel against shared PostgreSQL/NATS/Redis and clean up
// only what they made.
import { randomUUID } from 'node:crypto';

export const uniqueTenant = (prefix = 't'): string => `${prefix}-${randomUUID().slice(0, 8)}`;
export const uniqueName = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
