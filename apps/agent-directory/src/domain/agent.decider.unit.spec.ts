// Specification of the agent aggregate: field rules, the four ring preferences and their mobile rule,
// working hours, after-hours policy, status, and the roster mirror. Every event carries the whole agent.
import { foldEvents, type AgentEvent, type AgentView, type RingPreferenceInput } from '@cc/contracts';
import { specificationOf } from './decider-specification.fixture';
import { agent, agentView, settings } from './agent-directory.fixture';
import { agentDecider, requireAgentView, type RegisterAgent } from './agent.decider';

const given = specificationOf(agentDecider);

const register = (overrides: Partial<RegisterAgent> = {}): RegisterAgent => ({
  type: 'RegisterAgent',
  agentId: agent(1),
  name: 'Ada Lovelace',
  email: 'ada@acme.test',
  mobile: null,
  extension: '2001',
  ringPreference: null,
  workingHours: null,
  afterHours: null,
  roster: { role: 'AGENT', managerId: null, revision: 0 },
  settings,
  ...overrides,
});

const registered = (overrides: Partial<AgentView> = {}, rosterRevision = 0): AgentEvent => ({
  type: 'AgentRegistered',
  data: { agent: agentView(overrides), rosterRevision },
});
const MOBILE = '+447911123456';
const withMobile = registered({ mobile: MOBILE });
const removed: AgentEvent = { type: 'AgentRemoved', data: { agent: agentView({ status: 'removed' }), rosterRevision: 3 } };

describe('agent decider', () => {
  describe('given no agent', () => {
    it('registers an agent with every default: extension only, always working, call flow after hours', () => {
      given([]).when(register()).then([registered()]);
    });

    it('takes role and manager from the roster facts decided on the org stream', () => {
      given([])
        .when(register({ roster: { role: 'MANAGER', managerId: agent(9), revision: 4 } }))
        .then([registered({ role: 'MANAGER', managerId: agent(9) }, 4)]);
    });

    it.each([
      ['07911 123456', MOBILE], // national
      ['447911123456', MOBILE], // the seed's form: country code without "+"
      ['+44 7911 123456', MOBILE],
    ])('stores mobile %j as E.164 %s (tenant default country GB)', (typed, e164) => {
      const [event] = given([]).when(register({ mobile: typed })).events();
      expect(event?.data.agent.mobile).toBe(e164);
    });

    it.each([
      ['abc', 'AGENT_DIRECTORY.INVALID_NUMBER'],
      ['01234', 'AGENT_DIRECTORY.INVALID_NUMBER'],
      ['09065 000000', 'AGENT_DIRECTORY.NUMBER_NOT_ALLOWED'], // premium rate: toll fraud
    ])('refuses mobile %j with %s at path mobile', (typed, code) => {
      given([]).when(register({ mobile: typed })).thenError(code, { kind: 'validation', errors: [expect.objectContaining({ path: 'mobile' })] });
    });

    it.each(['123', '20011', '20a1'])('refuses extension %j: the tenant plan is 4 digits', (extension) => {
      given([])
        .when(register({ extension }))
        .thenError('AGENT_DIRECTORY.INVALID_EXTENSION', { kind: 'validation', errors: [{ path: 'extension', message: 'must be 4 digits' }] });
    });

    it('accepts any length inside a ranged plan (3 to 6 digits)', () => {
      const ranged = { ...settings, extensionDigits: { min: 3, max: 6 } };
      expect(given([]).when(register({ extension: '123', settings: ranged })).events()).toHaveLength(1);
      expect(given([]).when(register({ extension: '123456', settings: ranged })).events()).toHaveLength(1);
      given([]).when(register({ extension: '1234567', settings: ranged })).thenError('AGENT_DIRECTORY.INVALID_EXTENSION', {
        errors: [{ path: 'extension', message: 'must be 3 to 6 digits' }],
      });
    });

    it.each<RingPreferenceInput>([{ kind: 'simultaneous' }, { kind: 'extensionThenMobile' }, { kind: 'mobileOnly' }])(
      'refuses ring preference $kind without a mobile (409 MOBILE_REQUIRED, path ringPreference.kind)',
      (ringPreference) => {
        given([])
          .when(register({ ringPreference }))
          .thenError('AGENT_DIRECTORY.MOBILE_REQUIRED', {
            kind: 'conflict',
            errors: [expect.objectContaining({ path: 'ringPreference.kind' })],
          });
      },
    );

    it('registers with a mobile-ringing preference when a mobile is given', () => {
      given([])
        .when(register({ mobile: '07911 123456', ringPreference: { kind: 'extensionThenMobile' } }))
        .then([registered({ mobile: MOBILE, ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 20 } })]);
    });

    it("evaluates weekly hours in the tenant's zone when none is given, ranges sorted Monday first", () => {
      const [event] = given([])
        .when(
          register({
            workingHours: {
              mode: 'weekly',
              ranges: [
                { day: 'tue', start: '09:00', end: '17:00' },
                { day: 'mon', start: '13:00', end: '17:00' },
                { day: 'mon', start: '09:00', end: '12:00' },
              ],
            },
          }),
        )
        .events();
      expect(event?.data.agent.workingHours).toEqual({
        mode: 'weekly',
        timezone: 'Europe/London',
        ranges: [
          { day: 'mon', start: '09:00', end: '12:00' },
          { day: 'mon', start: '13:00', end: '17:00' },
          { day: 'tue', start: '09:00', end: '17:00' },
        ],
      });
    });

    it('refuses forwarding after hours to its own extension', () => {
      given([])
        .when(register({ afterHours: { kind: 'forwardExtension', extension: '2001' } }))
        .thenError('AGENT_DIRECTORY.AFTER_HOURS_TARGET_IS_SELF', { errors: [expect.objectContaining({ path: 'afterHours.extension' })] });
    });

    it.each([
      { type: 'ChangeAgentExtension' as const, extension: '2002', settings },
      { type: 'SetRingPreference' as const, ringPreference: { kind: 'extensionOnly' as const } },
      { type: 'DisableAgent' as const, reason: null },
      { type: 'EnableAgent' as const },
    ])('refuses $type for an unknown agent (404)', (command) => {
      given([]).when(command).thenError('AGENT_DIRECTORY.AGENT_NOT_FOUND', { kind: 'not_found' });
    });

    it('ignores roster facts until the agent is registered (the registration carries them)', () => {
      given([]).when({ type: 'SyncRoster', revision: 5, roster: { withdrawn: false, role: 'MANAGER', managerId: null } }).thenNothing();
    });
  });

  describe('given an active agent', () => {
    it('refuses registering it again', () => {
      given([registered()]).when(register()).thenError('AGENT_DIRECTORY.AGENT_EXISTS', { kind: 'conflict' });
    });

    describe('profile', () => {
      it('changes name, email and mobile, naming what changed', () => {
        given([registered()])
          .when({ type: 'ChangeAgentProfile', name: ' Ada King ', mobile: '07911 123456', settings })
          .then([{ type: 'AgentProfileChanged', data: { agent: agentView({ name: 'Ada King', mobile: MOBILE }), changed: ['name', 'mobile'] } }]);
      });

      it('writes nothing when nothing changes (the stored E.164 typed again)', () => {
        given([withMobile]).when({ type: 'ChangeAgentProfile', name: 'Ada Lovelace', mobile: '+447911123456', settings }).thenNothing();
      });

      it('clears email and mobile with null', () => {
        given([withMobile])
          .when({ type: 'ChangeAgentProfile', email: null, mobile: null, settings })
          .then([{ type: 'AgentProfileChanged', data: { agent: agentView({ email: null, mobile: null }), changed: ['email', 'mobile'] } }]);
      });

      it.each<RingPreferenceInput['kind']>(['simultaneous', 'extensionThenMobile', 'mobileOnly'])(
        'refuses removing the mobile while the preference is %s (path mobile)',
        (kind) => {
          const ringPreference = kind === 'extensionThenMobile' ? { kind, mobileAfterSeconds: 20 } : { kind };
          given([registered({ mobile: MOBILE, ringPreference })])
            .when({ type: 'ChangeAgentProfile', mobile: null, settings })
            .thenError('AGENT_DIRECTORY.MOBILE_REQUIRED', { errors: [expect.objectContaining({ path: 'mobile' })] });
        },
      );

      it('refuses an invalid new mobile', () => {
        given([registered()]).when({ type: 'ChangeAgentProfile', mobile: '12', settings }).thenError('AGENT_DIRECTORY.INVALID_NUMBER');
      });
    });

    describe('extension', () => {
      it('moves the agent to another extension, naming the previous one', () => {
        given([registered()])
          .when({ type: 'ChangeAgentExtension', extension: '2002', settings })
          .then([{ type: 'AgentExtensionChanged', data: { agent: agentView({ extension: '2002' }), previousExtension: '2001' } }]);
      });

      it('writes nothing for the current extension', () => {
        given([registered()]).when({ type: 'ChangeAgentExtension', extension: '2001', settings }).thenNothing();
      });

      it("refuses an extension outside the tenant's plan", () => {
        given([registered()]).when({ type: 'ChangeAgentExtension', extension: '20020', settings }).thenError('AGENT_DIRECTORY.INVALID_EXTENSION');
      });

      it('refuses moving onto the extension its after-hours policy forwards to', () => {
        given([registered({ afterHours: { kind: 'forwardExtension', extension: '2002' } })])
          .when({ type: 'ChangeAgentExtension', extension: '2002', settings })
          .thenError('AGENT_DIRECTORY.AFTER_HOURS_TARGET_IS_SELF', { errors: [expect.objectContaining({ path: 'extension' })] });
      });
    });

    describe('ring preference (the four of seed 002)', () => {
      it.each<[RingPreferenceInput, AgentView['ringPreference']]>([
        [{ kind: 'simultaneous' }, { kind: 'simultaneous' }],
        [{ kind: 'extensionThenMobile' }, { kind: 'extensionThenMobile', mobileAfterSeconds: 20 }],
        [{ kind: 'extensionThenMobile', mobileAfterSeconds: 45 }, { kind: 'extensionThenMobile', mobileAfterSeconds: 45 }],
        [{ kind: 'mobileOnly' }, { kind: 'mobileOnly' }],
      ])('sets %j as %j', (input, stored) => {
        given([withMobile])
          .when({ type: 'SetRingPreference', ringPreference: input })
          .then([{ type: 'RingPreferenceChanged', data: { agent: agentView({ mobile: MOBILE, ringPreference: stored }) } }]);
      });

      it('sets extensionOnly, the one preference that needs no mobile', () => {
        given([registered({ mobile: MOBILE, ringPreference: { kind: 'mobileOnly' } })])
          .when({ type: 'SetRingPreference', ringPreference: { kind: 'extensionOnly' } })
          .then([{ type: 'RingPreferenceChanged', data: { agent: agentView({ mobile: MOBILE }) } }]);
      });

      it.each([5, 120])('accepts a mobile delay of %i s (the bounds)', (seconds) => {
        expect(
          given([withMobile]).when({ type: 'SetRingPreference', ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: seconds } }).events(),
        ).toHaveLength(1);
      });

      it.each([4, 121, 0, 20.5])('refuses a mobile delay of %d s', (seconds) => {
        given([withMobile])
          .when({ type: 'SetRingPreference', ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: seconds } })
          .thenError('AGENT_DIRECTORY.RING_DELAY_OUT_OF_RANGE', {
            kind: 'validation',
            errors: [expect.objectContaining({ path: 'ringPreference.mobileAfterSeconds' })],
          });
      });

      it.each<RingPreferenceInput>([{ kind: 'simultaneous' }, { kind: 'extensionThenMobile' }, { kind: 'mobileOnly' }])(
        'refuses $kind while the agent has no mobile',
        (ringPreference) => {
          given([registered()]).when({ type: 'SetRingPreference', ringPreference }).thenError('AGENT_DIRECTORY.MOBILE_REQUIRED', {
            errors: [expect.objectContaining({ path: 'ringPreference.kind' })],
          });
        },
      );

      it('writes nothing for the current preference (the default delay spelled out)', () => {
        given([registered({ mobile: MOBILE, ringPreference: { kind: 'extensionThenMobile', mobileAfterSeconds: 20 } })])
          .when({ type: 'SetRingPreference', ringPreference: { kind: 'extensionThenMobile' } })
          .thenNothing();
      });
    });

    describe('working hours', () => {
      const seedHours = {
        mode: 'weekly' as const,
        timezone: 'Europe/London',
        ranges: [
          { day: 'mon' as const, start: '09:00', end: '12:00' },
          { day: 'mon' as const, start: '13:00', end: '17:00' },
        ],
      };

      it("sets the seed's split day (9-12, break, 13-17) in the agent's own zone", () => {
        given([registered()])
          .when({ type: 'SetWorkingHours', workingHours: { ...seedHours, timezone: 'America/New_York' }, settings })
          .then([{ type: 'WorkingHoursSet', data: { agent: agentView({ workingHours: { ...seedHours, timezone: 'America/New_York' } }) } }]);
      });

      it('accepts adjacent ranges and a night shift across midnight', () => {
        const [event] = given([registered()])
          .when({
            type: 'SetWorkingHours',
            workingHours: {
              mode: 'weekly',
              ranges: [
                { day: 'fri', start: '22:00', end: '06:00' },
                { day: 'fri', start: '09:00', end: '12:00' },
                { day: 'fri', start: '12:00', end: '13:00' },
                { day: 'sun', start: '18:00', end: '24:00' },
              ],
            },
            settings,
          })
          .events();
        expect(event?.type).toBe('WorkingHoursSet');
      });

      it('refuses overlapping ranges, pointing at the later one (not merged)', () => {
        given([registered()])
          .when({
            type: 'SetWorkingHours',
            workingHours: {
              mode: 'weekly',
              ranges: [
                { day: 'mon', start: '09:00', end: '17:00' },
                { day: 'mon', start: '13:00', end: '15:00' },
              ],
            },
            settings,
          })
          .thenError('AGENT_DIRECTORY.INVALID_WORKING_HOURS', {
            kind: 'validation',
            errors: [expect.objectContaining({ path: 'workingHours.ranges[1]' })],
          });
      });

      it('refuses a night shift running into the next morning range', () => {
        given([registered()])
          .when({
            type: 'SetWorkingHours',
            workingHours: {
              mode: 'weekly',
              ranges: [
                { day: 'tue', start: '05:00', end: '09:00' },
                { day: 'mon', start: '22:00', end: '06:00' },
              ],
            },
            settings,
          })
          .thenError('AGENT_DIRECTORY.INVALID_WORKING_HOURS', { errors: [expect.objectContaining({ path: 'workingHours.ranges[1]' })] });
      });

      it.each([
        [{ day: 'mon' as const, start: '09:00', end: '09:00' }, 'workingHours.ranges[0].end'],
        [{ day: 'mon' as const, start: '24:00', end: '09:00' }, 'workingHours.ranges[0].start'],
      ])('refuses the malformed range %j', (range, path) => {
        given([registered()])
          .when({ type: 'SetWorkingHours', workingHours: { mode: 'weekly', ranges: [range] }, settings })
          .thenError('AGENT_DIRECTORY.INVALID_WORKING_HOURS', { errors: [expect.objectContaining({ path })] });
      });

      it('refuses an unknown zone', () => {
        given([registered()])
          .when({ type: 'SetWorkingHours', workingHours: { mode: 'weekly', timezone: 'Europe/Londres', ranges: [] }, settings })
          .thenError('AGENT_DIRECTORY.INVALID_WORKING_HOURS', { errors: [expect.objectContaining({ path: 'workingHours.timezone' })] });
      });

      it('writes nothing for the same hours given in another order', () => {
        given([registered({ workingHours: seedHours })])
          .when({ type: 'SetWorkingHours', workingHours: { mode: 'weekly', ranges: [...seedHours.ranges].reverse() }, settings })
          .thenNothing();
      });

      it('goes back to always working', () => {
        given([registered({ workingHours: seedHours })])
          .when({ type: 'SetWorkingHours', workingHours: { mode: 'always' }, settings })
          .then([{ type: 'WorkingHoursSet', data: { agent: agentView() } }]);
      });
    });

    describe('after-hours policy', () => {
      it.each([
        [{ kind: 'voicemail' as const }, { kind: 'voicemail' as const }],
        [{ kind: 'forwardExtension' as const, extension: '2099' }, { kind: 'forwardExtension' as const, extension: '2099' }],
        [{ kind: 'forwardNumber' as const, number: '441234567890' }, { kind: 'forwardNumber' as const, e164: '+441234567890' }],
      ])('sets %j', (input, stored) => {
        given([registered()])
          .when({ type: 'SetAfterHoursPolicy', afterHours: input, settings })
          .then([{ type: 'AfterHoursPolicySet', data: { agent: agentView({ afterHours: stored }) } }]);
      });

      it('writes nothing for the current policy (follow the call flow)', () => {
        given([registered()]).when({ type: 'SetAfterHoursPolicy', afterHours: { kind: 'followCallFlow' }, settings }).thenNothing();
      });

      it('refuses an unusable forward number at path afterHours.number', () => {
        given([registered()])
          .when({ type: 'SetAfterHoursPolicy', afterHours: { kind: 'forwardNumber', number: '09065 000000' }, settings })
          .thenError('AGENT_DIRECTORY.NUMBER_NOT_ALLOWED', { errors: [expect.objectContaining({ path: 'afterHours.number' })] });
      });
    });

    describe('status', () => {
      it('disables the agent with a reason; disabling again writes nothing', () => {
        given([registered()])
          .when({ type: 'DisableAgent', reason: 'parental leave' })
          .then([{ type: 'AgentDisabled', data: { agent: agentView({ status: 'disabled' }), reason: 'parental leave' } }]);
        given([registered(), { type: 'AgentDisabled', data: { agent: agentView({ status: 'disabled' }), reason: null } }])
          .when({ type: 'DisableAgent', reason: null })
          .thenNothing();
      });

      it('treats enabling an active agent as done', () => {
        given([registered()]).when({ type: 'EnableAgent' }).thenNothing();
      });
    });

    describe('roster mirror (role, manager, removal decided on the org stream)', () => {
      it('mirrors a role change', () => {
        given([registered()])
          .when({ type: 'SyncRoster', revision: 1, roster: { withdrawn: false, role: 'MANAGER', managerId: null } })
          .then([{ type: 'AgentRoleChanged', data: { agent: agentView({ role: 'MANAGER' }), previousRole: 'AGENT', rosterRevision: 1 } }]);
      });

      it('mirrors a manager being assigned, replaced and cleared', () => {
        given([registered()])
          .when({ type: 'SyncRoster', revision: 1, roster: { withdrawn: false, role: 'AGENT', managerId: agent(7) } })
          .then([
            { type: 'ReportingManagerAssigned', data: { agent: agentView({ managerId: agent(7) }), previousManagerId: null, rosterRevision: 1 } },
          ]);
        given([registered({ managerId: agent(7) })])
          .when({ type: 'SyncRoster', revision: 2, roster: { withdrawn: false, role: 'AGENT', managerId: agent(8) } })
          .then([
            { type: 'ReportingManagerAssigned', data: { agent: agentView({ managerId: agent(8) }), previousManagerId: agent(7), rosterRevision: 2 } },
          ]);
        given([registered({ managerId: agent(7) })])
          .when({ type: 'SyncRoster', revision: 2, roster: { withdrawn: false, role: 'AGENT', managerId: null } })
          .then([{ type: 'ReportingManagerCleared', data: { agent: agentView(), previousManagerId: agent(7), rosterRevision: 2 } }]);
      });

      it('mirrors role and manager together, each event carrying the agent as it is after it', () => {
        given([registered()])
          .when({ type: 'SyncRoster', revision: 3, roster: { withdrawn: false, role: 'MANAGER', managerId: agent(7) } })
          .then([
            { type: 'AgentRoleChanged', data: { agent: agentView({ role: 'MANAGER' }), previousRole: 'AGENT', rosterRevision: 3 } },
            {
              type: 'ReportingManagerAssigned',
              data: { agent: agentView({ role: 'MANAGER', managerId: agent(7) }), previousManagerId: null, rosterRevision: 3 },
            },
          ]);
      });

      it('ignores facts from an org revision the agent already reflects (racing syncs never go back)', () => {
        const atRevision5: AgentEvent = {
          type: 'ReportingManagerAssigned',
          data: { agent: agentView({ managerId: agent(8) }), previousManagerId: null, rosterRevision: 5 },
        };
        given([registered(), atRevision5])
          .when({ type: 'SyncRoster', revision: 4, roster: { withdrawn: false, role: 'AGENT', managerId: agent(7) } })
          .thenNothing();
        given([registered(), atRevision5])
          .when({ type: 'SyncRoster', revision: 5, roster: { withdrawn: false, role: 'AGENT', managerId: null } })
          .thenNothing();
      });

      it('keeps the roster revision across other changes', () => {
        const state = foldEvents(agentDecider, [
          registered({}, 5),
          { type: 'WorkingHoursSet', data: { agent: agentView() } },
        ]);
        expect(state.status === 'active' && state.rosterRevision).toBe(5);
      });

      it('writes nothing when the facts are already mirrored', () => {
        given([registered()]).when({ type: 'SyncRoster', revision: 9, roster: { withdrawn: false, role: 'AGENT', managerId: null } }).thenNothing();
      });

      it('removes the agent when it left the roster', () => {
        given([registered({ managerId: agent(7) })])
          .when({ type: 'SyncRoster', revision: 3, roster: { withdrawn: true } })
          .then([removed]);
      });
    });
  });

  describe('given a disabled agent', () => {
    const disabled: AgentEvent = { type: 'AgentDisabled', data: { agent: agentView({ status: 'disabled' }), reason: null } };

    it('can still be edited (it stays disabled)', () => {
      given([registered(), disabled])
        .when({ type: 'ChangeAgentExtension', extension: '2002', settings })
        .then([{ type: 'AgentExtensionChanged', data: { agent: agentView({ extension: '2002', status: 'disabled' }), previousExtension: '2001' } }]);
    });

    it('is enabled again', () => {
      given([registered(), disabled]).when({ type: 'EnableAgent' }).then([{ type: 'AgentEnabled', data: { agent: agentView() } }]);
    });
  });

  describe('given a removed agent', () => {
    it.each([
      { type: 'ChangeAgentProfile' as const, name: 'X', settings },
      { type: 'SetRingPreference' as const, ringPreference: { kind: 'extensionOnly' as const } },
      { type: 'EnableAgent' as const },
    ])('refuses $type with 410 AGENT_REMOVED', (command) => {
      given([registered(), removed]).when(command).thenError('AGENT_DIRECTORY.AGENT_REMOVED', { kind: 'gone' });
    });

    it('refuses registering the id again', () => {
      given([registered(), removed]).when(register()).thenError('AGENT_DIRECTORY.AGENT_EXISTS');
    });

    it('ignores further roster facts', () => {
      given([registered(), removed]).when({ type: 'SyncRoster', revision: 9, roster: { withdrawn: true } }).thenNothing();
    });

    it('is still readable, with status removed', () => {
      expect(requireAgentView(foldEvents(agentDecider, [registered(), removed])).status).toBe('removed');
      expect(() => requireAgentView(foldEvents(agentDecider, []))).toThrow(expect.objectContaining({ code: 'AGENT_DIRECTORY.AGENT_NOT_FOUND' }));
    });
  });
});
