// The call log's TypeORM entities and migrations, for the composition root's ReadModelsModule.forRoot.
import { CallbackAttemptEntity } from './callbacks/callback-attempt.entity';
import { ReportingLineEntity } from './directory/reporting-line.entity';
import { CallLogReadModels1700000100000 } from './migrations/1700000100000-call-log-read-models.migration';
import { CallLogAgentCallEntity } from './projections/call-log-agent-call.entity';
import { CallLogCallEntity } from './projections/call-log-call.entity';
import { CallLogStepEntity } from './projections/call-log-step.entity';

export const CALL_LOG_ENTITIES = [CallLogCallEntity, CallLogStepEntity, CallLogAgentCallEntity, ReportingLineEntity, CallbackAttemptEntity];
export const CALL_LOG_MIGRATIONS = [CallLogReadModels1700000100000];
