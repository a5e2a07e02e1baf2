// NATS request-reply API of the schedule service (`schedule.<verb>`, queue group "schedule"): the same
// operations as HTTP for internal services, which name the tenant and actor in the request. Errors reply
// with the same problem objects as HTTP (codes and field paths survive the hop).
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ScheduleRpc,
  type DeleteTemplateResult,
  type ImportExceptionsResult,
  type IsOpenResponse,
  type ListExceptionsResponse,
  type ListSchedulesResponse,
  type PreviewScheduleResponse,
  type ScheduleAuditResponse,
  type ScheduleChangeResult,
  type ScheduleView,
} from '@cc/contracts';
import { parseOrThrow } from '@cc/platform';
import { callerOfRpc } from '../application/schedule-caller';
import { ScheduleCommands } from '../application/schedule-commands.service';
import { ScheduleQueries } from '../application/schedule-queries.service';

@Controller()
export class ScheduleNatsController {
  constructor(
    private readonly commands: ScheduleCommands,
    private readonly queries: ScheduleQueries,
  ) {}

  @MessagePattern(ScheduleRpc.isOpen.subject)
  isOpen(@Payload() message: unknown): Promise<IsOpenResponse> {
    const request = parseOrThrow(ScheduleRpc.isOpen.request, message);
    return this.queries.isOpen(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.preview.subject)
  preview(@Payload() message: unknown): Promise<PreviewScheduleResponse> {
    const request = parseOrThrow(ScheduleRpc.preview.request, message);
    return this.queries.preview(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.get.subject)
  get(@Payload() message: unknown): Promise<ScheduleView> {
    const request = parseOrThrow(ScheduleRpc.get.request, message);
    return this.queries.get(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.list.subject)
  list(@Payload() message: unknown): Promise<ListSchedulesResponse> {
    const request = parseOrThrow(ScheduleRpc.list.request, message);
    return this.queries.list(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.listExceptions.subject)
  listExceptions(@Payload() message: unknown): Promise<ListExceptionsResponse> {
    const request = parseOrThrow(ScheduleRpc.listExceptions.request, message);
    return this.queries.listExceptions(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.audit.subject)
  audit(@Payload() message: unknown): Promise<ScheduleAuditResponse> {
    const request = parseOrThrow(ScheduleRpc.audit.request, message);
    return this.queries.audit(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.create.subject)
  create(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.create.request, message);
    return this.commands.create(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.rename.subject)
  rename(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.rename.request, message);
    return this.commands.rename(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.changeTimezone.subject)
  changeTimezone(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.changeTimezone.request, message);
    return this.commands.changeTimezone(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.setMode.subject)
  setMode(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.setMode.request, message);
    return this.commands.setMode(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.addTemplate.subject)
  addTemplate(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.addTemplate.request, message);
    return this.commands.addTemplate(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.renameTemplate.subject)
  renameTemplate(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.renameTemplate.request, message);
    return this.commands.renameTemplate(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.setTemplateRanges.subject)
  setTemplateRanges(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.setTemplateRanges.request, message);
    return this.commands.setTemplateRanges(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.addTimeSlot.subject)
  addTimeSlot(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.addTimeSlot.request, message);
    return this.commands.addTimeSlot(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.removeTimeSlot.subject)
  removeTimeSlot(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.removeTimeSlot.request, message);
    return this.commands.removeTimeSlot(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.deleteTemplate.subject)
  deleteTemplate(@Payload() message: unknown): Promise<DeleteTemplateResult> {
    const request = parseOrThrow(ScheduleRpc.deleteTemplate.request, message);
    return this.commands.deleteTemplate(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.activateRotation.subject)
  activateRotation(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.activateRotation.request, message);
    return this.commands.activateRotation(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.deactivateRotation.subject)
  deactivateRotation(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.deactivateRotation.request, message);
    return this.commands.deactivateRotation(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.addException.subject)
  addException(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.addException.request, message);
    return this.commands.addException(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.removeException.subject)
  removeException(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.removeException.request, message);
    return this.commands.removeException(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.importExceptions.subject)
  importExceptions(@Payload() message: unknown): Promise<ImportExceptionsResult> {
    const request = parseOrThrow(ScheduleRpc.importExceptions.request, message);
    return this.commands.importExceptions(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.setEmergencyOverride.subject)
  setEmergencyOverride(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.setEmergencyOverride.request, message);
    return this.commands.setEmergencyOverride(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.clearEmergencyOverride.subject)
  clearEmergencyOverride(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.clearEmergencyOverride.request, message);
    return this.commands.clearEmergencyOverride(callerOfRpc(request), request.payload);
  }

  @MessagePattern(ScheduleRpc.delete.subject)
  delete(@Payload() message: unknown): Promise<ScheduleChangeResult> {
    const request = parseOrThrow(ScheduleRpc.delete.request, message);
    return this.commands.delete(callerOfRpc(request), request.payload);
  }
}
