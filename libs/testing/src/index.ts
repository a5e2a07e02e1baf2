export * from './unique';
export * from './manual-clock';
export * from './infra-urls';
export * from './http-client';
export * from './wait-for';
export * from './start-test-app';
