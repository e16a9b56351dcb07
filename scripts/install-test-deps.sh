#!/usr/bin/env bash
# Installs what the tests need when it is missing, so that `make test` works
# on a clean machine (CI runs it as root):
#   xmllint    validates junit.xml against the Jenkins schema (libxml2-utils)
#   chromium   opens report.html in the browser test (Debian's chromium, with
#              a font so that screenshots show text)
#   node, npm  run the JUnit consumers from the npm registry
#   docker-registry  CNCF Distribution 2.8.2, a zoo registry of its own
#              (internal/zoo KindDistribution28); its service is not left
#              running
#   skopeo     Debian's skopeo (1.9.3 on bookworm), a client of the client
#              readiness tests (issue 23; the Go clients are built by
#              scripts/build-clients.sh); about 10 s to install
#   tools/junit-consumer/node_modules  those consumers, pinned by its
#              package-lock.json and installed with `npm ci`
#   tools/ctrf/node_modules  the CTRF validator (ctrf) and a CTRF reporter
#              (github-actions-ctrf) that read ctrf.json, pinned the same way
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
# Each step says what it is doing and how long it took: on a clean machine
# these are the slowest minutes of `make test`.
step() { echo "test-deps: $*" >&2; }
if [ ${#need[@]} -gt 0 ]; then
  start=$SECONDS
  step "installing ${need[*]} (Debian packages needed by the tests; a few minutes on a clean machine)"
  step "apt-get update"
  $SUDO apt-get update -qq
  step "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  # The package starts a registry service on :5000; the tests run their own.
  if [[ " ${need[*]} " == *" docker-registry "* ]] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
  step "Debian packages installed ($((SECONDS - start)) s)"
else
  step "xmllint, chromium, node, npm, docker-registry and skopeo are present"
fi

# The consumers are reinstalled only when the lock file changed: the stamp
# holds the checksum of the package-lock.json they were installed from.
for consumer in tools/junit-consumer tools/ctrf; do
  stamp=$consumer/node_modules/.ocicaps-lock.sha256
  sum=$(sha256sum "$consumer/package-lock.json" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
    start=$SECONDS
    step "installing the consumers in $consumer (npm ci)"
    (cd "$consumer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$sum" > "$stamp"
    step "consumers in $consumer installed ($((SECONDS - start)) s)"
  else
    step "consumers up to date ($consumer)"
  fi
done
