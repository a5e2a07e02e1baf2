// A call slot's callback firing setting (`callbackfiring-{tenant}-{callSlotId}`): at the occurrence
// start, or spread over its first minutes. Pure decide/evolve; setting the same value again is a no-op.
import { DEFAULT_CALLBACK_FIRING, type CallbackFiring, type CallbackFiringEvent } from '@cc/contracts';

export type CallbackFiringState = { readonly status: 'Default' } | { readonly status: 'Set'; readonly firing: CallbackFiring };

export const initialCallbackFiringState = (): CallbackFiringState => ({ status: 'Default' });

export type SetCallbackFiring = { type: 'SetCallbackFiring'; callSlotId: string; firing: CallbackFiring };

export function decideCallbackFiring(command: SetCallbackFiring, state: CallbackFiringState): CallbackFiringEvent[] {
  if (sameFiring(firingOf(state), command.firing) && state.status === 'Set') return [];
  return [{ type: 'CallbackFiringSet', data: { callSlotId: command.callSlotId, firing: command.firing } }];
}

export function evolveCallbackFiring(_state: CallbackFiringState, event: CallbackFiringEvent): CallbackFiringState {
  switch (event.type) {
    case 'CallbackFiringSet':
      return { status: 'Set', firing: event.data.firing };
    default: {
      const _exhaustive: never = event.type;
      return _exhaustive;
    }
  }
}

export const callbackFiringDecider = { initialState: initialCallbackFiringState, evolve: evolveCallbackFiring, decide: decideCallbackFiring };

/** The firing in force (the default until one was set). */
export const firingOf = (state: CallbackFiringState): CallbackFiring => (state.status === 'Set' ? state.firing : DEFAULT_CALLBACK_FIRING);

const sameFiring = (a: CallbackFiring, b: CallbackFiring): boolean =>
  a.mode === b.mode && (a.mode === 'at-start' || (b.mode === 'spread' && a.withinMinutes === b.withinMinutes));
