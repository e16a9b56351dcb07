// Package features embeds the default suite: one capability per .feature
// file, in one folder per kind of check:
//
//	capabilities/  the seed's check.integration.oci.capabilities (run by default)
//	related/       the seed's related checks (registry, referrers, credentials, pull, push)
//	extended/      further OCI Distribution Spec capabilities (check.integration.oci.extended)
//	spec/<area>/   the OCI Distribution Spec 1.1 by its areas: spec/pull (check.oci.spec.pull),
//	               spec/push (check.oci.spec.push), …
//	clients/       client workflow files (@client:<id>), run only with --clients
//
// `ocicaps run --features DIR` replaces it with a folder of your own.
package features

import "embed"

// FS holds the default feature files.
//
//go:embed capabilities related extended spec clients
var FS embed.FS
