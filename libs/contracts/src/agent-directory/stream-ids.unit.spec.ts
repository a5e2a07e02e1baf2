// Stream ids of agent-directory: the shapes, and that two tenants can never share a stream.
import {
  toAgentStreamId,
  toDeviceStreamId,
  toExtensionClaimStreamId,
  toLoginStreamId,
  toOrgStreamId,
  toTenantStreamId,
} from './stream-ids';

const AGENT = '6f1c2a9e-8d4b-4c3e-9a57-2f0e1d3c4b5a';

describe('agent-directory stream ids', () => {
  it.each([
    [toTenantStreamId('acme'), 'tenant-acme'],
    [toOrgStreamId('acme'), 'org-acme'],
    [toAgentStreamId('acme', AGENT), `agent-acme-${AGENT}`],
    [toAgentStreamId('acme', AGENT.toUpperCase()), `agent-acme-${AGENT}`],
    [toExtensionClaimStreamId('acme', '2001'), 'extension-acme-2001'],
    [toDeviceStreamId('acme', '2001'), 'device-acme-2001'],
    [toLoginStreamId('acme', 'Ada.L-Smith@Acme.test'), 'login-acme-ada.l~smith@acme.test'],
  ])('%s is %s', (actual, expected) => expect(actual).toBe(expected));

  it('keeps logins of tenants "a" / "a-b" apart although both may contain "-"', () => {
    expect(toLoginStreamId('a', 'b-c')).not.toBe(toLoginStreamId('a-b', 'c'));
  });

  it.each([
    () => toTenantStreamId('Acme'),
    () => toAgentStreamId('acme', 'not-a-uuid'),
    () => toExtensionClaimStreamId('acme', '20a1'),
    () => toDeviceStreamId('acme', '1'),
    () => toLoginStreamId('acme', 'bad~name'),
    () => toLoginStreamId('acme', ''),
  ])('refuses malformed parts (%#)', (build) => expect(build).toThrow());
});
