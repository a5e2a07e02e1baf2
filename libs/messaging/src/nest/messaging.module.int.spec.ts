// MessagingModule in a real Nest application context: the connection is injectable, streams exist
// after init, and closing the app drains the connection.
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { NATS_URL, deleteNamespaceStreams, testConnection, uniqueName } from '../../test/messaging-test.fixture';
import { jetStreamNames } from '../jetstream-names.builder';
import { MessagingModule } from './messaging.module';
import { MESSAGING_OPTIONS, NATS_CONNECTION } from './messaging.tokens';

jest.setTimeout(30_000);

@Injectable()
class UsesNats {
  constructor(@Inject(NATS_CONNECTION) readonly nc: NatsConnection) {}
}

describe('MessagingModule (real NATS)', () => {
  let namespace: string;

  beforeEach(() => {
    namespace = uniqueName();
  });
  afterEach(async () => {
    const nc = await testConnection();
    await deleteNamespaceStreams(nc, namespace);
    await nc.close();
  });

  it('provides the connection to other modules, ensures the streams on init and drains on close', async () => {
    @Module({ providers: [UsesNats] })
    class FeatureModule {}
    @Module({
      imports: [MessagingModule.forRoot({ service: 'divert', natsUrl: NATS_URL, namespace, streams: ['divert', 'schedule'] }), FeatureModule],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    await app.init();
    const { nc } = app.get(UsesNats);
    const jsm = await nc.jetstreamManager();
    const names = jetStreamNames(namespace);

    expect(app.get(MESSAGING_OPTIONS)).toMatchObject({ service: 'divert', namespace });
    expect(nc.isClosed()).toBe(false);
    for (const stream of [names.eventStream('divert'), names.eventStream('schedule'), names.deadLetterStream]) {
      expect((await jsm.streams.info(stream)).config.name).toBe(stream);
    }

    await app.close();
    expect(nc.isClosed()).toBe(true);
  });
});
