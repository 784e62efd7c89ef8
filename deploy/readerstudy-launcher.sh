#!/bin/sh
# `readerstudy stats …` runs the ahead-of-time compiled statistics binary (it starts in milliseconds);
# every other command runs the full command line.
here=$(dirname "$(readlink -f "$0")")
if [ "$1" = stats ]; then
  exec "$here/readerstudy-stats" "$@"
fi
exec "$here/lib/readerstudy" "$@"
