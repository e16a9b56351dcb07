// Package steps is the step vocabulary of ocicaps: a small set of general
// HTTP steps, a few OCI helpers, outcome steps and clean-up steps. Every
// capability is written with these in a .feature file; nothing here knows
// about a particular capability.
//
// Each step is a named handler method on the per-scenario state, in the
// file of its group (requests.go, checks.go, saving.go, registry.go,
// outcomes.go, cleanup.go). The table below registers them in the order
// `ocicaps steps` and docs/writing-scenarios.md present them.
package steps

import (
	"context"
	"github.com/ocicaps/ocicaps/internal/crash"
	"regexp"
	"strings"

	"github.com/cucumber/godog"
)

// Def is one step of the vocabulary.
type Def struct {
	Group   string
	Pattern string // anchored regular expression, as godog matches it
	Example string
	Doc     string
	re      *regexp.Regexp
	prefix  string // the literal start of every match: a cheap first test
	fn      any
	// observes is the kind of observation the step makes current
	// (observation.go), for validate; zero: it leaves the current one.
	observes observationKind
}

// Matches reports whether the step text matches this definition. The
// literal prefix rules out most definitions before the regular expression
// runs: each step of a run is tried against every definition, and a
// backtracking match costs a clear of its state first (a tenth of
// ocicaps' CPU before).
func (d *Def) Matches(text string) bool {
	return strings.HasPrefix(text, d.prefix) && d.re.MatchString(text)
}

// literalPrefix is the literal text every match of the anchored pattern
// starts with. Go's LiteralPrefix gives none for most anchored patterns (the
// "^" comes first in the program), so it is asked of the pattern without
// it: every match of "^R" starts with a match of R.
func literalPrefix(pattern string) string {
	re, err := regexp.Compile(strings.TrimPrefix(pattern, "^"))
	if err != nil {
		return ""
	}
	p, _ := re.LiteralPrefix()
	return p
}

// The groups, in the order the reference presents them.
const (
	groupRequests = "Requests"
	groupChecks   = "Checks"
	groupSaving   = "Saving and recording"
	groupRegistry = "Registry helpers"
	groupOutcomes = "Outcomes"
	groupCleanup  = "Clean-up"
	// Client workflows (ocicaps run --clients): running a client program
	// and the workflow's verdict.
	groupPrograms  = "Client programs"
	groupWorkflows = "Client workflows"
)

// Groups in the order the reference presents them.
var Groups = []string{groupRequests, groupChecks, groupSaving, groupRegistry, groupOutcomes, groupCleanup, groupPrograms, groupWorkflows}

// Vocabulary returns every step definition, in reference order.
func Vocabulary() []*Def { return defs }

const headerList = `((?:"[^"]+"(?: or )?)+)`

// Quoted arguments: a quote inside is written \" (the step receives a bare
// "). A backslash before the closing quote stays a backslash, so every
// step text that matched before matches as before, with the same
// arguments.
const (
	qArg  = `"((?:\\"|[^"])*)"` // may be empty
	qName = `"((?:\\"|[^"])+)"`
)

// unescape turns \" back into " in a quoted argument.
func unescape(s string) string { return strings.ReplaceAll(s, `\"`, `"`) }

// quotedGroups tells, for each capturing group of a pattern, whether it is
// a quoted argument (a group right after a quote), to be unescaped.
func quotedGroups(pattern string) []bool {
	var out []bool
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\':
			i++ // an escaped character opens no group
		case pattern[i] == '(' && !strings.HasPrefix(pattern[i:], "(?"):
			out = append(out, i > 0 && pattern[i-1] == '"')
		}
	}
	return out
}

// arg unescapes argument i of a step when it is a quoted string.
func arg[T any](quoted []bool, i int, v T) T {
	if s, ok := any(v).(string); ok && i < len(quoted) && quoted[i] {
		return any(unescape(s)).(T)
	}
	return v
}

// defs is the vocabulary, in reference order: the one place a step is
// registered. The check steps come from the condition language.
var defs = concat(
	[]*Def{
		step(groupRequests, `^I send an? ([A-Z]+) request to `+qArg+`$`,
			`I send a POST request to "/v2/{repository}/blobs/uploads/"`,
			"Sends the request (any method) to a path on the registry or to an absolute URL such as a saved Location. Placeholders {name} are replaced by variables. Headers, query parameters and body prepared by the steps below apply to this request only. Transport failures (refused, TLS, timeout after retries) make the scenario an error.",
			h2((*state).sendRequest)),
		step(groupRequests, `^the request header `+qName+` is `+qArg+`$`,
			`the request header "Accept" is "application/vnd.oci.image.index.v1+json"`,
			"Adds a header to the next request (placeholders allowed). Repeat the step to add several.",
			h2((*state).requestHeader)),
		step(groupRequests, `^the request query parameter `+qName+` is `+qArg+`$`,
			`the request query parameter "n" is "1"`,
			"Adds a URL-encoded query parameter to the next request (placeholders allowed). Parameters can also be written in the path.",
			h2((*state).requestQuery)),
		step(groupRequests, `^the request body is `+qArg+`$`,
			`the request body is "hello"`,
			"Sets the next request's body to the text (placeholders allowed).",
			h1((*state).bodyText)),
		step(groupRequests, `^the request body is:$`,
			"the request body is:  (followed by a \"\"\" doc string, e.g. a JSON manifest)",
			"Sets the next request's body to the doc string below the step (placeholders allowed). If the doc string names a media type (\"\"\"application/json) it becomes the Content-Type.",
			h1((*state).bodyDoc)),
		step(groupRequests, `^the request body is (\d+) random bytes$`,
			`the request body is 1024 random bytes`,
			"Sets the next request's body to fresh random bytes (at most 16 MiB). Every body step saves the body's digest as {bodyDigest}.",
			h1((*state).bodyRandom)),
		step(groupRequests, `^the request body is the saved body `+qName+`$`,
			`the request body is the saved body "layer"`,
			"Sets the next request's body to a response body saved earlier with \"I save the response body as …\".",
			h1((*state).bodySaved)),
		step(groupRequests, `^I save (\d+) random bytes as `+qName+`$`,
			`I save 3000 random bytes as "blob"`,
			"Keeps fresh random bytes (at most 16 MiB) under the name, with {name.digest} (sha256), {name.sha512} and {name.size}, for bodies and comparisons.",
			h2((*state).saveRandom)),
		step(groupRequests, `^I save the doc string as `+qName+`, padded to (\d+) bytes at `+qName+`:$`,
			"I save the doc string as \"big\", padded to 4194304 bytes at \"PADDING\":  (followed by a \"\"\" doc string)",
			"Keeps the doc string below, its placeholders filled in, under the name (with {name.digest}, {name.sha512} and {name.size}, like random bytes), its one occurrence of the marker replaced by as many letters x as make it exactly that many bytes (at most 16 MiB): e.g. a manifest of a given size, padded in an annotation value. A marker that is missing or occurs twice, or a text already longer without it, is an error.",
			h4((*state).savePadded)),
		step(groupRequests, `^the request body is bytes (\d+) to (\d+) of the saved body `+qName+`$`,
			`the request body is bytes 0 to 1499 of the saved body "blob"`,
			"Sets the next request's body to a slice of a saved body, both ends included: a chunk for a chunked upload.",
			h3((*state).bodySlice)),
		step(groupRequests, `^the request body is bytes `+qArg+` to the end of the saved body `+qName+`$`,
			`the request body is bytes "{next}" to the end of the saved body "blob"`,
			"Sets the next request's body to a saved body from that byte (counted from 0; placeholders allowed, e.g. an offset saved with \"plus 1\") to its end: the rest of a blob, to resume an upload where the registry says it stopped.",
			h2((*state).bodyFrom)),
		step(groupRequests, `^I follow the Link headers to the end, at most (\d+) pages?, saving the JSON list `+qName+` as `+qName+`$`,
			`I follow the Link headers to the end, at most 100 pages, saving the JSON list "tags" as "all"`,
			"From the current response (a list's first page), follows each Link: <url>; rel=\"next\" with a GET until a page has none, collecting the JSON list at the path (a dotted path) of every page. Headers prepared before the step apply to every page. The walk stops, and sends nothing more, at a page that answers other than 200 or is not JSON with that list (a later page's 401, 403, 429 or 5xx makes the scenario an error), at a Link to a page already read (a cycle), at a Link that is not http(s) to the registry's own scheme, host and port (nothing is sent there), after that many pages (at most 10000), after 60 seconds, or once the pages read hold more than 16 MiB. It saves {name.end} (complete, cycle, bound, refused, status or malformed), {name.problem} (the evidence in words: the URL that repeated, the bound reached, the refused target), {name.pages}, {name.count} and the list, for the \"saved list\" conditions; the last page read becomes the current response.",
			h3((*state).walkPages)),
	},
	checkDefs(conditions),
	[]*Def{
		step(groupSaving, `^I save the response header `+headerList+` as `+qName+`$`,
			`I save the response header "Location" as "location"`,
			"Saves the header's value as a variable. With several headers joined by \"or\", the first present wins. A missing header is an error.",
			h2((*state).saveHeader)),
		step(groupSaving, `^I record the response header `+headerList+` as `+qName+`$`,
			`I record the response header "OCI-Distribution-API-Version" or "Docker-Distribution-API-Version" as "distribution version"`,
			"Like saving, and also shows the value in every report as a fact of the capability. A missing header records nothing and is not an error. The fact \"distribution version\" also fills the registry's distribution version.",
			h2((*state).recordHeader)),
		step(groupSaving, `^I save the response header `+qName+` matching `+qArg+` as `+qName+`$`,
			`I save the response header "Link" matching "<([^>]+)>" as "next"`,
			"Saves what the regular expression (Go syntax) captures in the header's value: its first group, or the whole match when it has none; e.g. the next page's URL from a Link header. A missing header or a value that does not match is an error.",
			h3((*state).saveHeaderMatch)),
		step(groupSaving, `^I save the response header `+qName+` matching `+qArg+` plus (-?\d+) as `+qName+`$`,
			`I save the response header "Range" matching "^0-([0-9]+)$" plus 1 as "next"`,
			"Like the step above, then adds the number (which may be negative) to what was captured, a whole number: e.g. the offset after the last byte an upload session holds. A capture that is no whole number is an error.",
			h4((*state).saveHeaderMatchPlus)),
		step(groupSaving, `^I save the number `+qArg+` plus (-?\d+) as `+qName+`$`,
			`I save the number "{blob.size}" plus -1 as "last"`,
			"Saves a whole number (placeholders allowed, e.g. a saved size or offset) plus another (which may be negative) as a variable. A text that is no whole number is an error.",
			h3((*state).saveNumberPlus)),
		step(groupSaving, `^I save the JSON field `+qName+` as `+qName+`$`,
			`I save the JSON field "layers[0].digest" as "blob"`,
			"Saves a field of the JSON response body (dotted path, [n] for list items, ['key'] for a key holding dots) as a variable. A missing field is an error.",
			h2((*state).saveJSONField)),
		step(groupSaving, `^I save the digest of the response body as `+qName+`$`,
			`I save the digest of the response body as "manifestDigest"`,
			"Saves sha256:<hex> of the response body as a variable.",
			h1((*state).saveBodyDigest)),
		step(groupSaving, `^I save the (sha256|sha512) digest of the response body as `+qName+`$`,
			`I save the sha512 digest of the response body as "blob512"`,
			"Saves sha256:<hex> or sha512:<hex> of the response body as a variable.",
			h2((*state).saveBodyDigestWith)),
		step(groupSaving, `^I save the response body as `+qName+`$`,
			`I save the response body as "layer"`,
			"Keeps the response body's bytes for a later request body (\"the request body is the saved body …\").",
			h1((*state).saveBody)),
		step(groupSaving, `^I save `+qArg+` as `+qName+`$`,
			`I save "{repository}-copy" as "target"`,
			"Saves a text (placeholders allowed) as a variable.",
			h2((*state).saveText)),
		step(groupSaving, `^I save `+qArg+` as `+qName+` when (.+)$`,
			`I save "8 MiB" as "largestPatch" when the status is 202`,
			"Like saving a text, but only if the conditions (joined by \"and\") hold for the current response; otherwise the variable keeps its value (save a default first). E.g. the largest of several sizes a registry took. A 401, 429 or 5xx is judged as it is: it does not match \"the status is 202\".",
			h3((*state).saveTextWhen)),
		step(groupSaving, `^I record `+qArg+` as `+qName+`$`,
			`I record "{subject}" as "subject digest"`,
			"Shows a text (placeholders allowed) in every report as a fact of the capability.",
			h2((*state).recordText)),
		step(groupSaving, `^I record `+qArg+` as `+qName+` when (.+)$`,
			`I record "0-0" as "empty session range" when the response header "Range" is "0-0"`,
			"Like the step above, but only if the conditions (joined by \"and\", as in the outcome steps) hold for the current response: to name which of several behaviours the registry showed. Nothing is recorded, and the scenario goes on, when they do not; a 401, 429 or 5xx is judged as it is (it does not match \"the status is 202\"), as in the other steps that act only when conditions hold.",
			h3((*state).recordWhen)),
		step(groupSaving, `^I record the response status as `+qName+`$`,
			`I record the response status as "fallback tag lookup"`,
			"Shows the current response's status (with the registry's error code) in every report as a fact.",
			h1((*state).recordStatus)),

		step(groupRegistry, `^I resolve the manifest `+qName+` and save its digest as `+qName+`$`,
			`I resolve the manifest "{repository}:{tag}" and save its digest as "subject"`,
			"HEAD of the manifest (repository:tag or repository@digest) accepting OCI and Docker manifests and indexes; the digest comes from Docker-Content-Digest, or from the body of a GET when the header is missing. A missing manifest is an error: the test repository must hold it.",
			h2((*state).saveManifestDigest)),
		step(groupRegistry, `^I save a blob digest of the manifest `+qName+` as `+qName+`$`,
			`I save a blob digest of the manifest "{repository}:{tag}" as "blob"`,
			"GETs the manifest (following an index to its first manifest) and saves the digest of its first layer, or of its config when it has no layers.",
			h2((*state).saveBlobOfManifest)),
		step(groupRegistry, `^I save a blob digest and size of the manifest `+qName+` as `+qName+`$`,
			`I save a blob digest and size of the manifest "{repository}:{tag}" as "blob"`,
			"Like the step above, and saves the blob's size, as the manifest's descriptor gives it, as {name.size}: to check a HEAD's Content-Length or a GET's body against the manifest.",
			h2((*state).saveBlobAndSizeOfManifest)),
		step(groupRegistry, `^I save the referrers tag of `+qName+` as `+qName+`$`,
			`I save the referrers tag of "{subject}" as "fallbackTag"`,
			"Saves the tag the referrers tag schema uses for a digest (sha256:abc… → sha256-abc…), where clients without the referrers API keep the list of referrers.",
			h2((*state).saveReferrersTag)),
		step(groupRegistry, `^I push the saved body `+qName+` as a blob to `+qName+`$`,
			`I push the saved body "blob" as a blob to "{scratch}"`,
			"Uploads the saved bytes as a blob (POST, then PUT with ?digest=), registers its deletion for the end of the scenario, and reads the blob back with GET: a registry that refuses, or answers 201 and does not serve the blob, makes the scenario an error (the verification cannot be done); one that serves other bytes, or a Docker-Content-Digest naming other content, is an integrity failure (see \"the registry corrupts content unless …\").",
			h2((*state).pushSavedBlob)),
		step(groupRegistry, `^I push an image to `+qName+` and save its digest as `+qName+`$`,
			`I push an image to "{scratch}:subject" and save its digest as "subject"`,
			"Pushes a small image made fresh for this scenario (a random layer, a config, an OCI manifest) to repository:tag, saves the manifest digest as {name} (and {name.layer}, {name.config}), and registers the deletion of all of it. Every blob and the manifest (by tag) are read back with GET and compared, as for the blob step above.",
			h2((*state).pushImage)),
		step(groupRegistry, `^I push an artifact of type `+qName+` referring to `+qName+` to `+qName+` and save its digest as `+qName+`$`,
			`I push an artifact of type "application/vnd.ocicaps.probe.v1" referring to "{subject}" to "{scratch}" and save its digest as "artifact"`,
			"Pushes an artifact manifest whose subject is the given manifest digest in that repository (by digest, no tag), with the empty config and layer and the annotation org.ocicaps.probe: referrer, records the registry's OCI-Subject header as a fact, saves the artifact's digest, and registers its deletion. The subject descriptor carries the subject's media type and size (from its HEAD, else its GET); the artifact is read back with GET and compared. The empty \"{}\" blob they share is pushed once per registry run and repository, by the first scenario that needs it (the others wait for it and show its requests), and deleted when the run ends.",
			h4((*state).pushArtifact)),

		step(groupRegistry, `^I push the manifest to `+qName+` and save its digest as `+qName+`:$`,
			"I push the manifest to \"{scratch}:index\" and save its digest as \"index\":  (followed by a \"\"\" doc string)",
			"Pushes the manifest or index written in the doc string below, its placeholders filled in first ({image}, {image.size}, {blob.digest}, {blob.size}…, so digests and sizes are computed, not copied), to repository:tag, or by digest to a repository without tag. The Content-Type is the doc string's media type (\"\"\"application/vnd.oci.image.index.v1+json), else the manifest's mediaType field. An OCI or Docker manifest or index is validated against the OCI image-spec JSON schemas: by `ocicaps validate` with its placeholders replaced by plausible values, and again with the real ones before it is sent. Saves the digest as {name} and the size as {name.size}, registers the deletion, and reads the manifest back with GET (bytes, Docker-Content-Digest, Content-Type). A registry that refuses makes the scenario an error.",
			h3((*state).pushManifestDoc)),

		step(groupOutcomes, `^the capability is supported when (.+)$`,
			`the capability is supported when the status is 202`,
			"If the conditions (joined by \"and\") hold, the capability is supported and every later step is passed over. If not, the scenario goes on; when it ends without any \"supported when\" holding, the capability is unsupported and the reason says what was seen. A 401, 403, 429 or 5xx answer (other than 501) that no outcome step names makes the scenario an error, not an answer.",
			h1((*state).supportedWhen)),
		step(groupOutcomes, `^the capability is unsupported when (.+) because `+qArg+`$`,
			`the capability is unsupported when the status is 404 because "the registry has no referrers API"`,
			"If the conditions hold, the scenario ends here and the capability is unsupported with the reason (placeholders allowed, e.g. {status}).",
			h2((*state).unsupportedWhen)),
		step(groupOutcomes, `^the capability is unsupported unless (.+) because `+qArg+`$`,
			`the capability is unsupported unless the status is 201 because "the registry refused the push: {answer}"`,
			"If the conditions do not all hold, the scenario ends here and the capability is unsupported with the reason (an empty reason \"\" says what was seen instead); if they hold, the scenario goes on. For scenarios that check several things in turn.",
			h2((*state).unsupportedUnless)),
		step(groupOutcomes, `^otherwise the capability is unsupported because `+qArg+`$`,
			`otherwise the capability is unsupported because "the registry answered {status}"`,
			"Unless a \"supported when\" held before it, ends the scenario: the capability is unsupported with this reason instead of the generated one.",
			h1((*state).otherwiseUnsupported)),

		step(groupOutcomes, `^the registry deviates from `+qName+` when (.+) because `+qArg+`$`,
			`the registry deviates from "Pushing blobs" when the status is 201 and the response header "Location" is absent because "a blob upload's closing 201 MUST carry a Location header; the registry answered {answer} without one"`,
			"If the conditions hold, records a deviation on the capability: the spec section, the rule (what the spec requires, placeholders allowed, e.g. {answer}) and the current exchange as evidence (for a condition about every response, the first response that breaks it). The scenario goes on and the verdict is left to the other outcome steps: a deviation does not make a capability unsupported, but shows in every report and makes the registry's severity at least info. A 5xx is judged like any answer; a 401, 403 or 429 records nothing (unless every condition is about every response or a variable). Put it before the \"supported when\" step that would pass over it.",
			h3((*state).deviatesWhen)),
		step(groupOutcomes, `^the registry deviates from `+qName+` unless (.+) because `+qArg+`$`,
			`the registry deviates from "Pushing blobs" unless the response header "Location" is present because "a blob upload's closing 201 MUST carry a Location header"`,
			"Like the step above, but records the deviation when the conditions do not all hold: e.g. unless the status is 404 because \"DELETE of an absent blob MUST answer 404; the registry answered {answer}\".",
			h3((*state).deviatesUnless)),

		step(groupOutcomes, `^the registry corrupts content unless (.+) because `+qArg+`$`,
			`the registry corrupts content unless the response body is the saved body "blob" because "GET of the blob pushed to {scratch} returned other bytes"`,
			"Compares content read back with what was written: if the conditions do not all hold, the registry returned different bytes than were written. The scenario ends here, the capability is unsupported with a reason that starts \"the registry returned different bytes than were written\", and an integrity deviation makes the registry's severity fail whatever the capability's own: corrupted data is no missing feature. Check first that the content was found (e.g. unsupported unless the status is 200), so that a missing object is not called corrupt. A 401, 429 or 5xx is an error, as in every outcome step.",
			h2((*state).corruptsUnless)),
		step(groupOutcomes, `^the registry corrupts content when (.+) because `+qArg+`$`,
			`the registry corrupts content when the status is 200 and the response header "Docker-Content-Digest" is "{other.digest}" because "the digest header names other content"`,
			"Like the step above, but the registry corrupts content when the conditions hold.",
			h2((*state).corruptsWhen)),

		step(groupOutcomes, `^the scenario is an error when (.+) because "([^"]*)"$`,
			`the scenario is an error when the status is 404 because "the registry does not know {mountRepository}: set mountRepository"`,
			"If the conditions hold, the scenario ends here as an error with the reason (placeholders allowed): the answer is about us or about the repository we chose (credentials, permissions, a target repository the registry does not know), not about the capability. Say in the reason what to change.",
			h2((*state).errorWhen)),

		step(groupCleanup, `^I delete what the response created when the scenario ends$`,
			`I delete what the response created when the scenario ends`,
			"If the response is 202 with a Location (an upload session) or 201 with a Location (a manifest now stored), a DELETE is sent to that Location when the scenario ends, whatever happened; a 201 to a blob upload or mount deletes the blob its ?digest= or ?mount= named at /v2/<name>/blobs/<digest>, and its Location too when it has one (a registry may store a sha512 upload under its sha256). What cannot be deleted is listed in the report's leftovers. Put it right after the request, before outcome steps that may end the scenario.",
			h0((*state).deleteCreated)),
		step(groupCleanup, `^I send a DELETE request to `+qArg+` when the scenario ends$`,
			`I send a DELETE request to "{location}" when the scenario ends`,
			"Registers a DELETE sent when the scenario ends, whatever happened (placeholders are filled in now). Clean-ups run last registered first; the same URL is deleted once. A manifest tag registered right after the PUT that created it is, if the registry will not delete it, listed as a leftover with the digest of the bytes sent.",
			h1((*state).deleteAtEnd)),
		step(groupCleanup, `^I send a DELETE request to `+qArg+` when the scenario ends, if (.+)$`,
			`I send a DELETE request to "/v2/{mountRepository}/blobs/{bodyDigest}" when the scenario ends, if the status is 201`,
			"Like the step above, but only if the conditions hold for the current response, so that a registry that created nothing is not asked to delete it.",
			h2((*state).deleteAtEndIf)),
	},
	programDefs,
)

// programDefs are the steps of client workflows (ocicaps run --clients,
// docs/writing-client-workflows.md): run a client program, judge it, and
// say what the workflow's outcome is.
var programDefs = []*Def{
	observing(programRun, step(groupPrograms, `^I run `+qName+`$`,
		`I run "oras push {plain} {host}/{scratch}:oras-push {files}/artifact.txt"`,
		"Runs a client program (client workflows only, with `ocicaps run --clients --verify`). The line is split into words as a POSIX shell does (single and double quotes, a backslash; no globbing, no variables, no redirection), then the placeholders of each word are filled in: a value with blanks stays one argument, and an unquoted word that is empty once filled vanishes. The first word is the file's @client, written as is (not from a placeholder), run from the path registries.yaml's clients: gives it, else the program of that name on PATH; when it is neither, the scenario stops and the workflow stays a prediction (\"oras is not installed\"). It runs in the scenario's folder {files} (its working directory; HOME, TMPDIR and the Docker config holding the run's credentials are in a folder beside it, out of reach of a relative path), with the proxy variables of the run, within the time limit (2 minutes) and an output cap; it becomes the current observation for the conditions about the program and {exit} and {output}. A program that cannot start or is stopped at its time limit makes the workflow unknown.",
		h1((*state).runProgram))),
	step(groupPrograms, `^I write the file `+qName+` with:$`,
		"I write the file \"sig.txt\" with:  (followed by a \"\"\" doc string)",
		"Writes the doc string (placeholders filled in) to a file of that relative path in the scenario's folder {files}, for a client to read: a chart, a signature, a key.",
		h2((*state).writeFile)),
	step(groupPrograms, `^the program environment variable `+qName+` is `+qArg+`$`,
		`the program environment variable "COSIGN_PASSWORD" is ""`,
		"Sets an environment variable (placeholders allowed) for every later program run of the scenario. A client gets nothing of ocicaps' own environment but PATH.",
		h2((*state).programEnv)),
	step(groupPrograms, `^I save the output matching `+qArg+` as `+qName+`$`,
		`I save the output matching "Digest: (sha256:[0-9a-f]{64})" as "pushed"`,
		"Saves what the regular expression (Go syntax) captures in the output of the program run last: its first group, or the whole match when it has none. Output that does not match is an error.",
		h2((*state).saveOutputMatching)),

	step(groupWorkflows, `^the workflow fails when (.+) because `+qArg+`$`,
		`the workflow fails when the program fails because "oras attach ended with {exit}: {output}"`,
		"If the conditions (joined by \"and\", about a program's run or an HTTP response) hold, the scenario ends here: the workflow fails (the client stops with an error, nothing is lost) with the reason (placeholders allowed).",
		h2((*state).workflowFailsWhen)),
	step(groupWorkflows, `^the workflow fails unless (.+) because `+qArg+`$`,
		`the workflow fails unless the program exits 0 because "oras attach ended with {exit}: {output}"`,
		"Like the step above, when the conditions do not all hold.",
		h2((*state).workflowFailsUnless)),
	step(groupWorkflows, `^the workflow is unsafe when (.+) because `+qArg+`$`,
		`the workflow is unsafe when the status is 404 because "oras attach exited 0, but the referrer is nowhere"`,
		"If the conditions hold, the scenario ends here: the workflow is unsafe (the client reports success though the result is missing or wrong, or it damages data) with the reason. Check through the registry what the client did.",
		h2((*state).workflowUnsafeWhen)),
	step(groupWorkflows, `^the workflow is unsafe unless (.+) because `+qArg+`$`,
		`the workflow is unsafe unless the status is 200 because "regctl tag delete left the tag pointing at another image"`,
		"Like the step above, when the conditions do not all hold.",
		h2((*state).workflowUnsafeUnless)),
	step(groupWorkflows, `^the workflow falls back when (.+) because `+qArg+`$`,
		`the workflow falls back when the status is 404 because "the referrer is kept under the referrers tag schema"`,
		"If the conditions hold, the workflow took its fallback (works-with-fallback, unless a later step says it fails or is unsafe); the scenario goes on. A scenario that ends with no verdict step firing: the workflow works.",
		h2((*state).workflowFallsBackWhen)),
	step(groupWorkflows, `^the workflow falls back unless (.+) because `+qArg+`$`,
		`the workflow falls back unless the status is 200 because "the referrer is kept under the referrers tag schema"`,
		"Like the step above, when the conditions do not all hold.",
		h2((*state).workflowFallsBackUnless)),

	step(groupCleanup, `^I delete the image `+qName+` and its blobs when the scenario ends$`,
		`I delete the image "{scratch}:oras-push" and its blobs when the scenario ends`,
		"For what a client pushed: when the scenario ends, whatever happened, reads the manifest (repository:tag or repository@digest), deletes the tag and the manifest by digest, the manifests an index lists, and the config and layer blobs of each (not those the test repository has too). What the registry will not delete is listed in the report's leftovers.",
		h1((*state).deleteImageAtEnd)),
	step(groupCleanup, `^I delete the referrers of `+qName+` in `+qName+` when the scenario ends$`,
		`I delete the referrers of "{subject}" in "{scratch}" when the scenario ends`,
		"For what a client attached: when the scenario ends, finds the referrers of the digest by the referrers API and under the referrers tag schema (sha256-<hex>), and deletes each artifact with its blobs, then the tag schema's index. Register it after the subject's push, so that it runs first.",
		h2((*state).deleteReferrersAtEnd)),
}

// observing sets the kind of observation a step makes current.
func observing(k observationKind, d *Def) *Def {
	d.observes = k
	return d
}

func step(group, pattern, example, doc string, h adapter) *Def {
	return &Def{Group: group, Pattern: pattern, Example: example, Doc: doc, re: regexp.MustCompile(pattern), prefix: literalPrefix(pattern), fn: h(quotedGroups(pattern))}
}

func concat(parts ...[]*Def) []*Def {
	var out []*Def
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// An adapter turns a handler method into the function godog calls, given
// which of the pattern's groups are quoted arguments: godog matches a
// handler's parameters to the pattern's groups, and every step runs on the
// scenario's state (see with).
type adapter func(quoted []bool) any

func h0(m func(*state, context.Context) error) adapter {
	return func([]bool) any {
		return func(ctx context.Context) error {
			return with(ctx, func(st *state) error { return m(st, ctx) })
		}
	}
}

func h1[A any](m func(*state, context.Context, A) error) adapter {
	return func(q []bool) any {
		return func(ctx context.Context, a A) error {
			return with(ctx, func(st *state) error { return m(st, ctx, arg(q, 0, a)) })
		}
	}
}

func h2[A, B any](m func(*state, context.Context, A, B) error) adapter {
	return func(q []bool) any {
		return func(ctx context.Context, a A, b B) error {
			return with(ctx, func(st *state) error { return m(st, ctx, arg(q, 0, a), arg(q, 1, b)) })
		}
	}
}

func h3[A, B, C any](m func(*state, context.Context, A, B, C) error) adapter {
	return func(q []bool) any {
		return func(ctx context.Context, a A, b B, c C) error {
			return with(ctx, func(st *state) error { return m(st, ctx, arg(q, 0, a), arg(q, 1, b), arg(q, 2, c)) })
		}
	}
}

func h4[A, B, C, D any](m func(*state, context.Context, A, B, C, D) error) adapter {
	return func(q []bool) any {
		return func(ctx context.Context, a A, b B, c C, d D) error {
			return with(ctx, func(st *state) error {
				return m(st, ctx, arg(q, 0, a), arg(q, 1, b), arg(q, 2, c), arg(q, 3, d))
			})
		}
	}
}

// with runs fn on the scenario's state, unless a "supported when" has
// already decided the scenario: then every later step is passed over.
// A panic in a step ends the scenario as an error that asks for a bug
// report (internal/crash), not as godog's bare panic text.
func with(ctx context.Context, fn func(*state) error) (err error) {
	st, err := stateOf(ctx)
	if err != nil {
		return err
	}
	if st.decided {
		return nil
	}
	defer func() {
		if v := recover(); v != nil {
			err = crash.Recovered("a step", v)
		}
	}()
	return fn(st)
}

// errUnsupported wraps godog.ErrSkip so that godog stops the scenario.
type errUnsupported struct{ reason string }

func (e *errUnsupported) Error() string { return "unsupported: " + e.reason }
func (e *errUnsupported) Unwrap() error { return godog.ErrSkip }
