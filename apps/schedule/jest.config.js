module.exports = { ...require('../../jest.preset.js'), displayName: 'schedule', rootDir: __dirname };
