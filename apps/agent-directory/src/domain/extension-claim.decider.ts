// Extension numbers are unique per tenant, but each agent is its own stream, so no single agent stream can
// see a duplicate. One small stream per number (`extension-{tenant}-{ext}`) is the reservation: the event
// store's expected-revision check makes "two agents grab 2001 at once" end with exactly one holder.
//
// The flow the adapter follows (docs: ./consistency-flows.md):
//   register: claim the extension, then enrol in the org, then append AgentRegistered;
//             on refusal after the claim, release it;
//   change:   claim the new extension, append AgentExtensionChanged, release the old one;
//   remove:   append AgentRemoved, then release the extension.
// Claim and release are appended with the revision the claim stream was read at ('no_stream' when it has
// no events yet), so a racing claimer gets ExpectedRevisionConflict, re-reads, and is refused EXTENSION_TAKEN.
import { AGENT_DIRECTORY_ERRORS as E, type Decider, type ExtensionClaimEvent } from '@cc/contracts';
import { directoryError } from './directory-error';

export type ExtensionClaimState =
  | { status: 'free' }
  | { status: 'claimed'; extension: string; agentId: string };

export type ClaimExtension = { type: 'ClaimExtension'; extension: string; agentId: string };
export type ReleaseExtension = { type: 'ReleaseExtension'; extension: string; agentId: string };
export type ExtensionClaimCommand = ClaimExtension | ReleaseExtension;

export const initialExtensionClaimState = (): ExtensionClaimState => ({ status: 'free' });

export function evolveExtensionClaim(_state: ExtensionClaimState, event: ExtensionClaimEvent): ExtensionClaimState {
  switch (event.type) {
    case 'ExtensionClaimed':
      return { status: 'claimed', extension: event.data.extension, agentId: event.data.agentId };
    case 'ExtensionReleased':
      return { status: 'free' };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function decideExtensionClaim(command: ExtensionClaimCommand, state: ExtensionClaimState): ExtensionClaimEvent[] {
  switch (command.type) {
    case 'ClaimExtension': {
      if (state.status === 'free') {
        return [{ type: 'ExtensionClaimed', data: { extension: command.extension, agentId: command.agentId } }];
      }
      // A retried claim by the holder (the adapter crashed after claiming) is a no-op, not a conflict.
      if (state.agentId === command.agentId) return [];
      throw directoryError(
        E.EXTENSION_TAKEN,
        `Extension ${command.extension} is already in use by another agent`,
        [{ path: 'extension', message: 'is already in use' }],
        { extension: command.extension, heldBy: state.agentId },
      );
    }
    case 'ReleaseExtension': {
      if (state.status === 'free') return [];
      if (state.agentId !== command.agentId) {
        throw directoryError(
          E.EXTENSION_CLAIM_NOT_HELD,
          `Agent ${command.agentId} cannot release extension ${command.extension}: another agent holds it`,
          [],
          { extension: command.extension, heldBy: state.agentId },
        );
      }
      return [{ type: 'ExtensionReleased', data: { extension: command.extension, agentId: command.agentId } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const extensionClaimDecider: Decider<ExtensionClaimState, ExtensionClaimCommand, ExtensionClaimEvent> = {
  initialState: initialExtensionClaimState,
  evolve: evolveExtensionClaim,
  decide: decideExtensionClaim,
};
