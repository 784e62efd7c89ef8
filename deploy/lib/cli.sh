# Shared by deploy/install-cli.sh and deploy/test.sh: the command line as a statistician's script runs it.
# DEST/lib holds the full `readerstudy` (ReadyToRun: less to compile at start); DEST/readerstudy-stats is
# `readerstudy stats` compiled ahead of time (no runtime start-up); DEST/readerstudy sends `stats` to it and
# everything else to the full command line.
publish_cli() {
  local dest="$1"
  apt_install_missing gcc libc6-dev   # the native linker that ahead-of-time compilation calls
  rm -rf "$dest" && mkdir -p "$dest/lib"
  dotnet publish src/ReaderStudy.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$dest/lib" --nologo -v quiet -clp:ErrorsOnly >/dev/null
  local aot
  aot=$(mktemp -d)
  dotnet publish src/ReaderStudy.Stats.Cli -c Release -r linux-x64 -o "$aot" --nologo -v quiet -clp:ErrorsOnly >/dev/null
  cp "$aot/readerstudy-stats" "$dest/"
  rm -rf "$aot"
  install -m 755 deploy/readerstudy-launcher.sh "$dest/readerstudy"
}
