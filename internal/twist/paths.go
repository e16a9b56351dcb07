package twist

import "regexp"

// The registry API paths the modes recognise, each written once: the
// repository is group 1, the digest or reference group 2.
var (
	blobPathRE      = regexp.MustCompile(`^/v2/(.+)/blobs/([a-z0-9]+:[a-f0-9]+)$`)
	manifestPathRE  = regexp.MustCompile(`^/v2/(.+)/manifests/([^/]+)$`)
	uploadPathRE    = regexp.MustCompile(`^/v2/(.+)/blobs/uploads/?`)
	tagsPathRE      = regexp.MustCompile(`^/v2/(.+)/tags/list$`)
	referrersPathRE = regexp.MustCompile(`^/v2/(.+)/referrers/([^/]+)$`)
)
