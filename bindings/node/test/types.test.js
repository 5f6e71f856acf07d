'use strict';
// index.d.ts compiles under tsc --strict and types the README's usage (test/types-check.ts).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

test('index.d.ts: tsc --strict accepts the README usage and rejects misuse', () => {
  // A project where 'dstoken' resolves to this package, as in a user's node_modules.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dstoken-tsc-'));
  try {
    const pkg = path.join(dir, 'node_modules', 'dstoken');
    fs.mkdirSync(pkg, { recursive: true });
    for (const f of ['package.json', 'index.d.ts']) fs.copyFileSync(path.join(__dirname, '..', f), path.join(pkg, f));
    fs.copyFileSync(path.join(__dirname, 'types-check.ts'), path.join(dir, 'check.ts'));
    // Node's globals the check uses (Buffer, console), without depending on @types/node.
    fs.writeFileSync(path.join(dir, 'globals.d.ts'),
      'declare const Buffer: { from(s: string): Uint8Array };\ndeclare const console: { log(...a: unknown[]): void };\n');
    const tsc = require.resolve('typescript/bin/tsc');
    // "types" (node10 resolution) and "exports" (node16) must both lead to index.d.ts.
    for (const [module, moduleResolution] of [['commonjs', 'node10'], ['node16', 'node16']]) {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022'], module, moduleResolution, types: [] },
        files: ['check.ts', 'globals.d.ts'],
      }));
      const r = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `${moduleResolution}: ${r.stdout}${r.stderr}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
