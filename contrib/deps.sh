#!/bin/sh
# Install the Debian packages stalkerwatch builds and tests with, when
# missing.  A no-op (and silent) when everything is already there, so every
# make target can call it.  Needs root or sudo only when it has work to do.
set -e

PKGS="build-essential pkg-config libpcap-dev libcjson-dev libmaxminddb-dev libyaml-dev check"

have_all() {
	command -v cc >/dev/null 2>&1 || return 1
	command -v pkg-config >/dev/null 2>&1 || return 1
	pkg-config --exists libpcap libcjson libmaxminddb yaml-0.1 check 2>/dev/null
}

have_all && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing build dependencies and no apt-get here;" \
	    "install: $PKGS (or your system's equivalents)" >&2
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	echo "deps: missing packages ($PKGS) and not root, no sudo;" \
	    "install them as root first" >&2
	exit 1
fi

echo "deps: installing $PKGS" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
have_all || { echo "deps: packages installed but pkg-config still" \
    "cannot find libpcap, libcjson, libmaxminddb, libyaml or check" >&2; exit 1; }
