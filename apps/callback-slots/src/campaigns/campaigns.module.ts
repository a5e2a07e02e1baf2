// Campaigns as a module for the composition root: bulk submit (HTTP and NATS) through BookingService,
// caps per time slot, progress and counts, cancel a whole campaign. Its read-model migrations
// (CAMPAIGNS_READ_MODEL_MIGRATIONS) belong in the composition root's ReadModelsModule.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BookingsModule } from '../bookings/bookings.module';
import { CallSlotsModule } from '../call-slots/call-slots.module';
import { CampaignsController } from './api/campaigns.controller';
import { CampaignsNatsController } from './api/campaigns.nats-controller';
import { CampaignCapLock } from './application/campaign-cap.lock';
import { CampaignSubmitter } from './application/campaign-submitter';
import { CampaignsService } from './application/campaigns.service';
import { Campaigns1700000000900 } from './projections/1700000000900-campaigns.migration';
import { CampaignsProjectionRunner } from './projections/campaigns.projection-runner';
import { CampaignsRepository } from './projections/campaigns.repository';

export const CAMPAIGNS_READ_MODEL_MIGRATIONS = [Campaigns1700000000900];

@Module({
  imports: [AccessModule, BookingsModule, CallSlotsModule],
  controllers: [CampaignsController, CampaignsNatsController],
  providers: [CampaignCapLock, CampaignSubmitter, CampaignsService, CampaignsRepository, CampaignsProjectionRunner],
  exports: [CampaignsService, CampaignSubmitter],
})
export class CampaignsModule {}
