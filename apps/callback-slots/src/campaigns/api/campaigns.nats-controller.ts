// NATS request-reply API of campaigns (`callback-slots.campaign-submit`): the campaign system streams
// its items as a series of requests (at most 500 items each) and gets a result per item. Licence-gated.
import { Controller, UseGuards } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { parseOrThrow } from '@cc/platform';
import { CallSlotsLicenceGuard } from '../../access/call-slots-licence.guard';
import { CampaignRpc, type SubmitCampaignItemsResponse } from '@cc/contracts';
import { CampaignSubmitter } from '../application/campaign-submitter';

@UseGuards(CallSlotsLicenceGuard)
@Controller()
export class CampaignsNatsController {
  constructor(private readonly submitter: CampaignSubmitter) {}

  @MessagePattern(CampaignRpc.submitItems.subject)
  submit(@Payload() message: unknown): Promise<SubmitCampaignItemsResponse> {
    const request = parseOrThrow(CampaignRpc.submitItems.request, message);
    return this.submitter.submit({ tenantId: request.tenantId, actor: request.actor }, request.payload.campaignId, request.payload.items);
  }
}
