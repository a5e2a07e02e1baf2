// Whole-definition checks (the decider checks each change as it happens; this is for imports, replicas
// and tests that want to know a definition is coherent).
import type { FieldError } from '@cc/contracts';
import { parseLocalDate } from './local-date';
import type { ScheduleDefinition } from './schedule-definition';
import { validateScheduleException } from './schedule-exception';
import { isValidZone } from './time-zone';
import { validateWeeklyRanges } from './weekly-range';

/** Every problem in a definition, with field paths (`templates[1].ranges[2].end`, `rotation.firstTemplateId`). */
export function validateScheduleDefinition(def: ScheduleDefinition): FieldError[] {
  const errors: FieldError[] = [];
  const strip = ({ path, message }: FieldError): FieldError => ({ path, message });
  if (!isValidZone(def.timezone)) errors.push({ path: 'timezone', message: `unknown IANA time zone "${def.timezone}"` });
  if (def.name.trim() === '') errors.push({ path: 'name', message: 'must not be empty' });
  const templateIds = new Set<string>();
  def.templates.forEach((t, i) => {
    if (templateIds.has(t.templateId)) errors.push({ path: `templates[${i}].templateId`, message: `duplicate template id "${t.templateId}"` });
    templateIds.add(t.templateId);
    errors.push(...validateWeeklyRanges(t.ranges, `templates[${i}].ranges`).map(strip));
  });
  if (def.rotation) {
    if (!parseLocalDate(def.rotation.anchorDate)) errors.push({ path: 'rotation.anchorDate', message: 'must be a date YYYY-MM-DD' });
    if (!templateIds.has(def.rotation.firstTemplateId)) errors.push({ path: 'rotation.firstTemplateId', message: 'must name one of the templates' });
  }
  const exceptionIds = new Set<string>();
  def.exceptions.forEach((ex, i) => {
    if (exceptionIds.has(ex.exceptionId)) errors.push({ path: `exceptions[${i}].exceptionId`, message: `duplicate exception id "${ex.exceptionId}"` });
    exceptionIds.add(ex.exceptionId);
    errors.push(...validateScheduleException(ex, `exceptions[${i}]`).map(strip));
  });
  if (def.emergency) {
    if (Number.isNaN(Date.parse(def.emergency.at))) errors.push({ path: 'emergency.at', message: 'must be an ISO instant' });
    if (def.emergency.expiresAt !== null && Number.isNaN(Date.parse(def.emergency.expiresAt))) {
      errors.push({ path: 'emergency.expiresAt', message: 'must be an ISO instant or null' });
    }
  }
  return errors;
}
