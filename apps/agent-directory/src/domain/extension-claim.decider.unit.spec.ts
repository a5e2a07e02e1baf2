// Specification of the extension claim: one holder per extension number, retries harmless.
import type { ExtensionClaimEvent } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { agent } from './agent-directory.fixture';
import { extensionClaimDecider } from './extension-claim.decider';

const given = specificationOf(extensionClaimDecider);
const claimedByA: ExtensionClaimEvent = { type: 'ExtensionClaimed', data: { extension: '2001', agentId: agent(1) } };
const releasedByA: ExtensionClaimEvent = { type: 'ExtensionReleased', data: { extension: '2001', agentId: agent(1) } };

describe('extension claim decider', () => {
  describe('given a free extension', () => {
    it('lets an agent claim it', () => {
      given([]).when({ type: 'ClaimExtension', extension: '2001', agentId: agent(1) }).then([claimedByA]);
    });

    it('treats releasing it as already done', () => {
      given([]).when({ type: 'ReleaseExtension', extension: '2001', agentId: agent(1) }).thenNothing();
    });
  });

  describe('given an extension claimed by agent A', () => {
    it('refuses agent B with EXTENSION_TAKEN naming the holder', () => {
      given([claimedByA])
        .when({ type: 'ClaimExtension', extension: '2001', agentId: agent(2) })
        .thenError('AGENT_DIRECTORY.EXTENSION_TAKEN', {
          kind: 'conflict',
          errors: [{ path: 'extension', message: 'is already in use' }],
          details: { extension: '2001', heldBy: agent(1) },
        });
    });

    it('treats a repeated claim by A as done (a retried registration)', () => {
      given([claimedByA]).when({ type: 'ClaimExtension', extension: '2001', agentId: agent(1) }).thenNothing();
    });

    it('lets A release it', () => {
      given([claimedByA]).when({ type: 'ReleaseExtension', extension: '2001', agentId: agent(1) }).then([releasedByA]);
    });

    it('refuses a release by B, who does not hold it', () => {
      given([claimedByA])
        .when({ type: 'ReleaseExtension', extension: '2001', agentId: agent(2) })
        .thenError('AGENT_DIRECTORY.EXTENSION_CLAIM_NOT_HELD', { details: { heldBy: agent(1) } });
    });
  });

  describe('given an extension released by A', () => {
    it('lets B claim it', () => {
      given([claimedByA, releasedByA])
        .when({ type: 'ClaimExtension', extension: '2001', agentId: agent(2) })
        .then([{ type: 'ExtensionClaimed', data: { extension: '2001', agentId: agent(2) } }]);
    });
  });
});
