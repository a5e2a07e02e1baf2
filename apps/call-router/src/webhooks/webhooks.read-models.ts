// The webhooks' TypeORM entities and migrations, for the composition root's ReadModelsModule.forRoot.
import { Webhooks1700000200000 } from './migrations/1700000200000-webhooks.migration';
import { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export const WEBHOOK_ENTITIES = [WebhookEndpointEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity];
export const WEBHOOK_MIGRATIONS = [Webhooks1700000200000];
