// GET /docs/asyncapi.json: the AsyncAPI 3.0 document of every event, next to the OpenAPI document,
// built from libs/contracts at start (the same one `npm run docs:asyncapi` writes to docs/).
import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { buildAsyncApiDocument, EVENT_CATALOG } from '@cc/contracts';
import { Public } from '../auth/auth.decorators';

@ApiExcludeController()
@Controller('docs')
export class AsyncApiController {
  private document: Record<string, unknown> | null = null;

  @Get('asyncapi.json')
  @Public()
  asyncapi(): Record<string, unknown> {
    this.document ??= buildAsyncApiDocument(EVENT_CATALOG, { version: '1' });
    return this.document;
  }
}
