// Local date-times typed by operators ('YYYY-MM-DDTHH:mm', no zone): the schedule's zone gives them meaning.
import { parseClockTime } from './clock-time';
import { parseLocalDate, type LocalDate } from './local-date';

export type LocalDateTime = { date: LocalDate; minuteOfDay: number };

/** Parses 'YYYY-MM-DDTHH:mm' (seconds and offsets are refused: the zone is the schedule's). */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  if (typeof text !== 'string' || text.length !== 16 || text[10] !== 'T') return null;
  const date = parseLocalDate(text.slice(0, 10));
  const minuteOfDay = parseClockTime(text.slice(11));
  return date && minuteOfDay !== null ? { date, minuteOfDay } : null;
}
