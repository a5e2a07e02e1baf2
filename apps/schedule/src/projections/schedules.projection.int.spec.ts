// The `schedules` read model is a projection: rebuilt from the event store it comes out identical, and
// replaying events it already applied (redelivery, a second instance) changes nothing.
import { DataSource, type EntityManager } from 'typeorm';
import { toScheduleStreamId } from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { EVENT_STORE } from '@cc/platform';
import { ManualClock, uniqueTenant } from '@cc/testing';
import { cleanUpTenant, httpAs, startScheduleTestApp, TEST_SCHEMA, type ScheduleTestApp } from '../../test/schedule-test-app';
import { projectionLockKey, SchedulesProjection } from './schedules.projection';
import { SchedulesProjectionRunner } from './schedules.projection-runner';

jest.setTimeout(60_000);

describe('schedules projection', () => {
  let app: ScheduleTestApp;
  let tenant: string;

  beforeAll(async () => {
    app = await startScheduleTestApp({ clock: new ManualClock('2026-01-07T10:00:00.000Z') });
  });
  afterAll(async () => {
    await app?.stop();
  });
  beforeEach(() => {
    tenant = uniqueTenant();
  });
  afterEach(async () => {
    await cleanUpTenant(app, tenant);
  });

  const rowsOf = async (db: DataSource | EntityManager) =>
    db.query(`select * from "${TEST_SCHEMA}".schedules where tenant_id = $1 order by schedule_id`, [tenant]);

  it('rebuilds the same rows from the store, and ignores events it already applied', async () => {
    const admin = await httpAs(app, tenant, 'ADMIN');
    for (const scheduleId of ['alpha', 'beta', 'gamma']) {
      expect((await admin.post('/v1/schedules', { scheduleId, name: `Line ${scheduleId}`, timezone: 'Europe/Paris' })).status).toBe(201);
      await admin.post(`/v1/schedules/${scheduleId}/templates`, { templateId: 'a', name: 'Schedule 1', ranges: [{ day: 'mon', start: '08:00', end: '18:00' }] });
    }
    await admin.put('/v1/schedules/beta/emergency', { state: 'closed', reason: 'Strike' });
    await admin.delete('/v1/schedules/gamma');
    await app.app.get(SchedulesProjectionRunner).caughtUp();

    const dataSource = app.app.get(DataSource);
    const store = app.app.get<EventStore>(EVENT_STORE);
    const before = await rowsOf(dataSource);
    expect(before.map((r: { schedule_id: string; status: string; revision: number }) => [r.schedule_id, r.status, r.revision])).toEqual([
      ['alpha', 'active', 1],
      ['beta', 'active', 2],
      ['gamma', 'deleted', 2],
    ]);

    const events = (await Promise.all(['alpha', 'beta', 'gamma'].map((id) => store.readStream(toScheduleStreamId(tenant, id))))).flat();
    const projection = new SchedulesProjection();
    // Under the projection's lock: a lagging projection in another test process may deliver these events again.
    await dataSource.transaction(async (manager) => {
      await manager.query('select pg_advisory_xact_lock(hashtext($1))', [projectionLockKey(TEST_SCHEMA)]);
      await manager.query(`delete from "${TEST_SCHEMA}".schedules where tenant_id = $1`, [tenant]);
      expect(await rowsOf(manager)).toEqual([]);
      await projection.apply(events, manager);
      expect(await rowsOf(manager)).toEqual(before);
    });

    // Older events again, one at a time (as a lagging instance would deliver them): nothing moves back.
    for (const event of events) await dataSource.transaction((manager) => projection.apply([event], manager));
    expect(await rowsOf(dataSource)).toEqual(before);
  });
});
