// Smoke test of the installed package as ESM: test/package.test.ts copies the smoke files into a
// fresh project where the packed tarball is installed, so `deltaprop` resolves as it does for a user.
// Prints the resolved entry file; exits with a non-zero code on any failure.
import * as deltaprop from 'deltaprop';
import checks from './checks.cjs';

const failures = checks.smokeChecks(deltaprop);
if (failures.length > 0) {
  console.error(`smoke (ESM) failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`smoke (ESM): ok, ${import.meta.resolve('deltaprop')}`);
