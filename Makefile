# The checks CI runs; `make` runs them all.
GO ?= go

.PHONY: check static fmt vet lint tidy test fuzz
check: static test
static: fmt vet lint tidy

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
vet:
	$(GO) vet ./...
lint:
	$(GO) tool staticcheck ./...
tidy:
	$(GO) mod tidy -diff
test:
	scripts/test.sh
