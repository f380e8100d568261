#!/usr/bin/env bash
# build.sh — build, cross-build and test nvrmenu.
#
#   ./build.sh test     gofmt check, go vet, every test with the race detector, the
#                       reproducibility check, then the whole suite for arm64 and armv7
#                       under qemu-user
#   ./build.sh build    host binaries into ./out
#   ./build.sh arm      armv7 (GOARM=7) binaries into ./out/linux-arm
#   ./build.sh arm64    arm64 binaries into ./out/linux-arm64
#
# Binaries are static (CGO_ENABLED=0), -trimpath, stripped, stamped with the
# version, the commit and the commit's date, and reproducible: two builds of
# one commit are byte-identical (`test` checks it).
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
	echo "== reproducible build"
	check_reproducible
	echo "== qemu-user: the suite on arm64 and armv7"
	test_foreign arm64 qemu-aarch64-static
	test_foreign arm qemu-arm-static
}

# build_into DIR [GOARCH [GOARM]]: every command, static and stamped.
build_into() {
	local dir=$1 arch=${2:-} arm=${3:-}
	mkdir -p "$dir"
	for c in ./cmd/*/; do
		[ -f "$c/main.go" ] || continue
		env CGO_ENABLED=0 GOOS=linux ${arch:+GOARCH=$arch} ${arm:+GOARM=$arm} \
			go build -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$dir/$(basename "$c")" "$c"
	done
}

cmd_build() { build_into out; ls -l out; }
cmd_arm() { build_into out/linux-arm arm 7; ls -l out/linux-arm; }
cmd_arm64() { build_into out/linux-arm64 arm64; ls -l out/linux-arm64; }

# check_reproducible builds the armv7 daemon twice in fresh directories and
# compares the bytes.
check_reproducible() {
	local a b
	a=$(mktemp -d) b=$(mktemp -d)
	build_into "$a" arm 7
	GOFLAGS="${GOFLAGS:-} -a" build_into "$b" arm 7
	if ! cmp -s "$a/nvr-menud" "$b/nvr-menud"; then
		echo "two builds of nvr-menud differ: the build is not reproducible" >&2
		exit 1
	fi
	echo "nvr-menud armv7: two builds identical ($(sha256sum <"$a/nvr-menud" | cut -c1-16))"
	rm -rf "$a" "$b"
}

# test_foreign ARCH EMULATOR runs the whole suite built for ARCH under
# qemu-user (no race detector there: it needs cgo). The emulator comes from
# Debian's qemu-user-static, installed when missing and we are root.
test_foreign() {
	local arch=$1 emu=$2
	if ! command -v "$emu" >/dev/null; then
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
			apt-get install -y -q qemu-user-static >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q qemu-user-static >/dev/null; }
		fi
	fi
	if ! command -v "$emu" >/dev/null; then
		echo "SKIPPED: the $arch suite: $emu missing (apt-get install qemu-user-static, as root)" >&2
		return 0
	fi
	register_binfmt "$arch"
	GOARCH=$arch GOARM=7 NVRMENU_EMULATED=1 go test -count=1 -exec "$emu" ./...
}

# register_binfmt ARCH lets the kernel run ARCH binaries through qemu-user,
# as Debian's qemu-user-static does on a full system (systemd-binfmt): some
# tests run the test binary again as a child (the power-cut test, the notify
# command). In a container without systemd, as root, mount binfmt_misc and
# register Debian's entry; otherwise those tests say they skip.
register_binfmt() {
	local name=aarch64 misc=/proc/sys/fs/binfmt_misc
	[ "$1" = arm ] && name=arm
	[ -e "$misc/qemu-$name" ] && return 0
	[ "$(id -u)" = 0 ] || return 0
	[ -e "$misc/register" ] || mount -t binfmt_misc binfmt_misc "$misc" 2>/dev/null || return 0
	[ -f "/usr/lib/binfmt.d/qemu-$name.conf" ] || return 0
	grep '^:' "/usr/lib/binfmt.d/qemu-$name.conf" >"$misc/register" 2>/dev/null || true
}

case "${1:-}" in
test) cmd_test ;;
build) cmd_build ;;
arm) cmd_arm ;;
arm64) cmd_arm64 ;;
*)
	echo "usage: $0 test|build|arm|arm64" >&2
	exit 2
	;;
esac
