// A campaign (`campaign-{tenant}-{campaignId}`): its name and cap per time slot, and whether it still
// takes items. Pure decide/evolve; configuring the same settings again, or cancelling twice, is a no-op.
import { CAMPAIGN_ERRORS, DomainError, type CampaignEvent } from '@cc/contracts';

export type CampaignSettings = { readonly name: string; readonly capPerTimeSlot: number | null };

export type CampaignState =
  | { readonly status: 'NotConfigured' }
  | ({ readonly status: 'Active' } & CampaignSettings)
  | ({ readonly status: 'Cancelled'; readonly reason: string | null } & CampaignSettings);

export const initialCampaignState = (): CampaignState => ({ status: 'NotConfigured' });

export type ConfigureCampaign = { type: 'ConfigureCampaign'; campaignId: string; name: string; capPerTimeSlot: number | null };
export type CancelCampaign = { type: 'CancelCampaign'; campaignId: string; reason: string | null };
export type CampaignCommand = ConfigureCampaign | CancelCampaign;

export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'ConfigureCampaign': {
      if (state.status === 'Cancelled') throw campaignCancelled(command.campaignId);
      if (state.status === 'Active' && state.name === command.name && state.capPerTimeSlot === command.capPerTimeSlot) return [];
      return [{ type: 'CampaignConfigured', data: { campaignId: command.campaignId, name: command.name, capPerTimeSlot: command.capPerTimeSlot } }];
    }
    case 'CancelCampaign':
      if (state.status === 'NotConfigured') throw campaignNotFound(command.campaignId);
      if (state.status === 'Cancelled') return [];
      return [{ type: 'CampaignCancelled', data: { campaignId: command.campaignId, reason: command.reason } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'CampaignConfigured':
      return { status: 'Active', name: event.data.name, capPerTimeSlot: event.data.capPerTimeSlot };
    case 'CampaignCancelled':
      if (state.status === 'NotConfigured') throw new Error(`campaign ${event.data.campaignId} cancelled before it was configured`);
      return { status: 'Cancelled', name: state.name, capPerTimeSlot: state.capPerTimeSlot, reason: event.data.reason };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const campaignDecider = { initialState: initialCampaignState, evolve: evolveCampaign, decide: decideCampaign };

/** A campaign takes items only while active: 404 before it is configured, 409 once cancelled. */
export function assertTakesItems(campaignId: string, state: CampaignState): asserts state is Extract<CampaignState, { status: 'Active' }> {
  if (state.status === 'NotConfigured') throw campaignNotFound(campaignId);
  if (state.status === 'Cancelled') throw campaignCancelled(campaignId);
}

export const campaignNotFound = (campaignId: string): DomainError => {
  const { code, kind } = CAMPAIGN_ERRORS.CAMPAIGN_NOT_FOUND;
  return new DomainError(code, kind, `no campaign ${campaignId}: configure it first (PUT /v1/campaigns/${campaignId})`, [
    { path: 'campaignId', message: 'unknown campaign' },
  ]);
};

const campaignCancelled = (campaignId: string): DomainError => {
  const { code, kind } = CAMPAIGN_ERRORS.CAMPAIGN_CANCELLED;
  return new DomainError(code, kind, `campaign ${campaignId} was cancelled`, [{ path: 'campaignId', message: 'cancelled' }]);
};
