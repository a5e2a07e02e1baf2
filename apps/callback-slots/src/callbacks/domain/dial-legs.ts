// The order in which an attempt's two legs are dialled: the router chooses WHO takes the callback,
// the call slot's dial order decides whether the agent or the customer is rung first. Pure.
import { type CallbackAgentTarget, type CallbackDialLeg, type DialOrder } from '@cc/contracts';

export type AgentSide = { targets: readonly CallbackAgentTarget[]; ringSeconds: number };

export function dialLegs(dialOrder: DialOrder, agent: AgentSide, customer: { number: string; ringSeconds: number }): CallbackDialLeg[] {
  const agentLeg: CallbackDialLeg = { kind: 'agent', targets: [...agent.targets], ringSeconds: agent.ringSeconds };
  const customerLeg: CallbackDialLeg = { kind: 'customer', number: customer.number, ringSeconds: customer.ringSeconds };
  switch (dialOrder) {
    case 'agent-first':
      return [agentLeg, customerLeg];
    case 'customer-first':
      return [customerLeg, agentLeg];
    default: {
      const _exhaustive: never = dialOrder;
      return _exhaustive;
    }
  }
}
