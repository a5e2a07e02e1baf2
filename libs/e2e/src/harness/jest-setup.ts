// Stories wait for replicas fed by JetStream and, in the call-slot story, for a callback's due time.
jest.setTimeout(60_000);
