package program

import "regexp"

// A client logs the tokens it got from a token service (regctl and oras
// with --debug print request headers): the scrubber does not know them,
// as it knows only the run's configured secrets, so whatever follows an
// Authorization header or a Bearer scheme is scrubbed wherever it shows.
var (
	authHeaderRE = regexp.MustCompile(`(?i)(authorization"?\s*[:=]\s*"?\[?"?)[^\r\n"\]]+`)
	bearerRE     = regexp.MustCompile(`(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*`)
)

const scrubbed = "[REDACTED]" // client.Redacted, which this package does not import

func scrubAuth(s string) string {
	s = authHeaderRE.ReplaceAllString(s, "${1}"+scrubbed)
	return bearerRE.ReplaceAllString(s, "${1}"+scrubbed)
}

func scrubAuthBytes(b []byte) []byte {
	b = authHeaderRE.ReplaceAll(b, []byte("${1}"+scrubbed))
	return bearerRE.ReplaceAll(b, []byte("${1}"+scrubbed))
}
