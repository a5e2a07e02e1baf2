// Gives each NATS request its own correlation context (from the Nest message id or a new one),
// so logs and events written while handling it are tied together.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { requestContext } from './request-context';

@Injectable()
export class RpcContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const headers = context.switchToRpc().getContext()?.getHeaders?.();
    const fromHeader = typeof headers?.get === 'function' ? (headers.get('x-correlation-id') as string) : '';
    const ctx = { correlationId: fromHeader || randomUUID() };
    return new Observable((subscriber) => requestContext.run(ctx, () => next.handle().subscribe(subscriber)));
  }
}
