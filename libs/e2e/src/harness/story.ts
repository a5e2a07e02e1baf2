// What every e2e story starts with: the running stack, a fresh tenant of its own (unique id, so stories
// run side by side on the same services), and waiting until a change made in one service is seen by
// another (replicas fed by JetStream) without any fixed sleep.
import { randomUUID } from 'node:crypto';
import { callSlotsLicensed, ensureTenant, tenantSession, type TenantSession } from '../client/platform-client';
import { requireServices, stackInfo, type ServiceName, type StackInfo } from './stack';

export type Story = { stack: StackInfo; tenantId: string; admin: TenantSession };

export const uniqueTenantId = (): string => `e2e-${randomUUID().slice(0, 8)}`;

export async function newStory(options: { needs: ServiceName[]; features?: ('callSlots' | 'campaigns')[] }): Promise<Story> {
  const stack = stackInfo();
  await requireServices(stack, 'agent-directory', ...options.needs);
  const tenantId = uniqueTenantId();
  await ensureTenant(stack.urls, tenantId, { name: `E2E ${tenantId}`, features: options.features ?? [] });
  const admin = await tenantSession(stack.urls, { tenant: tenantId, role: 'ADMIN', sub: `admin@${tenantId}` });
  if (options.features?.includes('callSlots')) await callSlotsLicensed(admin);
  return { stack, tenantId, admin };
}

/** Mondays in Europe/London winter time (= UTC), far enough ahead to stay in the future for years. */
export const WEEK_1_MONDAY = '2030-01-07';
export const WEEK_2_MONDAY = '2030-01-14';
/** An instant from a date and a UTC wall-clock time (`HH:mm` or `HH:mm:ss`). */
export const at = (date: string, time: string): string => `${date}T${time.length === 5 ? `${time}:00` : time}.000Z`;

/** E.164 numbers of the stories: dialled numbers, callers, mobiles, an outside number. */
export const NUMBERS = {
  line: '+441134960000',
  caller: '+441134960999',
  outside: '+441234567890',
  mobile: (n: number) => `+4479111230${String(n).padStart(2, '0')}`,
};
