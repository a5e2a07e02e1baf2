// Lets `POST /v1/schedules/{id}/exceptions/import` take an iCalendar file as is (`Content-Type:
// text/calendar`, the type RFC 5545 registers): fastify only parses JSON and plain text by default.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { MAX_ICS_BYTES } from '@cc/contracts';

export const TEXT_CALENDAR = 'text/calendar';

@Injectable()
export class TextCalendarBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // No HTTP adapter: a microservice-only context (nothing to parse for).
    if (!fastify || fastify.hasContentTypeParser(TEXT_CALENDAR)) return;
    // The limit is in bytes and a calendar may hold multi-byte UTF-8: allow for 4 bytes per character.
    fastify.addContentTypeParser(TEXT_CALENDAR, { parseAs: 'string', bodyLimit: MAX_ICS_BYTES * 4 }, (_request, body, done) => done(null, body));
  }
}
