// Call slots: their definitions (stream-backed catalog and use-cases) and availability from the load table.
import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module';
import { AvailabilityService } from './availability.service';
import { CallSlotCatalog } from './call-slot-catalog';
import { CallSlotService } from './call-slot.service';

@Module({
  imports: [ProjectionsModule],
  providers: [CallSlotCatalog, AvailabilityService, CallSlotService],
  exports: [CallSlotCatalog, AvailabilityService, CallSlotService],
})
export class CallSlotsModule {}
