package resultstest

import "github.com/ocicaps/ocicaps/results"

// WithClients returns Sample with client readiness (schema 1.4) on every
// registry, for the writers' tests: on zoo-distribution (no referrers
// API) every outcome, confirmed and predicted, a mismatch, a client that
// tried to reach the internet, an unsafe workflow whose output holds
// hostile text and a run stopped at its time limit; on the refused
// registry predictions that could not be made; on all-good predictions
// alone (no client installed).
func WithClients() *results.Run {
	run := Sample()
	run.Registries[0].Clients = zooClients(run.Registries[0].URL)
	run.Registries[1].Clients = []results.ClientWorkflow{
		{Client: "oras", Workflow: "push", Name: "Push an artifact", Outcome: results.Unknown, Predicted: results.Unknown,
			Via:    []string{"chunked-upload"},
			Reason: "chunked-upload was in error in this run: connection refused " + Nasty,
			Source: "features/clients/oras.feature:12", Evidence: []results.Exchange{}},
	}
	run.Registries[2].Clients = []results.ClientWorkflow{
		{Client: "oras", Workflow: "push", Name: "Push an artifact", Outcome: results.Works, Predicted: results.Works,
			Via: []string{"chunked-upload"}, Reason: "predicted from chunked-upload (supported); oras is not installed: not on PATH and no clients: entry in registries.yaml",
			Source: "features/clients/oras.feature:12", Evidence: []results.Exchange{}},
		{Client: "oras", Workflow: "attach", Name: "Attach a signature to an image", Outcome: results.Works, Predicted: results.Works,
			Via: []string{"referrers"}, Reason: "predicted from referrers (supported); oras is not installed: not on PATH and no clients: entry in registries.yaml",
			Source: "features/clients/oras.feature:30", Evidence: []results.Exchange{}},
	}
	return run
}

func command(argv []string, exit int, output string, ms int64) results.Exchange {
	return results.Exchange{Attempts: 1, DurationMS: ms, Command: &results.Command{
		Argv: argv, ExitCode: exit, Output: output, OutputBytes: int64(len(output)), DurationMS: ms}}
}

func check(method, url string, status int) results.Exchange {
	return results.Exchange{Method: method, URL: url, Status: status, Attempts: 1, DurationMS: 2}
}

// zooClients is the readiness on a registry without the referrers API.
func zooClients(url string) []results.ClientWorkflow {
	host := url[len("http://"):]
	subject := "sha256:5d0da3dc976460b72c77d94c8a1ad043720b0416bfc16c52c45d4847e53fadb6"
	return []results.ClientWorkflow{
		{Client: "oras", Workflow: "push", Name: "Push an artifact", Outcome: results.Works, Predicted: results.Works, Confirmed: true,
			Via: []string{"chunked-upload"}, Reason: "oras push ended with exit 0 and the manifest reads back",
			Version: "Version: 1.3.6", Source: "features/clients/oras.feature:12", DurationMS: 310,
			Evidence: []results.Exchange{
				command([]string{"oras", "push", "--plain-http", host + "/ocicaps/scratch:oras-push", "hello.txt"}, 0, "Pushed [registry] "+host+"/ocicaps/scratch:oras-push\n", 290),
				check("GET", url+"/v2/ocicaps/scratch/manifests/oras-push", 200),
			}},
		{Client: "oras", Workflow: "attach", Name: "Attach a signature to an image", Outcome: results.WorksWithFallback, Predicted: results.WorksWithFallback, Confirmed: true,
			Via: []string{"referrers-tag-fallback"}, Settings: "--distribution-spec v1.1-referrers-tag",
			Advice: "use `oras attach --distribution-spec v1.1-referrers-tag`",
			Reason: "the referrer is kept under the referrers tag schema", Version: "Version: 1.3.6",
			Source: "features/clients/oras.feature:30", DurationMS: 420,
			Evidence: []results.Exchange{
				command([]string{"oras", "attach", "--plain-http", "--artifact-type", "application/vnd.ocicaps.test", host + "/ocicaps/scratch@" + subject, "sig.txt"}, 0, "Attached to [registry] "+host+"/ocicaps/scratch@"+subject+"\n", 380),
				check("GET", url+"/v2/ocicaps/scratch/referrers/"+subject, 404),
				check("GET", url+"/v2/ocicaps/scratch/manifests/sha256-5d0da3dc976460b72c77d94c8a1ad043720b0416bfc16c52c45d4847e53fadb6", 200),
			}},
		{Client: "oras", Workflow: "attach-referrers-api", Name: "Attach through the referrers API alone", Outcome: results.Unsafe, Predicted: results.Unsafe, Confirmed: true,
			Via:    []string{"referrers"},
			Advice: "do not use `oras attach --distribution-spec v1.1-referrers-api` here: this registry has no referrers API, oras exits 0 and the referrer is invisible to `oras discover`",
			Reason: "oras attach ended with exit 0 but neither the referrers API nor the referrers tag lists the referrer", Version: "Version: 1.3.6",
			Source: "features/clients/oras.feature:52", DurationMS: 400,
			Evidence: []results.Exchange{
				command([]string{"oras", "attach", "--plain-http", "--distribution-spec", "v1.1-referrers-api", host + "/ocicaps/scratch@" + subject, "sig.txt"}, 0, "Attached to [registry] "+host+"/ocicaps/scratch@"+subject+"\n", 360),
				check("GET", url+"/v2/ocicaps/scratch/referrers/"+subject, 404),
			}},
		{Client: "regctl", Workflow: "tag-delete", Name: "Delete a tag", Outcome: results.Unsafe, Predicted: results.Unsafe, Confirmed: true,
			Via:    []string{"delete"},
			Advice: "do not run `regctl tag delete` here: " + Nasty,
			Reason: "regctl tag delete overwrote the tag: " + Nasty, Version: "v0.11.7",
			Source: "features/clients/regctl.feature:40", DurationMS: 250,
			Evidence: []results.Exchange{
				command([]string{"regctl", "tag", "delete", host + "/ocicaps/scratch:regctl-tag"}, 1, "failed to delete tag: "+Nasty, 240),
			}},
		{Client: "crane", Workflow: "delete-digest", Name: "Delete an image by digest", Outcome: results.Fails, Predicted: results.Works, Confirmed: true, Mismatch: true,
			Via:     []string{"delete"},
			Advice:  "delete by tag with `crane delete` of the tag first",
			Reason:  "predicted works (delete supported) but crane delete exited 0 and the tag still serves the manifest; fix features/clients/crane.feature:61",
			Version: "v0.22.1",
			Source:  "features/clients/crane.feature:61", DurationMS: 120,
			Evidence: []results.Exchange{command([]string{"crane", "delete", host + "/ocicaps/scratch@" + subject}, 0, "", 100), check("GET", url+"/v2/ocicaps/scratch/manifests/crane-del", 200)},
		},
		{Client: "cosign", Workflow: "verify", Name: "Verify a signature with a key", Outcome: results.Fails, Predicted: results.Fails, Confirmed: true,
			Via:    []string{"referrers"},
			Advice: "give `cosign verify` a `--trusted-root` so that it needs no network",
			Reason: "cosign verify ended with exit 1; cosign tried to reach tuf-repo-cdn.sigstore.dev:443", Version: "cosign v2.6.5",
			Source: "features/clients/cosign.feature:44", DurationMS: 2100,
			Egress: []string{"CONNECT tuf-repo-cdn.sigstore.dev:443"},
			Evidence: []results.Exchange{
				command([]string{"cosign", "verify", "--key", "cosign.pub", host + "/ocicaps/scratch@" + subject}, 1, "Error: getting trusted root: Get \"https://tuf-repo-cdn.sigstore.dev/\": Bad Gateway\n", 2000),
			}},
		{Client: "crane", Workflow: "copy", Name: "Copy an image", Outcome: results.Unknown, Predicted: results.Works,
			Via:    []string{"cross-repo-mount"},
			Reason: "crane was stopped at its time limit (2m0s); predicted works", Version: "v0.22.1",
			Source: "features/clients/crane.feature:12", DurationMS: 120000,
			Evidence: []results.Exchange{{Attempts: 1, DurationMS: 120000, Error: "stopped at the time limit", Command: &results.Command{
				Argv: []string{"crane", "copy", host + "/library/alpine:latest", host + "/ocicaps/scratch:crane-copy"}, ExitCode: -1, TimedOut: true, DurationMS: 120000}}},
		},
		{Client: "helm", Workflow: "push", Name: "Push a chart", Outcome: results.Works, Predicted: results.Works,
			Via: []string{"chunked-upload"}, Reason: "predicted from chunked-upload (supported); helm is not installed: not on PATH and no clients: entry in registries.yaml",
			Source: "features/clients/helm.feature:10", Evidence: []results.Exchange{}},
		{Client: "cosign", Workflow: "sign-oci-1-1", Name: "Sign with the OCI 1.1 mode", Outcome: results.WorksWithFallback, Predicted: results.WorksWithFallback,
			Via: []string{"referrers-tag-fallback"}, Settings: "--registry-referrers-mode=oci-1-1",
			Reason: "predicted from referrers (unsupported) and referrers-tag-fallback (supported); cosign is not installed",
			Source: "features/clients/cosign.feature:80", Evidence: []results.Exchange{}},
		{Client: "notation", Workflow: "sign", Name: "Sign through the referrers API", Outcome: results.Fails, Predicted: results.Fails,
			Via: []string{"referrers"}, Advice: "use `notation sign --force-referrers-tag`",
			Reason: "predicted from referrers (unsupported) and no fallback declared; notation is not installed",
			Source: "clients/notation.feature:9", Evidence: []results.Exchange{}},
		{Client: "skopeo", Workflow: "delete", Name: "Delete an image", Outcome: results.Unknown, Predicted: results.Unknown,
			Via: []string{"tag-listing"}, Reason: "tag-listing was not in this run: select --check check.x",
			Source: "features/clients/skopeo.feature:20", Evidence: []results.Exchange{}},
	}
}
