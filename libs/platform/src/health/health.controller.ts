// GET /health (terminus): up only when every registered dependency answers; 503 with details otherwise.
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators';
import { HealthChecks, withTimeout } from './health-checks';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly checks: HealthChecks,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check(
      this.checks.list().map(({ name, check }) => async () => {
        const indicator = this.indicators.check(name);
        try {
          await withTimeout(check(), 2000, name);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: error instanceof Error ? error.message : String(error) });
        }
      }),
    );
  }
}
