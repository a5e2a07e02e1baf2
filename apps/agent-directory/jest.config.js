module.exports = { ...require('../../jest.preset.js'), displayName: 'agent-directory', rootDir: __dirname };
