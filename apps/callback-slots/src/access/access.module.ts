// Who may use call slots: the agent-directory tenant replica (licence, default country) fed from
// JetStream, and the licence guard every controller of this service uses.
import { Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CallSlotsLicenceGuard } from './call-slots-licence.guard';
import { TenantDirectory } from './tenant-directory';
import { TenantDirectoryReplica } from './tenant-directory.replica';
import { TenantDirectoryWorker } from './tenant-directory.worker';

@Module({
  providers: [TenantDirectory, TenantDirectoryReplica, TenantDirectoryWorker, CallSlotsLicenceGuard],
  exports: [TenantDirectory, TenantDirectoryReplica, CallSlotsLicenceGuard],
})
export class AccessModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly worker: TenantDirectoryWorker) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
