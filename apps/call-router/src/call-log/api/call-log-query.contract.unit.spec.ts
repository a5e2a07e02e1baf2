// Specification of the call-log and performance query contracts (libs/contracts): defaults, dialled numbers
// as a query string carries them, and the range rules reported on `to`.
import { CallLogQuerySchema, PerformanceQuerySchema } from '@cc/contracts';

const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => result.error?.issues.map((i) => i.path.join('.')) ?? [];

describe('call-log query', () => {
  it('pages 50 calls by default; limit and filters come as strings', () => {
    expect(CallLogQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(CallLogQuerySchema.parse({ limit: '10', outcome: 'inProgress' })).toEqual({ limit: 10, outcome: 'inProgress' });
  });

  it('takes a dialled number with its + or as digits (a + sent unencoded arrives as a space)', () => {
    expect(CallLogQuerySchema.parse({ number: '+441234567000' }).number).toBe('+441234567000');
    expect(CallLogQuerySchema.parse({ number: '441234567000' }).number).toBe('+441234567000');
    expect(CallLogQuerySchema.parse({ number: ' 441234567000' }).number).toBe('+441234567000');
    expect(pathsOf(CallLogQuerySchema.safeParse({ number: '12ab' }))).toEqual(['number']);
  });

  it.each([
    ['to before from', { from: '2026-03-02T10:00:00Z', to: '2026-03-02T09:00:00Z' }],
    ['to equal to from', { from: '2026-03-02T10:00:00Z', to: '2026-03-02T10:00:00Z' }],
    ['more than 366 days', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }],
  ])('refuses a range with %s, on `to`', (_what, range) => {
    expect(pathsOf(CallLogQuerySchema.safeParse(range))).toEqual(['to']);
    expect(pathsOf(PerformanceQuerySchema.safeParse(range))).toEqual(['to']);
  });

  it('accepts an open range on either side, and exactly 366 days', () => {
    expect(CallLogQuerySchema.safeParse({ from: '2026-03-02T10:00:00+01:00' }).success).toBe(true);
    expect(CallLogQuerySchema.safeParse({ from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }).success).toBe(true);
  });

  it('performance needs both ends, and names one agent or one manager', () => {
    expect(pathsOf(PerformanceQuerySchema.safeParse({}))).toEqual(['from', 'to']);
    const both = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z', agentId: '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a', managerId: '1b4e28ba-2fa1-4d2b-9b7e-2a7c5f0a4c11' };
    expect(pathsOf(PerformanceQuerySchema.safeParse(both))).toEqual(['managerId']);
  });
});
