# A throwaway S3-compatible server (s3rver, from npm) on loopback for the S3 image store tests.

S3_PORT="${S3_PORT:-55434}"

start_s3() {
  local data="$1"
  if [ ! -d deploy/test-tools/node_modules/s3rver ] || [ ! -d deploy/test-tools/node_modules/kubernetes-models ]; then
    (cd deploy/test-tools && npm ci --no-audit --no-fund --loglevel=error)
  fi
  node deploy/test-tools/node_modules/s3rver/bin/s3rver.js -d "$data" -a 127.0.0.1 -p "$S3_PORT" --silent \
    --allow-mismatched-signatures --configure-bucket readerstudy-test >"$data.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$S3_PORT") 2>/dev/null && { echo "s3rver on 127.0.0.1:$S3_PORT"; return 0; }
    sleep 0.2
  done
  echo "s3rver did not start; see $data.log" >&2
  return 1
}

stop_s3() {
  [ -n "${S3_PID:-}" ] && kill "$S3_PID" 2>/dev/null || true
}
