#!/usr/bin/env bash
# `npm test`: every project's tests (unit, integration, e2e) in one jest run against the real
# PostgreSQL, Redis and NATS, ending with the totals as a line of their own: "N passed, N failed" (skipped tests counted on the line before).
set -uo pipefail
cd "$(dirname "$0")/../.."
bash tools/dev/ensure-install.sh || exit 1
bash tools/dev/infra.sh || { echo "infrastructure is not available: see the messages above"; exit 1; }
mkdir -p tmp
rm -f tmp/jest-results.json
npx jest --ci --maxWorkers=2 --json --outputFile=tmp/jest-results.json "$@"
code=$?
if [ -f tmp/jest-results.json ]; then
  node -e 'const r=require("./tmp/jest-results.json"); const failedSuites=r.testResults.filter(s=>s.status==="failed"&&s.assertionResults.length===0).length; if(failedSuites) console.log(`${failedSuites} test file(s) failed to run`); for(const s of r.testResults) for(const a of s.assertionResults) if(a.status==="pending"||a.status==="todo") console.log(`skipped: ${a.fullName}`); const skipped=r.numPendingTests+r.numTodoTests; if(skipped) console.log(`${skipped} skipped`); console.log(`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed`)'
else
  echo "0 passed, 1 failed (jest produced no results)"
  [ $code = 0 ] && code=1
fi
exit $code
