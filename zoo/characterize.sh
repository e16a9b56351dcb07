#!/bin/sh
# characterize.sh — probe a running zoo with curl and print what each
# registry answers. Used to write "What each zoo registry does (observed)" in
# zoo/README.md. Start a fresh zoo first (the probes push and delete):
#
#   go run ./cmd/zoo exec -- sh zoo/characterize.sh
#
# Needs curl and sha256sum. Registries are taken from $ZOO_REGISTRIES
# ("name=url ..."), defaulting to the standard ports 5001..5005.
set -u

: "${ZOO_REGISTRIES:=zoo-distribution=http://127.0.0.1:5001 zoo-distribution-nodelete=http://127.0.0.1:5002 zoo-crane=http://127.0.0.1:5003 zoo-olareg=http://127.0.0.1:5004 zoo-olareg-noreferrers=http://127.0.0.1:5005}"

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

ACCEPT_ALL='application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json'

# req METHOD URL [curl args...]: prints the status line and the headers we care
# about, then the first 200 characters of the body.
req() {
	m=$1 u=$2
	shift 2
	if [ "$m" = HEAD ]; then
		curl -s -I -o /dev/null -D "$TMP/h" "$@" "$u" >/dev/null
		: >"$TMP/b"
	else
		curl -s -X "$m" -o "$TMP/b" -D "$TMP/h" "$@" "$u" >/dev/null
	fi
	printf '  %s %s\n' "$m" "$u"
	sed -n '1s/\r$//p' "$TMP/h" | sed 's/^/    /'
	grep -i -E '^(location|content-type|content-length|content-range|range|docker-content-digest|docker-upload-uuid|docker-distribution-api-version|oci-distribution-api-version|oci-subject|oci-filters-applied|allow|link|warning):' "$TMP/h" | tr -d '\r' | sed 's/^/    /'
	if [ -s "$TMP/b" ]; then
		printf '    body: %s\n' "$(head -c 200 "$TMP/b" | tr -d '\n')"
	fi
}

hdr() { grep -i "^$1:" "$TMP/h" | head -n1 | sed 's/^[^:]*: *//' | tr -d '\r'; }

# abs BASE LOCATION: resolve a possibly relative Location against BASE.
abs() {
	case $2 in
	http://* | https://*) printf '%s' "$2" ;;
	*) printf '%s%s' "$1" "$2" ;;
	esac
}

# push_blob BASE REPO FILE: monolithic upload, prints the PUT status.
push_blob() {
	d="sha256:$(sha256sum "$3" | cut -d' ' -f1)"
	curl -s -X POST -o /dev/null -D "$TMP/ph" "$1/v2/$2/blobs/uploads/"
	loc=$(abs "$1" "$(grep -i '^location:' "$TMP/ph" | sed 's/^[^:]*: *//' | tr -d '\r')")
	case $loc in *\?*) sep='&' ;; *) sep='?' ;; esac
	curl -s -X PUT -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
		--data-binary "@$3" "$loc${sep}digest=$d"
}

for entry in $ZOO_REGISTRIES; do
	name=${entry%%=*} base=${entry#*=}
	echo "== $name ($base)"

	# The seeded image, fetched back so the probes can re-push it.
	curl -s -o "$TMP/manifest" -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$base/v2/library/alpine/manifests/latest"
	mdigest="sha256:$(sha256sum "$TMP/manifest" | cut -d' ' -f1)"
	cdigest=$(grep -o '"config":{[^}]*}' "$TMP/manifest" | grep -o 'sha256:[0-9a-f]*')
	ldigest=$(grep -o '"layers":\[{[^}]*}' "$TMP/manifest" | grep -o 'sha256:[0-9a-f]*')
	curl -s -o "$TMP/config" "$base/v2/library/alpine/blobs/$cdigest"
	curl -s -o "$TMP/layer" "$base/v2/library/alpine/blobs/$ldigest"
	echo "  seed manifest $mdigest layer $ldigest"

	echo "a. API root"
	req GET "$base/v2/"
	echo "b. HEAD manifest by tag, Accept OCI+Docker manifest+index"
	req HEAD "$base/v2/library/alpine/manifests/latest" -H "Accept: $ACCEPT_ALL"
	echo "c. referrers (no referrers pushed)"
	req GET "$base/v2/library/alpine/referrers/$mdigest" -H 'Accept: application/vnd.oci.image.index.v1+json'

	echo "d. open upload session, then DELETE it"
	req POST "$base/v2/library/alpine/blobs/uploads/"
	loc=$(abs "$base" "$(hdr location)")
	req DELETE "$loc"
	req GET "$loc"

	echo "e. cross-repo mount, then DELETE the Location"
	req POST "$base/v2/ocicaps/mount-probe/blobs/uploads/?mount=$ldigest&from=library/alpine"
	loc=$(abs "$base" "$(hdr location)")
	req DELETE "$loc"
	echo "e2. mount without from="
	req POST "$base/v2/ocicaps/mount-probe2/blobs/uploads/?mount=$ldigest"
	loc=$(abs "$base" "$(hdr location)")
	[ -n "$(hdr location)" ] && curl -s -o /dev/null -X DELETE "$loc"

	echo "f. OPTIONS"
	req OPTIONS "$base/v2/library/alpine/manifests/latest"

	echo "h. catalog, tags pagination, blob range, plain HEAD"
	req GET "$base/v2/_catalog"
	req GET "$base/v2/library/alpine/tags/list?n=1"
	req GET "$base/v2/library/alpine/blobs/$ldigest" -H 'Range: bytes=0-9'
	req HEAD "$base/v2/library/alpine/manifests/latest"
	req HEAD "$base/v2/library/alpine/manifests/$mdigest"
	req GET "$base/v2/library/alpine/manifests/latest" -H 'Accept:'
	req GET "$base/v2/library/alpine/manifests/latest" -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'
	req HEAD "$base/v2/library/alpine/manifests/latest" -H 'Accept: application/vnd.oci.image.manifest.v1+json'
	echo "h2. tags pagination with three tags (ocicaps/tags-probe: a b c)"
	echo "  push config $(push_blob "$base" ocicaps/tags-probe "$TMP/config") layer $(push_blob "$base" ocicaps/tags-probe "$TMP/layer")"
	for tag in c a b; do
		curl -s -o /dev/null -w "  PUT tag $tag: %{http_code}\n" -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$TMP/manifest" "$base/v2/ocicaps/tags-probe/manifests/$tag"
	done
	req GET "$base/v2/ocicaps/tags-probe/tags/list?n=1"
	req GET "$base/v2/ocicaps/tags-probe/tags/list?n=1&last=a"
	req GET "$base/v2/ocicaps/tags-probe/tags/list?n=0"
	req GET "$base/v2/_catalog?n=1"

	# After h: on crane a blob DELETE in any repo removes the blob everywhere.
	echo "g. delete in a throwaway repo"
	echo "  push config $(push_blob "$base" ocicaps/delete-probe "$TMP/config") layer $(push_blob "$base" ocicaps/delete-probe "$TMP/layer")"
	req PUT "$base/v2/ocicaps/delete-probe/manifests/v1" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$TMP/manifest"
	req DELETE "$base/v2/ocicaps/delete-probe/manifests/v1"
	req DELETE "$base/v2/ocicaps/delete-probe/manifests/$mdigest"
	req GET "$base/v2/ocicaps/delete-probe/manifests/$mdigest" -H "Accept: $ACCEPT_ALL"
	req DELETE "$base/v2/ocicaps/delete-probe/blobs/$ldigest"
	req HEAD "$base/v2/ocicaps/delete-probe/blobs/$ldigest"
	req HEAD "$base/v2/library/alpine/blobs/$ldigest"
	req DELETE "$base/v2/ocicaps/delete-probe/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000"

	echo "i. chunked upload (two PATCHes, then PUT), and an out-of-order chunk"
	head -c 10 "$TMP/layer" >"$TMP/c1"
	tail -c +11 "$TMP/layer" >"$TMP/c2"
	n=$(wc -c <"$TMP/layer")
	req POST "$base/v2/ocicaps/chunk-probe/blobs/uploads/"
	loc=$(abs "$base" "$(hdr location)")
	req PATCH "$loc" -H 'Content-Type: application/octet-stream' -H 'Content-Range: 0-9' --data-binary "@$TMP/c1"
	loc=$(abs "$base" "$(hdr location)")
	req PATCH "$loc" -H 'Content-Type: application/octet-stream' -H "Content-Range: 10-$((n - 1))" --data-binary "@$TMP/c2"
	loc=$(abs "$base" "$(hdr location)")
	case $loc in *\?*) sep='&' ;; *) sep='?' ;; esac
	req PUT "$loc${sep}digest=$ldigest"
	req POST "$base/v2/ocicaps/chunk-probe/blobs/uploads/"
	loc=$(abs "$base" "$(hdr location)")
	req PATCH "$loc" -H 'Content-Type: application/octet-stream' -H 'Content-Range: 5-14' --data-binary "@$TMP/c1"
	req PATCH "$base/v2/ocicaps/chunk-probe/blobs/uploads/" -H 'Content-Type: application/octet-stream' --data-binary "@$TMP/c1"

	echo "j. push a referrer (artifact manifest with subject), then list referrers"
	printf '{}' >"$TMP/empty"
	echo "  push empty blob $(push_blob "$base" library/alpine "$TMP/empty")"
	msize=$(wc -c <"$TMP/manifest")
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.ocicaps.test","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s}}' "$mdigest" "$msize" >"$TMP/ref"
	rdigest="sha256:$(sha256sum "$TMP/ref" | cut -d' ' -f1)"
	req PUT "$base/v2/library/alpine/manifests/$rdigest" -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$TMP/ref"
	req GET "$base/v2/library/alpine/referrers/$mdigest" -H 'Accept: application/vnd.oci.image.index.v1+json'
	req GET "$base/v2/library/alpine/referrers/$mdigest?artifactType=application/vnd.ocicaps.test" -H 'Accept: application/vnd.oci.image.index.v1+json'
	req GET "$base/v2/library/alpine/tags/list"
	echo
done
