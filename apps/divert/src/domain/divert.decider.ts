// The divert aggregate: the rules of ONE extension of a tenant (stream `divert-{tenant}-{extension}`).
// Pure decide/evolve; the adapter passes in the clock, the directory replica and the tenant's other rules.
import {
  DIVERT_ERRORS,
  DomainError,
  defaultDivertRules,
  type CountryCode,
  type Decider,
  type DivertCondition,
  type DivertEvent,
  type DivertRule,
  type DivertRules,
  type DivertRulesInput,
} from '@cc/contracts';
import { findDivertLoop, type DivertRuleSets } from './divert-loop';
import { changedConditions } from './divert-rules-diff';
import {
  applyDivertRuleChange,
  normaliseDivertRules,
  type DivertRuleChange,
  type DivertViolation,
  type RuleInputContext,
} from './normalise-divert-rules';

export type DivertState =
  /** No event yet: every divert off. */
  | { status: 'unconfigured' }
  | { status: 'configured'; extension: string; rules: DivertRules }
  /** The extension was removed from the directory. If the number is created again, it starts from defaults. */
  | { status: 'removed'; extension: string };

type CommandBase = {
  extension: string;
  /** When the command is handled (the adapter's clock). */
  now: Date;
  /** Why, as the operator or the system gave it; carried into the event. */
  reason: string | null;
};

/** What an operator's change needs to be checked (all supplied by the adapter from local replicas). */
type EditContext = CommandBase & {
  /** Extensions that exist in agent-directory. */
  knownExtensions: { has(extension: string): boolean };
  /** Current rules of the tenant's extensions, for loop detection (may or may not include this one). */
  ruleSets: DivertRuleSets;
};

export type SetDivertRule = EditContext & { type: 'SetDivertRule'; defaultCountry: CountryCode } & DivertRuleChange;
export type ClearDivertRule = EditContext & { type: 'ClearDivertRule'; condition: DivertCondition };
/** Replace all rules of an extension: the single-extension PUT and each item of a bulk update. */
export type ReplaceDivertRules = EditContext & {
  type: 'ReplaceDivertRules';
  defaultCountry: CountryCode;
  rules: DivertRulesInput;
};
/** agent-directory removed `removedExtension`; rules of this extension that forwarded there go to voicemail. */
export type MarkTargetOrphaned = CommandBase & { type: 'MarkTargetOrphaned'; removedExtension: string };
/** agent-directory removed this extension itself. */
export type RemoveExtensionDiverts = CommandBase & { type: 'RemoveExtensionDiverts' };

export type DivertCommand =
  | SetDivertRule
  | ClearDivertRule
  | ReplaceDivertRules
  | MarkTargetOrphaned
  | RemoveExtensionDiverts;

export const initialState = (): DivertState => ({ status: 'unconfigured' });

export function evolve(_state: DivertState, event: DivertEvent): DivertState {
  switch (event.type) {
    case 'DivertRuleSet':
    case 'DivertRulesReplaced':
    case 'DivertRuleCleared':
    case 'DivertTargetOrphaned':
      // Every change event carries the complete resulting rules: no merging, no reliance on `state`.
      return { status: 'configured', extension: event.data.extension, rules: event.data.rules };
    case 'DivertExtensionRemoved':
      return { status: 'removed', extension: event.data.extension };
    default: {
      const _exhaustive: never = event;
      throw new Error(`unhandled divert event ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export function decide(command: DivertCommand, state: DivertState): DivertEvent[] {
  switch (command.type) {
    case 'SetDivertRule': {
      requireKnown(command);
      const current = rulesOf(state);
      const { rules, violations } = applyDivertRuleChange(current, command, inputContext(command));
      refuseViolations(violations);
      if (changedConditions(current, rules).length === 0) return [];
      refuseLoop(command, current, rules);
      const { extension, condition, reason } = command;
      return [{ type: 'DivertRuleSet', data: { extension, condition, rules, reason } }];
    }
    case 'ClearDivertRule': {
      requireKnown(command);
      const current = rulesOf(state);
      const rules: DivertRules = { ...current, [command.condition]: defaultDivertRules()[command.condition] };
      if (changedConditions(current, rules).length === 0) return [];
      // Clearing can close a loop too: turning off an active always-divert exposes the other rules.
      refuseLoop(command, current, rules);
      const { extension, condition, reason } = command;
      return [{ type: 'DivertRuleCleared', data: { extension, condition, rules, reason } }];
    }
    case 'ReplaceDivertRules': {
      requireKnown(command);
      const current = rulesOf(state);
      const { rules, violations } = normaliseDivertRules(command.rules, inputContext(command));
      refuseViolations(violations);
      const changed = changedConditions(current, rules);
      if (changed.length === 0) return [];
      refuseLoop(command, current, rules);
      const { extension, reason } = command;
      return [{ type: 'DivertRulesReplaced', data: { extension, changedConditions: changed, rules, reason } }];
    }
    case 'MarkTargetOrphaned': {
      if (state.status !== 'configured') return [];
      // Same window, voicemail of THIS extension: the caller still reaches someone's mailbox, and a
      // reused extension number never inherits calls meant for the person who left.
      const orphaned = <R extends DivertRule>(rule: R): R =>
        rule.target.kind === 'extension' && rule.target.extension === command.removedExtension
          ? { ...rule, target: { kind: 'voicemail' } }
          : rule;
      const current = state.rules;
      const rules: DivertRules = {
        always: orphaned(current.always),
        noAnswer: orphaned(current.noAnswer),
        busy: orphaned(current.busy),
        unreachable: orphaned(current.unreachable),
      };
      const conditions = changedConditions(current, rules);
      if (conditions.length === 0) return [];
      const { extension, removedExtension, reason } = command;
      return [{ type: 'DivertTargetOrphaned', data: { extension, removedExtension, conditions, rules, reason } }];
    }
    case 'RemoveExtensionDiverts':
      // Nothing was ever configured (or it is already removed): nothing to remove, nothing to tell replicas.
      if (state.status !== 'configured') return [];
      return [{ type: 'DivertExtensionRemoved', data: { extension: command.extension, reason: command.reason } }];
    default: {
      const _exhaustive: never = command;
      throw new Error(`unhandled divert command ${JSON.stringify(_exhaustive)}`);
    }
  }
}

export const divertDecider: Decider<DivertState, DivertCommand, DivertEvent> = { initialState, evolve, decide };

/** The rules a change starts from. After removal, an extension created again starts from defaults. */
function rulesOf(state: DivertState): DivertRules {
  switch (state.status) {
    case 'configured':
      return state.rules;
    case 'unconfigured':
    case 'removed':
      return defaultDivertRules();
    default: {
      const _exhaustive: never = state;
      throw new Error(`unhandled divert state ${JSON.stringify(_exhaustive)}`);
    }
  }
}

function inputContext(command: SetDivertRule | ReplaceDivertRules): RuleInputContext {
  return {
    extension: command.extension,
    knownExtensions: command.knownExtensions,
    defaultCountry: command.defaultCountry,
    now: command.now,
  };
}

function requireKnown(command: EditContext): void {
  if (command.knownExtensions.has(command.extension)) return;
  const message = `extension ${command.extension} does not exist`;
  const { code, kind } = DIVERT_ERRORS.UNKNOWN_EXTENSION;
  throw new DomainError(code, kind, message, [{ path: 'extension', message }], { extension: command.extension });
}

/** One error for all violations: code and kind of the first, every field error listed, each code in `details`. */
function refuseViolations(violations: DivertViolation[]): void {
  const [first] = violations;
  if (!first) return;
  const message = violations.length === 1 ? first.message : `${first.message} (and ${violations.length - 1} more)`;
  throw new DomainError(
    first.code,
    first.kind,
    message,
    violations.map(({ path, message: m }) => ({ path, message: m })),
    { violations: violations.map(({ code, path }) => ({ code, path })) },
  );
}

function refuseLoop(command: EditContext, current: DivertRules, proposed: DivertRules): void {
  const loop = findDivertLoop(command.ruleSets, command.extension, proposed, command.now, current);
  if (!loop) return;
  const message = `divert loop ${loop.chain.join(' -> ')} (${loop.conditions.join(', ')}) from ${loop.at}`;
  throw new DomainError(
    DIVERT_ERRORS.LOOP.code,
    DIVERT_ERRORS.LOOP.kind,
    message,
    [{ path: `rules.${loop.conditions[0]}.target.extension`, message }],
    { chain: loop.chain, conditions: loop.conditions, at: loop.at },
  );
}
