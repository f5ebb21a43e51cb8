#!/usr/bin/env bash
# The whole test suite: installs the Debian packages the tests need when they are missing,
# then builds every module and runs every test (unit and integration).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/install-deps.sh"
cd "$here"
mvn -B verify "$@"
