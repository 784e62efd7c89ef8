#!/usr/bin/env bash
# Runs every test: unit, integration (on SQLite and on a throwaway PostgreSQL server), browser (headless
# Chromium) and front-end tests. Installs what is missing first. The last line is the totals over all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/lib/prerequisites.sh
source deploy/lib/postgres.sh
source deploy/lib/s3.sh
source deploy/lib/cli.sh

apt_install_missing libgdcm-cil postgresql chromium dcmtk dicom3tools python3-scipy python3-pydicom python3-nibabel dcm2niix orthanc orthanc-dicomweb
build_front_end

results="$PWD/TestResults"
rm -rf "$results" && mkdir -p "$results"

start_postgres "$(mktemp -d /tmp/readerstudy-pg.XXXXXX)"
export READERSTUDY_TEST_POSTGRES="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres"
start_s3 "$(mktemp -d /tmp/readerstudy-s3.XXXXXX)"
trap 'stop_postgres; stop_s3' EXIT
export READERSTUDY_TEST_S3="http://127.0.0.1:$S3_PORT"
export READERSTUDY_CHROMIUM="${READERSTUDY_CHROMIUM:-$(command -v chromium)}"

dotnet build ReaderStudy.sln -c Release -nologo -clp:ErrorsOnly
# The command line as installed (launcher, ahead-of-time `stats`); the command-line tests run it too.
publish_cli "$results/cli"
export READERSTUDY_CLI="$results/cli/readerstudy"

status=0
for project in tests/*/*.Tests.csproj tests/ReaderStudy.IntegrationTests/*.csproj tests/ReaderStudy.E2ETests/*.csproj; do
  [ -f "$project" ] || continue
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done

echo "== front-end (node --test)"
(cd wwwroot-assets && node --test test/ | tee "$results/front-end.tap") || status=1
echo "== deployment manifests (node --test, Kubernetes schemas)"
(cd deploy/test-tools && node --test test/ | tee "$results/deploy.tap") || status=1

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
  # A crashed test host leaves counters of the tests it finished only: count the aborted run as a failure.
  if grep -q '<ResultSummary outcome="\(Failed\|Aborted\|Error\)"' "$trx" && [ "$(value failed)" = "0" ]; then
    echo "$(basename "$trx" .trx): the test run was aborted ($(grep -o 'Reason: [^<]*' "$trx" | head -1))" >&2
    failed=$((failed + 1))
  fi
done
tap() { cat "$results"/*.tap | grep -o "^# $1 [0-9]*" | grep -o '[0-9]*$' | awk '{s+=$1} END {print s+0}'; }
passed=$((passed + $(tap pass)))
failed=$((failed + $(tap fail)))
skipped=$((skipped + $(tap skipped)))

if [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
