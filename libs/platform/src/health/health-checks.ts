// A registry of named dependency checks (PostgreSQL, NATS, Redis, event store) that /health runs;
// each infrastructure module registers its own, so an app checks exactly what it uses.
export type DependencyCheck = { name: string; check: () => Promise<void> };

export class HealthChecks {
  private readonly checks = new Map<string, DependencyCheck['check']>();

  register(name: string, check: DependencyCheck['check']): void {
    this.checks.set(name, check);
  }

  list(): DependencyCheck[] {
    return [...this.checks].map(([name, check]) => ({ name, check }));
  }
}

export const withTimeout = async <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
};
