#!/usr/bin/env bash
# Runs the portal on the embedded defaults: SQLite, a local file store under data/, CPU inference,
# the seeded demo study and demo accounts (printed below). Open http://127.0.0.1:5080 and sign in.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib/prerequisites.sh

apt_install_missing libgdcm-cil
build_front_end
exec dotnet run --project src/ReaderStudy.Web --launch-profile ReaderStudy -- "$@"
