// The routing feature's migrations (replica snapshot, SIP call index, call offers), for the composition
// root's ReadModelsModule.forRoot and for tests that build the schema themselves. No TypeORM entities:
// the tables are read and written with plain SQL.
import { ReplicaSnapshot1700000000000 } from './migrations/1700000000000-replica-snapshot.migration';
import { CallOffers1700000000001 } from './migrations/1700000000001-call-offers.migration';

export const ROUTING_MIGRATIONS = [ReplicaSnapshot1700000000000, CallOffers1700000000001];
