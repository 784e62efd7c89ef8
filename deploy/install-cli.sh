#!/usr/bin/env bash
# Installs the `readerstudy` command line for scripts: /opt/readerstudy/cli, linked as /usr/local/bin/readerstudy.
#   bash deploy/install-cli.sh [DEST]
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib/prerequisites.sh
source deploy/lib/cli.sh
apt_install_missing libgdcm-cil
dest="${1:-/opt/readerstudy/cli}"
publish_cli "$dest"
ln -sf "$dest/readerstudy" /usr/local/bin/readerstudy
echo "readerstudy installed in $dest; try: readerstudy stats icc --csv FILE.csv"
