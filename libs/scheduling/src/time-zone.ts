// IANA zone lookups (through luxon's IANAZone) with a small offset cache: luxon answers an offset
// through Intl.formatToParts (~10 µs), and the call-router evaluates rules on its hot path.
import { IANAZone } from 'luxon';
import type { LocalDate } from './local-date';

const HOUR_MS = 3_600_000;
const MAX_BUCKETS_PER_ZONE = 50_000;
/** Marks an hour bucket that contains an offset transition: those are answered exactly, uncached. */
const MIXED = Number.NaN;

type ZoneEntry = { readonly zone: IANAZone; readonly buckets: Map<number, number> };
const entries = new Map<string, ZoneEntry>();

/** True for an IANA zone name the runtime knows ('Europe/London', 'UTC'); false for offsets ('+01:00') and junk. */
export function isValidZone(zone: string): boolean {
  return typeof zone === 'string' && zone.length > 0 && zone.length <= 64 && IANAZone.isValidZone(zone);
}

/**
 * The zone name with the runtime's canonical letter case ('europe/london' -> 'Europe/London'), or null if
 * unknown. Aliases keep their spelling (ICU would turn 'Asia/Kolkata' into 'Asia/Calcutta', which
 * operators would not recognise).
 */
export function normalizeZone(zone: string): string | null {
  if (!isValidZone(zone)) return null;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}

function entryOf(zone: string): ZoneEntry {
  let entry = entries.get(zone);
  if (!entry) {
    if (!isValidZone(zone)) throw new RangeError(`unknown time zone: "${zone}"`);
    entry = { zone: IANAZone.create(zone), buckets: new Map() };
    entries.set(zone, entry);
  }
  return entry;
}

/**
 * UTC offset in minutes of `zone` at the instant `epochMs`. Cached per hour: if the offsets at both ends
 * of an hour agree there is no transition inside it (no zone changes its offset twice within an hour).
 */
export function offsetMinutesAt(zone: string, epochMs: number): number {
  const entry = entryOf(zone);
  const bucket = Math.floor(epochMs / HOUR_MS);
  const cached = entry.buckets.get(bucket);
  if (cached !== undefined && !Number.isNaN(cached)) return cached;
  if (cached === undefined) {
    const first = entry.zone.offset(bucket * HOUR_MS);
    const last = entry.zone.offset(bucket * HOUR_MS + HOUR_MS - 1);
    if (entry.buckets.size >= MAX_BUCKETS_PER_ZONE) entry.buckets.clear();
    entry.buckets.set(bucket, first === last ? first : MIXED);
    if (first === last) return first;
  }
  return entry.zone.offset(epochMs);
}

/** Local calendar date and wall-clock minute of an instant in a zone. */
export type LocalMoment = LocalDate & { readonly minuteOfDay: number; readonly isoWeekday: number };

export function localMomentOf(epochMs: number, zone: string): LocalMoment {
  const shifted = new Date(epochMs + offsetMinutesAt(zone, epochMs) * 60_000);
  const js = shifted.getUTCDay();
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    minuteOfDay: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    isoWeekday: js === 0 ? 7 : js,
  };
}
