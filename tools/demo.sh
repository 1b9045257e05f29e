#!/usr/bin/env bash
# Sets up and builds (tools/setup.sh), then runs the SME credit policy on the bundled example
# portfolio (5,000 applications) and prints a summary.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/setup.sh
echo
build/credo run policies/sme-credit-v1.credo \
  --in examples/sme-portfolio.csv \
  --out build/demo-out.csv \
  --rejects build/demo-rejects.csv \
  --summary
echo
echo "decisions: $PWD/build/demo-out.csv"
echo "rejects:   $PWD/build/demo-rejects.csv"
echo "expected (reference oracle): $PWD/examples/sme-portfolio.expected.csv and $PWD/examples/sme-portfolio.rejects.csv"
