#!/usr/bin/env bash
# Builds the client programs of clients/pins.txt into .cache/clients/bin
# (gitignored), from the Go module proxy, for the client readiness tests
# (issue 23; make clients-build runs it, and so does the e2e harness).
#
# A client is rebuilt only when its line in clients/pins.txt changed: the
# line it was built from is kept in .cache/clients/bin/.pins/<client>.
# Each build prints how long it took (cosign, the slowest, is about two
# minutes on two cores with an empty module cache).
#
#   scripts/build-clients.sh [client ...]   build these (default: every pin)
#
# CLIENTS_BIN overrides the folder; GO the go command.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pins="$root/clients/pins.txt"
bin="${CLIENTS_BIN:-$root/.cache/clients/bin}"
GO="${GO:-go}"
mkdir -p "$bin/.pins"

say() { echo "clients: $*" >&2; }

# build_install: `go install package@version`; replace directives of the
# client's own go.mod are not applied, which oras, regctl, cosign and helm
# do not need.
build_install() {
  local name=$1 version=$2 pkg=$3 ldflags=$4 tmp
  tmp="$(mktemp -d)"
  GOBIN="$tmp" GOWORK=off GOFLAGS= "$GO" install -ldflags "$ldflags" "$pkg@$version"
  mv "$tmp/$(basename "$pkg")" "$bin/$name"
  rmdir "$tmp"
}

# build_module: the package built inside a writable copy of its module, so
# that the module's replace directives hold; every //go:embed folder of the
# package that the release build generates gets a placeholder file.
build_module() {
  local name=$1 version=$2 pkg=$3 ldflags=$4 mod dir work
  mod="${pkg%/cmd/*}"
  dir="$(GOWORK=off GOFLAGS=-mod=mod "$GO" mod download -json "$mod@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] || { say "$name: go mod download $mod@$version gave no folder"; return 1; }
  work="$(mktemp -d)"
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  local rel="${pkg#"$mod"/}"
  grep -ho '^//go:embed [^ ]*/\*\.yaml' "$work/$rel"/*.go 2>/dev/null | while read -r _ pattern; do
    mkdir -p "$work/$rel/$(dirname "$pattern")"
    echo "# placeholder for the manifests of the release build" >"$work/$rel/$(dirname "$pattern")/placeholder.yaml"
  done
  (cd "$work" && GOWORK=off GOFLAGS=-mod=mod "$GO" build -ldflags "$ldflags" -o "$bin/$name" "./$rel")
  rm -rf "$work"
}

want=("$@")
built=0
while read -r name version how pkg ldflags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $name "* ]]; then
    continue
  fi
  line="$name $version $how $pkg $ldflags"
  stamp="$bin/.pins/$name"
  if [ -x "$bin/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$line" ]; then
    say "$name $version is built"
    continue
  fi
  say "building $name $version ($how $pkg)"
  start=$SECONDS
  rm -f "$stamp"
  case "$how" in
    install) build_install "$name" "$version" "$pkg" "$ldflags" ;;
    module) build_module "$name" "$version" "$pkg" "$ldflags" ;;
    *) say "$pins: $name: unknown way to build \"$how\" (install or module)"; exit 2 ;;
  esac
  echo "$line" >"$stamp"
  say "$name $version built in $((SECONDS - start)) s"
  built=$((built + 1))
done <"$pins"
say "$bin ready ($built built)"
