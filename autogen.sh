#!/bin/sh
# Bootstrap a git checkout; tarballs already contain ./configure.
set -e
srcdir=$(dirname "$0")
cd "$srcdir"
mkdir -p build-aux
autoreconf --force --install --verbose
# autoreconf installs tap-driver.sh only when automake copies aux files it knows about
if [ ! -f build-aux/tap-driver.sh ]; then
	cp "$(automake --print-libdir)/tap-driver.sh" build-aux/
fi
if [ -z "$NOCONFIGURE" ]; then
	exec ./configure "$@"
fi
