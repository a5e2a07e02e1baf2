// The call flow of one dialled number as an event-sourced aggregate (stream `callflow-{tenant}-{digits}`):
// publishing validates the graph and appends a new VERSION carrying the whole flow (calls in progress keep
// theirs); retiring makes the number "not routable". Publishing the flow that is already current changes
// nothing, so a retried publish does not mint a version. Pure: no clock, no I/O.
import {
  CALL_ROUTER_ERRORS,
  DEFAULT_CALL_FLOW_SETTINGS,
  DomainError,
  type CallFlowDefinition,
  type CallFlowDefinitionInput,
  type CallFlowEvent,
} from '@cc/contracts';
import { assertValidCallFlow } from './call-flow.validator';

export type CallFlowState =
  | { readonly status: 'none' }
  | { readonly status: 'published'; readonly number: string; readonly version: number; readonly flow: CallFlowDefinition }
  | { readonly status: 'retired'; readonly number: string; readonly version: number; readonly flow: CallFlowDefinition };

export type CallFlowCommand =
  | {
      readonly type: 'PublishCallFlow';
      /** The number the request addresses (path); the flow must be for it. */
      readonly number: string;
      readonly flow: CallFlowDefinitionInput;
      /** Optimistic concurrency on versions: the version the editor started from (0: no flow yet). */
      readonly expectedVersion?: number;
    }
  | { readonly type: 'RetireCallFlow'; readonly number: string; readonly reason: string | null };

export const initialState = (): CallFlowState => ({ status: 'none' });

export function evolve(state: CallFlowState, event: CallFlowEvent): CallFlowState {
  switch (event.type) {
    case 'CallFlowPublished':
      return { status: 'published', number: event.data.number, version: event.data.version, flow: event.data.flow };
    case 'CallFlowRetired':
      if (state.status === 'none') return state; // a retirement always follows a publication in its stream
      return { status: 'retired', number: state.number, version: event.data.version, flow: state.flow };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function decide(command: CallFlowCommand, state: CallFlowState): CallFlowEvent[] {
  switch (command.type) {
    case 'PublishCallFlow': {
      if (command.flow.number !== command.number) {
        throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', `the flow is for ${command.flow.number}, not ${command.number}`, [
          { path: 'flow.number', message: `must be ${command.number} (the number in the path)` },
        ]);
      }
      const current = state.status === 'none' ? 0 : state.version;
      if (command.expectedVersion !== undefined && command.expectedVersion !== current) {
        const { code, kind } = CALL_ROUTER_ERRORS.FLOW_VERSION_CONFLICT;
        throw new DomainError(
          code,
          kind,
          `the call flow of ${command.number} is at version ${current}, not ${command.expectedVersion}: reload it and publish again`,
          [{ path: 'expectedVersion', message: `current version is ${current}` }],
          { currentVersion: current },
        );
      }
      const flow: CallFlowDefinition = { ...command.flow, settings: { ...DEFAULT_CALL_FLOW_SETTINGS, ...command.flow.settings } };
      assertValidCallFlow(flow);
      if (state.status === 'published' && sameJson(state.flow, flow)) return [];
      return [{ type: 'CallFlowPublished', data: { number: command.number, version: current + 1, flow } }];
    }
    case 'RetireCallFlow': {
      if (state.status === 'none') {
        const { code, kind } = CALL_ROUTER_ERRORS.FLOW_NOT_FOUND;
        throw new DomainError(code, kind, `${command.number} has no call flow`, [{ path: 'number', message: 'no call flow was published for it' }]);
      }
      if (state.status === 'retired') return [];
      return [{ type: 'CallFlowRetired', data: { number: command.number, version: state.version, reason: command.reason } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const callFlowDecider = { initialState, evolve, decide };

/** Structural equality of two JSON values, key order ignored (flows come from JSON). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
