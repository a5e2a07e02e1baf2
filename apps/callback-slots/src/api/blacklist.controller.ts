// HTTP API of the tenant blacklist (OpenAPI at /docs): numbers (as typed, stored in E.164) and `+digits`
// prefixes never accepted as callback numbers. Licence-gated; `callSlots:read` / `callSlots:write`.
import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AddBlacklistEntryRequestSchema,
  BlacklistViewSchema,
  RemoveBlacklistEntryRequestSchema,
  type AddBlacklistEntryRequest,
  type BlacklistView,
} from '@cc/contracts';
import { ApiZod, CurrentPrincipal, parseOrThrow, RequirePrivileges, zod, type Principal } from '@cc/platform';
import { CallSlotsLicenceGuard } from '../access/call-slots-licence.guard';
import { BlacklistService } from '../blacklist/blacklist.service';
import { callerOfPrincipal } from '../call-slots/call-slot-caller';
import { CALL_SLOTS_READ, CALL_SLOTS_WRITE } from './privileges';

@ApiTags('blacklist')
@UseGuards(CallSlotsLicenceGuard)
@Controller('v1/blacklist')
export class BlacklistController {
  constructor(private readonly blacklist: BlacklistService) {}

  @Get()
  @RequirePrivileges(CALL_SLOTS_READ)
  @ApiZod({ response: BlacklistViewSchema, errors: [401, 403] })
  view(@CurrentPrincipal() principal: Principal): Promise<BlacklistView> {
    return this.blacklist.view(callerOfPrincipal(principal));
  }

  /** Adding an entry that is already there changes nothing. */
  @Post()
  @HttpCode(200)
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ body: AddBlacklistEntryRequestSchema, response: BlacklistViewSchema, errors: [400, 401, 403] })
  add(@CurrentPrincipal() principal: Principal, @Body(zod(AddBlacklistEntryRequestSchema)) body: AddBlacklistEntryRequest): Promise<BlacklistView> {
    return this.blacklist.add(callerOfPrincipal(principal), body);
  }

  /** `DELETE /v1/blacklist/number/%2B441234567890` or `/v1/blacklist/prefix/%2B4490`. */
  @Delete(':kind/:value')
  @RequirePrivileges(CALL_SLOTS_WRITE)
  @ApiZod({ response: BlacklistViewSchema, errors: [400, 401, 403, 404] })
  remove(@CurrentPrincipal() principal: Principal, @Param('kind') kind: string, @Param('value') value: string): Promise<BlacklistView> {
    return this.blacklist.remove(callerOfPrincipal(principal), parseOrThrow(RemoveBlacklistEntryRequestSchema, { kind, value }, 'params'));
  }
}
