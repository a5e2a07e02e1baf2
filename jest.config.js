// `npm test` runs every project's suite in one jest run, so the totals are one number.
const fs = require('node:fs');
const path = require('node:path');

const projects = ['apps', 'libs']
  .flatMap((dir) => fs.readdirSync(path.join(__dirname, dir)).map((name) => path.join(dir, name)))
  .filter((dir) => fs.existsSync(path.join(__dirname, dir, 'jest.config.js')))
  .map((dir) => `<rootDir>/${dir}`);

module.exports = { projects, testTimeout: 30000 };
