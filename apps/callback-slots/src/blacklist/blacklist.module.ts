// The tenant blacklist: its stream-backed reader (every number check) and its management use-cases.
import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { BlacklistReader } from './blacklist-reader';
import { BlacklistService } from './blacklist.service';

@Module({
  imports: [AccessModule],
  providers: [BlacklistReader, BlacklistService],
  exports: [BlacklistReader, BlacklistService],
})
export class BlacklistModule {}
