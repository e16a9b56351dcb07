# The two commands of the README: `make run` and `make test`.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)

.PHONY: all help build run run-clients test vet fmt-check test-deps fuzz bench crosscheck clean

# Fuzz targets (package and name); `make fuzz` runs each for FUZZTIME.
# FUZZTIME counts executions, not seconds: a time-based -fuzztime can make
# the fuzzing coordinator fail with "context deadline exceeded" and no
# crasher (golang/go#75804), which would fail CI by chance.
FUZZ_TARGETS := config:FuzzParse retry:FuzzParseRetryAfter client:FuzzRedactHeaders steps/jsonpath:FuzzJSONField steps:FuzzConditions
FUZZTIME     ?= 2000x

all: build ## the default: build

include Makefile.zoo
include Makefile.clients

# The targets and what each does: the "## " text on a target's line.
help: ## list the targets
	@echo "make targets (make run: try it on the zoo; make test: every test):"
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## /{printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## build bin/ocicaps and bin/zoo
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/ocicaps ./cmd/ocicaps
	$(GO) build -o bin/zoo ./cmd/zoo

# Build, start the local zoo on 127.0.0.1:5001-5005 (registries.yaml),
# run the default suite, print the matrix, leave reports in reports/, stop
# the zoo.
run: build zoo-build ## start the zoo, run the default suite against it, print the matrix, leave reports/
	./bin/zoo exec -- ./bin/ocicaps run --config registries.yaml --out reports

# The same with client readiness confirmed by the real clients (issue 23):
# every check in verify mode, then oras, cosign, helm, regctl, crane,
# skopeo (when Debian's package is installed: make test-deps) and flux run
# their workflows against each zoo registry; readiness tables follow the
# matrix. The pinned clients are built first (minutes the first time).
run-clients: build zoo-build clients-build ## the same with every check in verify mode and client readiness confirmed by the real clients
	PATH="$(CLIENTS_BIN):$(ZOO_BIN):$$PATH" ./bin/zoo exec -- ./bin/ocicaps run --config registries.yaml --out reports --clients --check all --verify

fmt-check: ## fail when a Go file needs gofmt
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet: ## go vet ./...
	$(GO) vet ./...

test-deps: ## install what the tests need (xmllint, chromium, node, docker-registry, skopeo, the JUnit and CTRF node packages)
	./scripts/install-test-deps.sh

# Every test, with the race detector; the e2e tests start the zoo
# themselves (building it first if needed). The fuzz targets' seed corpora
# (f.Add and testdata/fuzz) run here as ordinary tests, since go test runs a
# Fuzz function's seeds like a Test; fuzzing proper is `make fuzz`, not part
# of test: it compiled five instrumented binaries (about 7 of the 13 minutes
# on a fresh 2-core clone) to fuzz each for under a second.
# The e2e package runs on its own with -v: it takes about a minute, and a
# line per test says what it is doing (go test's closing ok/FAIL stays last).
test: test-deps fmt-check vet zoo-build clients-build ## every test with -race and the e2e tests against the zoo and the clients (fuzz seed corpora included)
	@echo "unit tests (every package but e2e; fuzz seed corpora included)"
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v '/e2e$$')
	@echo "e2e tests (builds ocicaps, starts the zoo on loopback ports, a line per test)"
	$(GO) test -race -count=1 -timeout 20m -v ./e2e

# Fuzzing proper (not part of test): each target for FUZZTIME executions.
# Every target runs even when one fails; the failures are listed at the end.
fuzz: ## run each fuzz target for FUZZTIME executions
	@failed=""; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		if ! $(GO) test -list "^$$name\$$" ./$$pkg | grep -qx "$$name"; then \
			echo "no fuzz target $$name in ./$$pkg"; failed="$$failed $$t"; continue; fi; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) ./$$pkg || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz FAILED:$$failed"; exit 1; fi; \
	echo "fuzz ok: $(words $(FUZZ_TARGETS)) targets"

# The measurements of docs/benchmarks.md (a few minutes; not part of test):
# ocicaps against a curl script on one zoo registry, fleets of 100 and 1,000
# registries behind proxies adding 25 ms, and the Go benchmarks. Writes
# reports/bench.md.
# BENCH_ARGS go to the driver: e.g. BENCH_ARGS="--cases fleet-10000" for
# the 10,000-registry case alone (not in the default cases: minutes).
bench: build zoo-build ## the measurements of docs/benchmarks.md (minutes)
	./bench/run.sh $(BENCH_ARGS)

# ocicaps --verify --check all and the conformance suite on each zoo
# registry (fresh, on free ports), timed; prints the disagreements in
# Markdown (docs/spec-coverage.md explains them). Not part of make test: the
# suite takes 10-20 s per registry. CROSSCHECK_FLAGS: e.g. --all, --keep DIR,
# --registry zoo-crane, --markdown FILE.
crosscheck: build zoo-build zoo-suite ## ocicaps and the OCI conformance suite on each zoo registry, compared
	cd $(ZOO_ROOT) && $(ZOO_GO) run ./cmd/crosscheck --suite $(ZOO_BIN)/conformance --ocicaps $(ZOO_ROOT)/bin/ocicaps $(CROSSCHECK_FLAGS)

clean: ## remove bin/, reports/ and .cache/
	rm -rf bin reports .cache
