#!/usr/bin/env bash
# The seed's five capability probes as a plain bash script with curl, the
# way its "How to fix" sections test a registry by hand. `make bench` times
# it against `ocicaps run` on the same registry (docs/benchmarks.md).
#
#   bench/seed-probes.sh URL [REPOSITORY [TAG [MOUNT_REPOSITORY]]]
#
# It does what the features do, request for request: GET /v2/; HEAD the
# manifest for its digest, then GET its referrers; POST an upload and
# DELETE the session; GET the manifest for a blob digest, POST a
# cross-repository mount and DELETE what it made; OPTIONS on the manifest.
# It prints one verdict per capability (yes/no), in the seed's order.
set -uo pipefail

url=${1:?usage: seed-probes.sh URL [REPOSITORY [TAG [MOUNT_REPOSITORY]]]}
repo=${2:-library/alpine}
tag=${3:-latest}
mount=${4:-ocicaps/mount-probe}
accept='Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json'
c=(curl -sS --max-time 30)

# header NAME < headers: the value of a response header, case-insensitive.
header() { tr -d '\r' | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" 'BEGIN{FS=": "} tolower($1)==h {sub(/^[^:]*: /,""); print; exit}'; }
# status < headers: the status code of the last response.
status() { awk '/^HTTP\//{s=$2} END{print s}'; }
# absolute LOCATION: a Location header made absolute against the registry.
absolute() { case "$1" in http://*|https://*) echo "$1" ;; *) echo "$url$1" ;; esac; }

# distribution-version
h=$("${c[@]}" -o /dev/null -D - "$url/v2/")
if [ -n "$(header OCI-Distribution-API-Version <<<"$h")$(header Docker-Distribution-API-Version <<<"$h")" ]; then v1=yes; else v1=no; fi

# referrers: 200, or 404 with an OCI image index
digest=$("${c[@]}" -I -H "$accept" "$url/v2/$repo/manifests/$tag" | header Docker-Content-Digest)
body=$("${c[@]}" -H 'Accept: application/vnd.oci.image.index.v1+json' -w '\n%{http_code} %{content_type}' "$url/v2/$repo/referrers/$digest")
last=${body##*$'\n'}
code=${last%% *}
if [ "$code" = 200 ] || { [ "$code" = 404 ] && grep -q '"manifests"' <<<"${body%$'\n'*}"; }; then v2=yes; else v2=no; fi

# chunked-upload: POST opens a session (202); cancel it
h=$("${c[@]}" -X POST -o /dev/null -D - "$url/v2/$repo/blobs/uploads/")
if [ "$(status <<<"$h")" = 202 ]; then v3=yes; else v3=no; fi
loc=$(header Location <<<"$h")
[ -n "$loc" ] && "${c[@]}" -X DELETE -o /dev/null "$(absolute "$loc")"

# cross-repo-mount: a blob of the manifest, mounted into another repository (201 or 202); delete what it made
blob=$("${c[@]}" -H "$accept" "$url/v2/$repo/manifests/$tag" | grep -o '"digest": *"sha256:[0-9a-f]*"' | tail -1 | grep -o 'sha256:[0-9a-f]*')
h=$("${c[@]}" -X POST -o /dev/null -D - "$url/v2/$mount/blobs/uploads/?mount=$blob&from=$repo")
case "$(status <<<"$h")" in 201|202) v4=yes ;; *) v4=no ;; esac
loc=$(header Location <<<"$h")
[ -n "$loc" ] && "${c[@]}" -X DELETE -o /dev/null "$(absolute "$loc")"

# delete: OPTIONS lists DELETE in Allow
allow=$("${c[@]}" -X OPTIONS -o /dev/null -D - "$url/v2/$repo/manifests/$tag" | header Allow)
if grep -qw DELETE <<<"$allow"; then v5=yes; else v5=no; fi

echo "distribution-version=$v1 referrers=$v2 chunked-upload=$v3 cross-repo-mount=$v4 delete=$v5"
