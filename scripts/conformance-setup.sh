#!/usr/bin/env bash
# Installs the real software the conformance suite (test/conformance) checks the library against:
#   docker-registry (CNCF distribution), skopeo, apache2-utils (htpasswd), golang-go + sprig (Go text/template).
# Idempotent: installs only what is missing, runs `apt-get update` at most once. Without root it only says what is
# missing; the conformance tests then skip locally (and fail when CI=true).
set -euo pipefail

PACKAGES=(docker-registry skopeo apache2-utils golang-go golang-github-masterminds-sprig-dev)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "conformance-setup: all packages present (${PACKAGES[*]})"
else
  if [ "$(id -u)" -ne 0 ]; then
    echo "conformance-setup: SKIP install, not root. Missing: ${missing[*]}"
    echo "conformance-setup: run 'sudo bash scripts/conformance-setup.sh' to enable the conformance tests."
    exit 0
  fi
  echo "conformance-setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Other apt users (unattended upgrades, a parallel job) may hold the lock: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's docker-registry ships a system service (systemd unit and init script) that listens on :5000 with its own
# data directory. Here a policy-rc.d usually keeps apt from starting it; where apt did start it, stop and disable it:
# the tests start their own registry on a random 127.0.0.1 port and need nothing from it. Only the service's own
# pidfile or unit is used, never a process name, so registries started by tests are left alone.
if [ "$(id -u)" -eq 0 ]; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    if systemctl is-active --quiet docker-registry 2>/dev/null || systemctl is-enabled --quiet docker-registry 2>/dev/null; then
      systemctl disable --now docker-registry >/dev/null 2>&1 || true
      echo "conformance-setup: stopped and disabled the docker-registry systemd service"
    fi
  elif [ -x /etc/init.d/docker-registry ] && [ -s /var/run/docker-registry.pid ]; then
    /etc/init.d/docker-registry stop >/dev/null 2>&1 || true
    update-rc.d docker-registry disable >/dev/null 2>&1 || true
    echo "conformance-setup: stopped and disabled the docker-registry init service"
  fi
fi
echo "conformance-setup: done"
