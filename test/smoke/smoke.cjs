// Smoke test of the installed package as CommonJS: test/package.test.ts copies the smoke files into a
// fresh project where the packed tarball is installed, so `deltaprop` resolves as it does for a user.
// Prints the resolved entry file; exits with a non-zero code on any failure.
'use strict';
const deltaprop = require('deltaprop');
const { smokeChecks } = require('./checks.cjs');

const failures = smokeChecks(deltaprop);
if (failures.length > 0) {
  console.error(`smoke (CJS) failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`smoke (CJS): ok, ${require.resolve('deltaprop')}`);
