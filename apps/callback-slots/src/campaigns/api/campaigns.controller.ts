// HTTP API of campaigns for the contact-center campaign system: configure a campaign, submit callbacks
// in bulk (a result per item), read progress and counts, cancel a whole campaign. Licence-gated.
import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  CampaignIdSchema,
  CampaignViewSchema,
  CancelCampaignRequestSchema,
  CancelCampaignResponseSchema,
  ConfigureCampaignRequestSchema,
  SubmitCampaignItemsRequestSchema,
  SubmitCampaignItemsResponseSchema,
  type CampaignView,
  type CancelCampaignResponse,
  type SubmitCampaignItemsResponse,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, RequirePrivileges, zod, type Principal } from '@cc/platform';
import { z } from 'zod';
import { CallSlotsLicenceGuard } from '../../access/call-slots-licence.guard';
import { CALL_SLOTS_READ, CALL_SLOTS_WRITE } from '../../api/privileges';
import { CampaignSubmitter } from '../application/campaign-submitter';
import { CampaignsService } from '../application/campaigns.service';

const ConfigureBodySchema = ConfigureCampaignRequestSchema.omit({ campaignId: true });
const SubmitBodySchema = SubmitCampaignItemsRequestSchema.omit({ campaignId: true });
const CancelBodySchema = CancelCampaignRequestSchema.omit({ campaignId: true });
const campaignIdOf = (raw: string): string => parseOrThrow(CampaignIdSchema, raw, 'params.campaignId');

@ApiTags('campaigns')
@UseGuards(CallSlotsLicenceGuard)
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly submitter: CampaignSubmitter,
  ) {}

  @Put(':campaignId')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: ConfigureBodySchema, response: CampaignViewSchema, errors: [400, 403, 409] })
  configure(@Param('campaignId') campaignId: string, @Body(zod(ConfigureBodySchema)) body: z.infer<typeof ConfigureBodySchema>, @CurrentPrincipal() principal: Principal): Promise<CampaignView> {
    return this.campaigns.configure(principal.tenantId, { ...body, campaignId: campaignIdOf(campaignId) }, principal.subject);
  }

  @Get(':campaignId')
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: CampaignViewSchema, errors: [404] })
  view(@Param('campaignId') campaignId: string, @CurrentPrincipal() principal: Principal): Promise<CampaignView> {
    return this.campaigns.view(principal.tenantId, campaignIdOf(campaignId));
  }

  /** 200 with a result per item (each with the status it would have on its own); 404 / 409 for the campaign as a whole. */
  @Post(':campaignId/items')
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: SubmitBodySchema, response: SubmitCampaignItemsResponseSchema, errors: [400, 403, 404, 409] })
  submit(@Param('campaignId') campaignId: string, @Body(zod(SubmitBodySchema)) body: z.infer<typeof SubmitBodySchema>, @CurrentPrincipal() principal: Principal): Promise<SubmitCampaignItemsResponse> {
    return this.submitter.submit(
      { tenantId: principal.tenantId, actor: principal.subject, profile: principal.callSlotProfile },
      campaignIdOf(campaignId),
      body.items,
    );
  }

  @Post(':campaignId/cancel')
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: CancelBodySchema, response: CancelCampaignResponseSchema, errors: [403, 404] })
  cancel(@Param('campaignId') campaignId: string, @Body(zod(CancelBodySchema)) body: z.infer<typeof CancelBodySchema>, @CurrentPrincipal() principal: Principal): Promise<CancelCampaignResponse> {
    return this.campaigns.cancel(principal.tenantId, campaignIdOf(campaignId), body.reason ?? null, principal.subject);
  }
}
