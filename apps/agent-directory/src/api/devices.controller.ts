// HTTP API of device state: the SIP edge (role SERVICE, or an ADMIN by hand) reports registrations and
// calls per extension; the router and consoles read the last known state. The same report travels over
// NATS (agent-directory.report-device-state) for edges that speak NATS.
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  DomainError,
  DeviceStateReportBodySchema,
  DeviceStateReportResultSchema,
  DeviceStateReportSchema,
  DeviceStateSchema,
  GetDeviceStateRequestSchema,
  type DeviceState,
  type DeviceStateReportResult,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, RequirePrivileges, Roles, type Principal } from '@cc/platform';
import { DeviceStatesService } from '../application/device-states.service';
import { callerOfPrincipal } from '../application/directory-caller';

@ApiTags('devices')
@Controller('v1/devices')
export class DevicesController {
  constructor(private readonly devices: DeviceStatesService) {}

  /** 200 with `changed: false` for a report older than what is known (or repeating it). */
  @Put(':extension/state')
  @Roles('SERVICE', 'ADMIN')
  @ApiZod({ body: DeviceStateReportBodySchema, response: DeviceStateReportResultSchema, errors: [400, 401, 403, 404] })
  report(@CurrentPrincipal() principal: Principal, @Param('extension') extension: string, @Body() body: unknown): Promise<DeviceStateReportResult> {
    const report = parseOrThrow(DeviceStateReportSchema, { ...bodyFields(body), extension });
    return this.devices.report(callerOfPrincipal(principal), report);
  }

  @Get(':extension/state')
  @RequirePrivileges('agents:read')
  @ApiZod({ response: DeviceStateSchema, errors: [400, 401, 403, 404] })
  get(@CurrentPrincipal() principal: Principal, @Param('extension') extension: string): Promise<DeviceState> {
    return this.devices.get(callerOfPrincipal(principal), parseOrThrow(GetDeviceStateRequestSchema, { extension }));
  }
}

/** The body's fields, to merge the path's extension into; a body that is not a JSON object is a 400. */
function bodyFields(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new DomainError('VALIDATION.INVALID_INPUT', 'validation', 'The request is not valid', [{ path: '(root)', message: 'the body must be a JSON object' }]);
}
