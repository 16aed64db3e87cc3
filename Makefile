# chorus — build and test targets. `make test` is the README's test command.
GO ?= go
PKGS := ./...
FUZZTIME ?= 5s

.PHONY: build test test-race vet fmt bench fuzz-smoke update-golden sample

build:
	$(GO) build -o bin/chorus ./cmd/chorus

# The README test command (CI runs it race-detected and shuffled: .ci/run).
test:
	$(GO) test $(PKGS)

test-race:
	$(GO) test -race -shuffle=on -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)

# Every Fuzz target runs briefly (seed corpus + FUZZTIME of new inputs).
fuzz-smoke:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' || true); do \
	    echo "fuzz $$pkg $$t"; $(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$pkg >/dev/null || { echo "FAIL fuzz $$pkg $$t"; $(GO) test -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME) $$pkg; exit 1; }; \
	  done; \
	done

# Rewrite golden files; review the diff before committing.
update-golden:
	CHORUS_UPDATE_GOLDEN=1 $(GO) test ./internal/... -run Golden

# The README's first command.
sample:
	$(GO) run ./cmd/chorus analyze --event brussels-2016 --t0 2016-03-22T06:58:00Z --out out/brussels-2016 sample/fifthtribe-2016-01-04.csv.gz
