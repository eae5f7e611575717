#!/usr/bin/env bash
# Sets up what is missing, then serves the site with live reload on
# http://127.0.0.1:8080 (extra arguments go to `trunk serve`).
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
exec trunk serve "$@"
