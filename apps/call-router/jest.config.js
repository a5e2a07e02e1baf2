module.exports = { ...require('../../jest.preset.js'), displayName: 'call-router', rootDir: __dirname };
