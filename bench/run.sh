#!/usr/bin/env bash
# `make bench`: every measurement of docs/benchmarks.md, in one run.
# Prints Markdown on stdout and keeps a copy in reports/bench.md. Takes a
# few minutes; not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# GNU time gives the peak memory ("Maximum resident set size").
if [ ! -x /usr/bin/time ]; then
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing time (Debian package, for peak memory)" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
command -v curl >/dev/null || { echo "bench: curl is needed for the comparison script" >&2; exit 1; }

mkdir -p reports
out=reports/bench.md
{
  go run ./bench "$@"
  echo "### Go benchmarks"
  echo
  echo '```'
  echo '$ go test -run "^$" -bench . -benchmem -count 5 ./runner ./suite ./report'
  go test -run '^$' -bench . -benchmem -count 5 ./runner ./suite ./report | grep -E '^(Benchmark|goos|goarch|cpu|ok)'
  echo '```'
} | tee "$out"
echo "bench: written to $out" >&2
