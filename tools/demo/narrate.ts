// Turning the router's answers into something a newcomer reads: each planned step in a line (what
// rings, for how long, where the call goes if nobody answers) and the trace of why, in the router's words.
import type { PlanStep, RouteDecision, RoutePlan } from '../../libs/e2e/src/client/routing';

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');
export const magenta = paint('35');

export const say = (line = ''): void => void process.stdout.write(`${line}\n`);

export function chapter(title: string, intro: string[]): void {
  say();
  say(bold(cyan(`━━ ${title} ${'━'.repeat(Math.max(3, 86 - title.length))}`)));
  for (const line of intro) say(`  ${line}`);
}

export function scene(text: string): void {
  say();
  say(`  ${bold('▶')} ${bold(text)}`);
}

export const note = (text: string): void => say(`    ${text}`);

/** Agent names for readable targets: by agent id and by extension. */
export type Names = { byAgent: Map<string, string>; byExtension: Map<string, string> };

export function namesOf(agents: { agentId: string; name: string; extension: string }[]): Names {
  return {
    byAgent: new Map(agents.map((a) => [a.agentId, a.name])),
    byExtension: new Map(agents.map((a) => [a.extension, a.name])),
  };
}

const who = (names: Names, agentId: string | null, extension?: string): string => {
  const name = (agentId && names.byAgent.get(agentId)) || (extension && names.byExtension.get(extension));
  return name ? ` (${name})` : '';
};

const promptText = (prompt: { kind: string; text?: string; recordingId?: string } | null): string =>
  prompt === null ? '' : prompt.kind === 'tts' ? `"${prompt.text}"` : `recording ${prompt.recordingId}`;

function edges(on: { noAnswer: string; busy: string; unreachable: string }): string {
  if (on.noAnswer === on.busy && on.busy === on.unreachable) return `if not answered → ${on.noAnswer}`;
  return `no answer → ${on.noAnswer}, busy → ${on.busy}, unreachable → ${on.unreachable}`;
}

export function describeStep(step: PlanStep, names: Names): string {
  switch (step.kind) {
    case 'ring': {
      const targets = step.targets
        .map((t) =>
          t.kind === 'extension'
            ? `extension ${t.extension}${who(names, t.agentId, t.extension)}`
            : `${t.role === 'mobile' ? 'mobile' : 'outside number'} ${t.e164}${who(names, t.agentId)}${t.answerConfirmation ? ' [asks "press 1 to take this call"]' : ''}`,
        )
        .join(' + ');
      return `${green('RING')} ${targets} for ${step.ringSeconds} s; ${dim(edges(step.on))}`;
    }
    case 'menu':
      return `${yellow('MENU')} ${promptText(step.prompt)} ${step.options.map((o) => `${o.digit} → ${o.nodeId}`).join(', ')} ${dim(`(no key after ${step.timeoutSeconds} s: ${step.defaultNodeId})`)}`;
    case 'offerCallback':
      return `${magenta('OFFER A CALLBACK')} in call slot "${step.callSlotId}" (caller's number: ${step.callerCli ?? 'withheld'}); ${dim(`booked → ${step.onBookedNodeId ?? 'hang up'}, declined → ${step.onDeclinedNodeId}`)}`;
    case 'voicemail':
      return `${yellow('VOICEMAIL')} ${step.mailbox.kind === 'extension' ? `box of extension ${step.mailbox.extension}${who(names, step.mailbox.agentId, step.mailbox.extension)}` : `shared box "${step.mailbox.mailboxId}"`}`;
    case 'forward':
      return `${green('FORWARD')} to ${step.e164}${step.forwardedBy ? ` (on behalf of extension ${step.forwardedBy}${who(names, null, step.forwardedBy)})` : ''}${step.ringSeconds ? ` for ${step.ringSeconds} s` : ''}; ${dim(edges(step.on))}`;
    case 'announcement':
      return `${yellow('PLAY')} ${promptText(step.prompt)}, then ${step.next}`;
    case 'hangup':
      return `${yellow('HANG UP')} ${dim(`(${step.reason})`)}${step.prompt ? ` after ${promptText(step.prompt)}` : ''}`;
    default: {
      const _exhaustive: never = step;
      return String(_exhaustive);
    }
  }
}

/** The steps (the current one marked) and the trace of one decision. */
export function showDecision(decision: RouteDecision, names: Names, options: { trace?: boolean } = {}): void {
  for (const step of decision.steps) {
    const marker = step.id === decision.currentStepId ? bold('→') : ' ';
    say(`    ${marker} ${dim(step.id.padEnd(3))} ${describeStep(step, names)}`);
  }
  if (options.trace !== false && decision.trace.length) {
    say(`      ${dim('why:')}`);
    for (const entry of decision.trace) say(`      ${dim('·')} ${entry.message} ${dim(`[${entry.code}]`)}`);
  }
}

export function showPlan(plan: RoutePlan, names: Names, options: { trace?: boolean } = {}): void {
  if (plan.outcome !== 'routed') {
    say(`    ${yellow('NOT ROUTABLE')} (${plan.reason})`);
    for (const entry of plan.trace) say(`      ${dim('·')} ${entry.message}`);
    return;
  }
  showDecision(plan.decision, names, options);
}

/** `Mon 30 Nov 10:00` in the zone. */
export function local(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })
    .format(new Date(iso))
    .replace(',', '');
}
