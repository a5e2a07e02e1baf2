// Every error leaves in one shape: application/problem+json over HTTP, the same problem object as
// the `err` of a NATS reply. 5xx are logged with their stack; 4xx are the caller's business.
import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import type { Problem } from '@cc/contracts';
import { toProblem, RemoteProblemError } from './to-problem';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() === 'rpc') {
      const subject = String(host.switchToRpc().getContext()?.getSubject?.() ?? '');
      const problem = this.problemOf(exception, subject || undefined);
      return throwError(() => problem);
    }
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const problem = this.problemOf(exception, request.url);
    void reply.status(problem.status).header('content-type', 'application/problem+json').send(problem);
  }

  private problemOf(exception: unknown, instance: string | undefined): Problem {
    const problem = exception instanceof RemoteProblemError ? exception.problem : toProblem(exception, instance);
    if (problem.status === 503 && instance?.startsWith('/health')) {
      // Not ready yet (catching up at start) or a dependency down: the health body says which; no stack.
      this.logger.warn(`health check: not ready (${problem.detail ?? problem.title})`);
    } else if (problem.status >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    return problem;
  }
}
