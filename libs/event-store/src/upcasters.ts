// Upcasters turn an event stored in an older shape into the current one while it is read, so deciders and
// projections only ever see the latest version of each event type and old events never need rewriting.
import type { RecordedEvent } from './event-store.port';

/**
 * One function per event type, handling every older version of that type (switch on `event.version`) and
 * returning current events unchanged. Upcasters live beside the event definitions in
 * `libs/contracts/src/<service>/events.ts`, and the service passes its map to the adapter's `create()`.
 *
 * @example
 * const upcasters: Upcasters = {
 *   DivertRuleSet: (e) => (e.version === 1 ? { ...e, version: 2, data: { ...(e.data as object), ringSeconds: 300 } } : e),
 * };
 */
export type Upcaster = (event: RecordedEvent) => RecordedEvent;
export type Upcasters = Readonly<Record<string, Upcaster>>;

export function upcast(event: RecordedEvent, upcasters: Upcasters | undefined): RecordedEvent {
  // Object.hasOwn: an event type named like an Object.prototype member ("constructor") must not match it.
  if (upcasters === undefined || !Object.hasOwn(upcasters, event.type)) return event;
  return upcasters[event.type](event);
}
