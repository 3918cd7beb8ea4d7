#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when something is missing (CI and fresh machines).
set -euo pipefail

need=()
/usr/bin/python3 -c 'import fastapi, uvicorn, flask' 2>/dev/null || need+=(python3-fastapi python3-uvicorn python3-flask)
command -v bandit >/dev/null 2>&1 || need+=(bandit)
command -v fail2ban-regex >/dev/null 2>&1 || need+=(fail2ban)
[ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "install-test-deps: installing ${need[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: need root or sudo to install ${need[*]}" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
