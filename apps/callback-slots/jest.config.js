module.exports = { ...require('../../jest.preset.js'), displayName: 'callback-slots', rootDir: __dirname };
