# Shared by deploy/run.sh and deploy/test.sh: install only what is missing, so a second run is quick.

apt_install_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Builds the browser assets (viewer, helpers) from wwwroot-assets/ into the web app's wwwroot/assets/.
build_front_end() {
  command -v npm >/dev/null || apt_install_missing nodejs npm
  local assets="wwwroot-assets"
  if [ ! -d "$assets/node_modules" ] || [ "$assets/package-lock.json" -nt "$assets/node_modules/.package-lock.json" ]; then
    (cd "$assets" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd "$assets" && npm run --silent build)
}
