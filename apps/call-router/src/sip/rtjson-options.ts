// How plan steps become SIP URIs for this deployment (from the config): extension domain per tenant, PSTN
// gateway, media server for voicemail and answer confirmation, outbound proxy, timers.
import type { CallRouterConfig } from '../config';
import type { RtjsonOptions } from '../domain/rtjson';

export function rtjsonOptionsOf(config: CallRouterConfig): RtjsonOptions {
  const media = config.ROUTER_SIP_MEDIA_SERVER;
  return {
    extensionDomain: (tenantId) => config.ROUTER_SIP_EXTENSION_DOMAIN.replace(/\{tenant\}/g, tenantId),
    pstnGateway: config.ROUTER_SIP_PSTN_GATEWAY,
    // Group boxes are per tenant on the media server; an extension's box is named after the extension.
    voicemailUri: (tenantId, mailbox) =>
      mailbox.kind === 'extension' ? `sip:vm-${tenantId}-${mailbox.extension}@${media}` : `sip:vm-${tenantId}-group-${mailbox.mailboxId}@${media}`,
    outboundProxy: config.ROUTER_SIP_OUTBOUND_PROXY ?? null,
    answerConfirmation: {
      mediaServer: `sip:${media}`,
      digit: config.ROUTER_SIP_CONFIRM_DIGIT,
      timeoutSeconds: config.ROUTER_SIP_CONFIRM_TIMEOUT_SECONDS,
      promptId: config.ROUTER_SIP_CONFIRM_PROMPT,
    },
    frTimerMs: config.ROUTER_SIP_FR_TIMER_MS,
  };
}
