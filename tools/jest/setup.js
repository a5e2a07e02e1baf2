// Runs before every test file: NestJS needs reflect-metadata loaded first.
require('reflect-metadata');
