// Campaign use-cases besides the bulk submit: configure (name, cap per time slot), read progress and
// counts, and cancel a whole campaign (no more items; every booking it made is cancelled).
import { Injectable, Logger } from '@nestjs/common';
import { CommandExecutor } from '@cc/platform';
import { BookingService } from '../../bookings/booking.service';
import {
  toCampaignStreamId,
  type CampaignEvent,
  type CampaignView,
  type CancelCampaignResponse,
  type ConfigureCampaignRequest,
} from '@cc/contracts';
import { campaignDecider, campaignNotFound, type CampaignCommand, type CampaignState } from '../domain/campaign.decider';
import { CampaignsProjectionRunner } from '../projections/campaigns.projection-runner';
import { CampaignsRepository } from '../projections/campaigns.repository';
import { CampaignSubmitter } from './campaign-submitter';

/** Bookings cancelled at once while a campaign is cancelled. */
const CANCEL_CONCURRENCY = 8;

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger('CampaignsService');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly bookings: BookingService,
    private readonly repository: CampaignsRepository,
    private readonly projection: CampaignsProjectionRunner,
    private readonly submitter: CampaignSubmitter,
  ) {}

  async configure(tenantId: string, request: ConfigureCampaignRequest, actor: string): Promise<CampaignView> {
    await this.execute(tenantId, { type: 'ConfigureCampaign', campaignId: request.campaignId, name: request.name, capPerTimeSlot: request.capPerTimeSlot }, actor);
    return this.view(tenantId, request.campaignId);
  }

  async view(tenantId: string, campaignId: string): Promise<CampaignView> {
    const { state, revision } = await this.executor.load(toCampaignStreamId(tenantId, campaignId), campaignDecider);
    if (state.status === 'NotConfigured') throw campaignNotFound(campaignId);
    return {
      campaignId,
      name: state.name,
      capPerTimeSlot: state.capPerTimeSlot,
      status: state.status === 'Active' ? 'active' : 'cancelled',
      counts: await this.repository.counts(tenantId, campaignId),
      inProgress: this.submitter.inProgress(tenantId, campaignId).map(({ submissionId, done, total, startedAt }) => ({ submissionId, done, total, startedAt })),
      revision: revision ?? 0,
    };
  }

  /**
   * Cancels the campaign, then every booking it made that is still booked. Safe to call again: a retry
   * after a crash cancels what is left. Bookings of submits still running when it was cancelled are
   * cancelled by those submits themselves.
   */
  async cancel(tenantId: string, campaignId: string, reason: string | null, actor: string): Promise<CancelCampaignResponse> {
    await this.execute(tenantId, { type: 'CancelCampaign', campaignId, reason }, actor);
    await this.projection.caughtUp();
    const startedAt = Date.now();
    let bookingsCancelled = 0;
    let alreadyCancelled = 0;
    for await (const page of this.repository.liveBookingIds(tenantId, campaignId)) {
      for (let i = 0; i < page.length; i += CANCEL_CONCURRENCY) {
        await Promise.all(
          page.slice(i, i + CANCEL_CONCURRENCY).map(async (bookingId) => {
            const view = await this.bookings.cancel({ tenantId, bookingId, note: `campaign ${campaignId} cancelled`, actor });
            // Cancelled before this call started (by someone else, or a cancel still being projected).
            if (view.cancelledAt !== null && Date.parse(view.cancelledAt) < startedAt - 1) alreadyCancelled++;
            else bookingsCancelled++;
          }),
        );
      }
      this.logger.log(`campaign ${tenantId}/${campaignId}: ${bookingsCancelled} bookings cancelled so far`);
    }
    return { campaignId, status: 'cancelled', bookingsCancelled, alreadyCancelled };
  }

  private execute(tenantId: string, command: CampaignCommand, actor: string) {
    return this.executor.execute<CampaignState, CampaignCommand, CampaignEvent>({
      streamId: toCampaignStreamId(tenantId, command.campaignId),
      decider: campaignDecider,
      command,
      tenantId,
      actor,
    });
  }
}
