// Environment variables of the schedule service (validated at start; see BaseConfigSchema for the shared ones).
import { BaseConfigSchema } from '@cc/platform';
import type { z } from 'zod';

export const ScheduleConfigSchema = BaseConfigSchema.extend({});
export type ScheduleConfig = z.infer<typeof ScheduleConfigSchema>;
