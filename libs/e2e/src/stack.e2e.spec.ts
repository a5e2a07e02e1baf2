// The stack itself: every service runs as its own process and reports healthy dependencies.
import { requireServices, SERVICES, stackInfo } from './harness/stack';

describe('the five services as separate processes', () => {
  const stack = stackInfo();

  it.each(SERVICES)('%s answers /health with every dependency up', async (service) => {
    await requireServices(stack, service);
    const response = await fetch(`${stack.urls[service]}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string };
    expect(body.status).toBe('ok');
  });
});
