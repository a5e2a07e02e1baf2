module.exports = { ...require('../../jest.preset.js'), displayName: 'divert', rootDir: __dirname };
