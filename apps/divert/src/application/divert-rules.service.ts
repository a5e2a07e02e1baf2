// The divert service's application layer: every HTTP route and NATS handler calls exactly one of these.
// Edits run under the tenant's edit lock on read models that have caught up, load the extension's
// stream, decide with the pure divert decider and append with optimistic concurrency.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { z } from 'zod';
import {
  DEFAULT_DIVERT_HOP_LIMIT,
  DIVERT_CONDITIONS,
  DIVERT_ERRORS,
  DomainError,
  defaultDivertRules,
  toDivertStreamId,
  type BulkDivertItemResult,
  type BulkReplaceDivertRulesRequest,
  type BulkReplaceDivertRulesResponse,
  type ClearDivertRuleRequest,
  type CountryCode,
  type DivertAuditRequest,
  type DivertAuditResponse,
  type DivertChangeResult,
  type DivertCondition,
  type DivertEvent,
  type DivertResolution,
  type DivertRules,
  type DivertRulesInput,
  type DivertRulesView,
  type EffectiveDivertRequest,
  type EffectiveDivertResponse,
  type GetDivertRulesRequest,
  type ListDivertRulesRequest,
  type ListDivertRulesResponse,
  type ReplaceDivertRulesRequest,
  type SetDivertRuleRequest,
} from '@cc/contracts';
import { CLOCK, CommandExecutor, Metrics, SERVICE_CONFIG, toProblem, type Clock } from '@cc/platform';
import { DEFAULT_DIVERT_COUNTRY, type DivertConfig } from '../config';
import { DirectoryReplicaRepository } from '../directory/directory-replica.repository';
import { divertRuleSetsOf, followDivertChain } from '../domain/divert-loop';
import { divertDecider, type DivertCommand, type DivertState } from '../domain/divert.decider';
import { effectiveDivertView } from '../domain/effective-divert';
import { DivertRulesProjectionRunner } from '../projections/divert-rules.projection-runner';
import { DivertRulesRepository, type AuditCursor } from '../projections/divert-rules.repository';
import type { DivertCaller } from './divert-caller';
import { TenantEditLock } from './tenant-edit-lock';

/** What an operator's change is checked against, read once per request under the tenant's lock. */
type EditContext = {
  now: Date;
  knownExtensions: ReadonlySet<string>;
  /** The tenant's divert graph (rules that forward to an extension); bulk updates add accepted items to it. */
  forwarding: Map<string, DivertRules>;
  defaultCountry: CountryCode;
};

/**
 * For loop detection an extension without a row has no edges, which is what default rules say too, so
 * the graph needs no directory lookup (`findDivertLoop` reads only forwards).
 */
const ANY_EXTENSION = { has: () => true };
const AgentIdSchema = z.uuid();

@Injectable()
export class DivertRulesService {
  private readonly logger = new Logger('DivertRulesService');
  private readonly defaultCountry: CountryCode;
  private readonly changes: Counter<'command' | 'outcome'>;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly rules: DivertRulesRepository,
    private readonly directory: DirectoryReplicaRepository,
    private readonly projection: DivertRulesProjectionRunner,
    private readonly lock: TenantEditLock,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: Partial<DivertConfig>,
    metrics: Metrics,
  ) {
    this.defaultCountry = config.DIVERT_DEFAULT_COUNTRY ?? DEFAULT_DIVERT_COUNTRY;
    this.changes = metrics.counter('divert_changes_total', 'Divert rule changes by command and outcome', ['command', 'outcome']);
  }

  async getRules(caller: DivertCaller, request: GetDivertRulesRequest): Promise<DivertRulesView> {
    const { extension } = request;
    await this.ensureAccess(caller, extension);
    const { state, revision } = await this.executor.load(toDivertStreamId(caller.tenantId, extension), divertDecider);
    if (state.status === 'unconfigured' && !(await this.directory.existing(caller.tenantId, [extension])).has(extension)) {
      throw unknownExtension(extension);
    }
    return { extension, status: state.status, rules: rulesOfState(state), revision: revision ?? -1 };
  }

  async setRule(caller: DivertCaller, request: SetDivertRuleRequest): Promise<DivertChangeResult> {
    const { extension, target } = request;
    return this.edit(caller, 'set', extension, target.kind === 'extension' ? [target.extension] : [], (ctx) => ({
      type: 'SetDivertRule',
      extension,
      now: ctx.now,
      reason: request.reason ?? null,
      knownExtensions: ctx.knownExtensions,
      ruleSets: divertRuleSetsOf(ctx.forwarding, ANY_EXTENSION),
      defaultCountry: ctx.defaultCountry,
      ...(request.condition === 'noAnswer'
        ? { condition: 'noAnswer', target, validity: request.validity, ringSeconds: request.ringSeconds }
        : { condition: request.condition, target, validity: request.validity }),
    }), request.expectedRevision);
  }

  async clearRule(caller: DivertCaller, request: ClearDivertRuleRequest): Promise<DivertChangeResult> {
    const { extension, condition } = request;
    return this.edit(caller, 'clear', extension, [], (ctx) => ({
      type: 'ClearDivertRule',
      extension,
      condition,
      now: ctx.now,
      reason: request.reason ?? null,
      knownExtensions: ctx.knownExtensions,
      ruleSets: divertRuleSetsOf(ctx.forwarding, ANY_EXTENSION),
    }), request.expectedRevision);
  }

  async replaceRules(caller: DivertCaller, request: ReplaceDivertRulesRequest): Promise<DivertChangeResult> {
    const { extension, rules } = request;
    return this.edit(caller, 'replace', extension, extensionTargetsOf(rules), (ctx) => ({
      type: 'ReplaceDivertRules',
      extension,
      rules,
      now: ctx.now,
      reason: request.reason ?? null,
      knownExtensions: ctx.knownExtensions,
      ruleSets: divertRuleSetsOf(ctx.forwarding, ANY_EXTENSION),
      defaultCountry: ctx.defaultCountry,
    }), request.expectedRevision);
  }

  /**
   * Items in order, each on its own (one extension = one stream = atomic); an item sees the items
   * accepted before it (two items that together close a loop: the second is rejected).
   */
  async bulkReplaceRules(caller: DivertCaller, request: BulkReplaceDivertRulesRequest): Promise<BulkReplaceDivertRulesResponse> {
    requireTenantScope(caller);
    const mentioned = request.items.flatMap((item) => [item.extension, ...extensionTargetsOf(item.rules)]);
    return this.lock.run(caller.tenantId, async () => {
      const ctx = await this.editContext(caller.tenantId, mentioned);
      const results: BulkDivertItemResult[] = [];
      for (const item of request.items) {
        try {
          const result = await this.execute(caller, 'bulk', item.extension, item.expectedRevision, {
            type: 'ReplaceDivertRules',
            extension: item.extension,
            rules: item.rules,
            now: ctx.now,
            reason: request.reason ?? null,
            knownExtensions: ctx.knownExtensions,
            ruleSets: divertRuleSetsOf(ctx.forwarding, ANY_EXTENSION),
            defaultCountry: ctx.defaultCountry,
          });
          ctx.forwarding.set(item.extension, result.rules);
          const { extension, rules, revision } = result;
          results.push({ extension, status: result.changed ? 'changed' : 'unchanged', rules, revision });
        } catch (error) {
          results.push({ extension: item.extension, status: 'rejected', problem: this.problemOf(error) });
        }
      }
      return { results };
    });
  }

  async effectiveDivert(caller: DivertCaller, request: EffectiveDivertRequest): Promise<EffectiveDivertResponse> {
    const { extension } = request;
    await this.ensureAccess(caller, extension);
    await this.projection.caughtUp();
    const at = request.at === undefined ? this.clock.now() : new Date(request.at);
    // Every extension a chain from here can reach is in the graph or a target of it.
    const forwarding = await this.rules.forwardingRules(caller.tenantId);
    const involved = new Set([extension, ...forwarding.keys(), ...[...forwarding.values()].flatMap(forwardTargetsOf)]);
    const [configured, existing] = await Promise.all([
      this.rules.rulesOf(caller.tenantId, [...involved]),
      this.directory.existing(caller.tenantId, [...involved]),
    ]);
    const ruleSets = divertRuleSetsOf(configured, existing);
    const resolved = {} as Record<DivertCondition, DivertResolution>;
    // Throws DIVERT.UNKNOWN_EXTENSION (404) when the extension does not exist.
    for (const condition of DIVERT_CONDITIONS) {
      resolved[condition] = followDivertChain(ruleSets, extension, condition, at, DEFAULT_DIVERT_HOP_LIMIT);
    }
    const view = effectiveDivertView(ruleSets.get(extension) ?? defaultDivertRules(), at);
    return { extension, at: at.toISOString(), ...view, resolved };
  }

  async audit(caller: DivertCaller, request: DivertAuditRequest): Promise<DivertAuditResponse> {
    if (request.extension === undefined) requireTenantScope(caller);
    else await this.ensureAccess(caller, request.extension);
    const after = request.cursor === undefined ? undefined : decodeAuditCursor(request.cursor);
    await this.projection.caughtUp();
    const page = await this.rules.auditPage({
      tenantId: caller.tenantId,
      extension: request.extension,
      from: request.from,
      to: request.to,
      limit: request.limit,
      after,
    });
    return { entries: page.entries, nextCursor: page.more && page.last ? encodeAuditCursor(page.last) : null };
  }

  async listRules(caller: DivertCaller, request: ListDivertRulesRequest): Promise<ListDivertRulesResponse> {
    requireTenantScope(caller);
    await this.projection.caughtUp();
    const { items, total } = await this.rules.list(caller.tenantId, request);
    return { items, total, page: request.page, pageSize: request.pageSize };
  }

  /** One extension's change under the tenant's lock: read the context, decide, append. */
  private async edit(
    caller: DivertCaller,
    command: string,
    extension: string,
    targets: string[],
    build: (ctx: EditContext) => DivertCommand,
    expectedRevision: number | undefined,
  ): Promise<DivertChangeResult> {
    await this.ensureAccess(caller, extension);
    return this.lock.run(caller.tenantId, async () => {
      const ctx = await this.editContext(caller.tenantId, [extension, ...targets]);
      return this.execute(caller, command, extension, expectedRevision, build(ctx));
    });
  }

  /** Call with the tenant's lock held: the read models then hold every change made before it. */
  private async editContext(tenantId: string, mentioned: string[]): Promise<EditContext> {
    await this.projection.caughtUp();
    const [forwarding, knownExtensions, defaultCountry] = await Promise.all([
      this.rules.forwardingRules(tenantId),
      this.directory.existing(tenantId, mentioned),
      this.directory.defaultCountry(tenantId),
    ]);
    return { now: this.clock.now(), forwarding, knownExtensions, defaultCountry: defaultCountry ?? this.defaultCountry };
  }

  private async execute(
    caller: DivertCaller,
    commandName: string,
    extension: string,
    expectedRevision: number | undefined,
    command: DivertCommand,
  ): Promise<DivertChangeResult> {
    try {
      const result = await this.executor.execute<DivertState, DivertCommand, DivertEvent>({
        streamId: toDivertStreamId(caller.tenantId, extension),
        decider: divertDecider,
        command,
        tenantId: caller.tenantId,
        actor: caller.actor,
        // -1 is what a read of a never-configured extension returns: "the stream must not exist yet".
        ...(expectedRevision === undefined ? {} : { expectedRevision: expectedRevision < 0 ? 'no_stream' : expectedRevision }),
      });
      const changed = result.events.length > 0;
      this.changes.inc({ command: commandName, outcome: changed ? 'changed' : 'unchanged' });
      return { extension, changed, rules: rulesOfState(result.state), revision: result.revision ?? -1 };
    } catch (error) {
      this.changes.inc({ command: commandName, outcome: 'rejected' });
      throw error;
    }
  }

  /** An AGENT reaches only the extension their agentId holds in the directory; everyone else the whole tenant. */
  private async ensureAccess(caller: DivertCaller, extension: string): Promise<void> {
    if (caller.scope.kind === 'tenant') return;
    const agentId = AgentIdSchema.safeParse(caller.scope.agentId);
    const own = agentId.success ? await this.directory.extensionOfAgent(caller.tenantId, agentId.data.toLowerCase()) : null;
    if (own === extension) return;
    const { code, kind } = DIVERT_ERRORS.NOT_YOUR_EXTENSION;
    const yours = own === null ? 'your token names no agent with an extension' : `yours is ${own}`;
    throw new DomainError(code, kind, `an agent may only manage the diverts of their own extension (${yours})`, [
      { path: 'extension', message: `not your extension: ${extension}` },
    ]);
  }

  private problemOf(error: unknown) {
    const problem = toProblem(error);
    if (problem.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return problem;
  }
}

function requireTenantScope(caller: DivertCaller): void {
  if (caller.scope.kind === 'tenant') return;
  const { code, kind } = DIVERT_ERRORS.NOT_YOUR_EXTENSION;
  throw new DomainError(code, kind, 'an agent may only manage the diverts of their own extension, not the whole tenant');
}

function unknownExtension(extension: string): DomainError {
  const message = `extension ${extension} does not exist`;
  const { code, kind } = DIVERT_ERRORS.UNKNOWN_EXTENSION;
  return new DomainError(code, kind, message, [{ path: 'extension', message }], { extension });
}

/** The rules an extension has in this state (all off when never configured or removed). */
function rulesOfState(state: DivertState): DivertRules {
  return state.status === 'configured' ? state.rules : defaultDivertRules();
}

function extensionTargetsOf(rules: DivertRulesInput): string[] {
  return DIVERT_CONDITIONS.flatMap((condition) => {
    const target = rules[condition]?.target;
    return target?.kind === 'extension' ? [target.extension] : [];
  });
}

function forwardTargetsOf(rules: DivertRules): string[] {
  return DIVERT_CONDITIONS.flatMap((condition) => {
    const target = rules[condition].target;
    return target.kind === 'extension' ? [target.extension] : [];
  });
}

const AuditCursorSchema = z.tuple([z.iso.datetime(), z.string().regex(/^[0-9]{1,19}$/)]);

function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.seq])).toString('base64url');
}

function decodeAuditCursor(cursor: string): AuditCursor {
  try {
    const [occurredAt, seq] = AuditCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { occurredAt, seq };
  } catch {
    throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [
      { path: 'cursor', message: 'not a cursor returned by this API (use nextCursor as is)' },
    ]);
  }
}
