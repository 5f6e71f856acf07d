'use strict';
// One version everywhere: Cargo.toml (the source of truth), package.json, its lock file, the
// exported constant and the loaded library.
const test = require('node:test');
const assert = require('node:assert/strict');
const dst = require('..');
const { cargoVersion } = require('./helpers');

test('package.json, package-lock.json, dstoken.version and the library all carry the Cargo.toml version', () => {
  const v = cargoVersion();
  assert.equal(require('../package.json').version, v);
  const lock = require('../package-lock.json');
  assert.equal(lock.version, v);
  assert.equal(lock.packages[''].version, v);
  assert.equal(dst.version, v);
  assert.equal(dst.libraryVersion(), v);
});
