// Device state per extension (`device-{tenant}-{ext}`) as the SIP edge reports it over NATS or HTTP. A
// busy extension's stream grows with every call, so a report folds only what follows the last state it
// knows: in memory, else the read model's snapshot, else the stream's start.
import { Inject, Injectable } from '@nestjs/common';
import {
  toDeviceStreamId,
  type DeviceState,
  type DeviceStateEvent,
  type DeviceStateReport,
  type DeviceStateReportResult,
  type GetDeviceStateRequest,
} from '@cc/contracts';
import type { EventStore } from '@cc/event-store';
import { CommandExecutor, EVENT_STORE, Metrics } from '@cc/platform';
import type { Counter } from 'prom-client';
import { deviceStateDecider, type DeviceStateCommand, type DeviceStateState } from '../domain/device-state.decider';
import { DeviceStatesRepository } from '../projections/device-states.repository';
import type { DirectoryCaller } from './directory-caller';
import { FoldedStreams, type Folded } from './folded-streams.cache';
import { TenantsService } from './tenants.service';

/** Extensions kept folded in memory (least recently reported go first). */
const DEVICES_IN_MEMORY = 20_000;

@Injectable()
export class DeviceStatesService {
  private readonly devices: FoldedStreams<DeviceStateState, DeviceStateCommand, DeviceStateEvent>;
  private readonly reports: Counter<'outcome'>;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    executor: CommandExecutor,
    private readonly snapshots: DeviceStatesRepository,
    private readonly tenants: TenantsService,
    metrics: Metrics,
  ) {
    this.devices = new FoldedStreams(store, executor, deviceStateDecider, { maxEntries: DEVICES_IN_MEMORY });
    this.reports = metrics.counter('agent_directory_device_reports_total', 'Device-state reports from the SIP edge: changed, or stale/repeated', ['outcome']);
  }

  /** Applies a report; one older than what is known of its side, or repeating it, changes nothing. */
  async report(caller: DirectoryCaller, report: DeviceStateReport): Promise<DeviceStateReportResult> {
    await this.tenants.requireRegistered(caller.tenantId);
    const result = await this.devices.execute({
      streamId: toDeviceStreamId(caller.tenantId, report.extension),
      command: () => ({ type: 'ReportDeviceState', ...report }),
      seed: () => this.snapshotOf(caller.tenantId, report.extension),
      tenantId: caller.tenantId,
      actor: caller.actor,
    });
    const changed = result.events.length > 0;
    this.reports.inc({ outcome: changed ? 'changed' : 'unchanged' });
    return { device: deviceOf(result.state, report.extension), changed };
  }

  /** The last known state; an extension never reported is `unregistered` and `idle` with no observation times. */
  async get(caller: DirectoryCaller, request: GetDeviceStateRequest): Promise<DeviceState> {
    await this.tenants.requireRegistered(caller.tenantId);
    const { extension } = request;
    const { state } = await this.devices.latest(toDeviceStreamId(caller.tenantId, extension), () => this.snapshotOf(caller.tenantId, extension));
    return deviceOf(state, extension);
  }

  /** The read model's row as a starting point (it may lag: the events after it are read on top). */
  private async snapshotOf(tenantId: string, extension: string): Promise<Folded<DeviceStateState> | null> {
    const snapshot = await this.snapshots.snapshot(tenantId, extension);
    return snapshot === null ? null : { state: { status: 'known', device: snapshot.device }, revision: snapshot.revision };
  }
}

function deviceOf(state: DeviceStateState, extension: string): DeviceState {
  return state.status === 'known'
    ? state.device
    : { extension, registration: 'unregistered', registrationObservedAt: null, activity: 'idle', activityObservedAt: null };
}
