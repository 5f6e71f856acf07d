'use strict';
// Shared by the tests: the package under test and the repository's paths.
const path = require('node:path');
const fs = require('node:fs');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

// The crate's version, read from Cargo.toml (the one source of truth).
function cargoVersion() {
  const text = fs.readFileSync(path.join(repoRoot, 'Cargo.toml'), 'utf8');
  const m = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(text);
  if (!m) throw new Error('no [package] version in Cargo.toml');
  return m[1];
}

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

module.exports = { repoRoot, cargoVersion, b64urlJson, KEY: 'dstoken-test-key-0123456789abcdefghij' };
