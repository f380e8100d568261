#!/usr/bin/env bash
# build.sh — build, test and (later) cross-build and bench nvrmenu.
#
#   ./build.sh test     vet, gofmt check and every test with the race detector
#   ./build.sh build    host binaries into ./out
#
# Targets that need packages (qemu, mtools, ...) install them when run as root
# and say clearly what they skip otherwise.
set -euo pipefail
cd "$(dirname "$0")"

VERSION=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# Reproducible: the build date is the commit's date, not the wall clock.
BUILD_DATE=$(git log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z)
LDFLAGS="-s -w -X nvrmenu/internal/buildinfo.Version=${VERSION} -X nvrmenu/internal/buildinfo.Commit=${COMMIT} -X nvrmenu/internal/buildinfo.Date=${BUILD_DATE}"

cmd_test() {
	echo "== gofmt"
	local bad
	bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	if [ -n "$bad" ]; then
		echo "gofmt would change:" $bad >&2
		exit 1
	fi
	echo "== go vet"
	go vet ./...
	echo "== go test -race"
	go test -race -count=1 ./...
}

cmd_build() {
	mkdir -p out
	for c in ./cmd/*/; do
		[ -f "$c/main.go" ] || continue
		CGO_ENABLED=0 go build -trimpath -ldflags "$LDFLAGS" -o "out/$(basename "$c")" "$c"
	done
	ls -l out
}

case "${1:-}" in
test) cmd_test ;;
build) cmd_build ;;
*)
	echo "usage: $0 test|build" >&2
	exit 2
	;;
esac
