#!/bin/sh
# make install and make uninstall into a DESTDIR, from a copy of the tree
# (this tree's build is left alone): every file at its place for PREFIX=/usr
# (program, man pages, indicators, the systemd unit written from its
# template with the real paths, the logrotate file); the program compiled
# for the data path of the PREFIX it is installed with, also when a build
# for another PREFIX came first; the unit passes systemd-analyze verify
# and the logrotate file logrotate's debug run (each skipped, saying so,
# when the tool is absent); uninstall removes all of it and keeps the logs.
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "   ok: $*"; }
bad() { echo "FAIL: $*" >&2; fail=1; }

mkdir "$T/tree"
cp -r Makefile src include iocs man contrib "$T/tree/"
# a make of its own: not the caller's flags (make asan runs this with
# SANITIZE and its BUILD in MAKEFLAGS)
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$T/tree" -j2 \
	    BUILD="$T/tree/build" SANITIZE= "$@" >"$T/make.out" 2>&1 ||
	    { cat "$T/make.out" >&2; exit 1; }
}
# a plain build first: its data path is /usr/local's
mk
mk install DESTDIR="$T/root" PREFIX=/usr
R=$T/root
for f in usr/sbin/stalkerwatch usr/share/man/man8/stalkerwatch.8 \
    usr/share/man/man5/stalkerwatch-iocs.5 \
    usr/share/stalkerwatch/iocs/ioc.yaml \
    usr/lib/systemd/system/stalkerwatch@.service \
    usr/sbin/stalkerwatch-update \
    usr/lib/systemd/system/stalkerwatch-update.service \
    usr/lib/systemd/system/stalkerwatch-update.timer \
    etc/logrotate.d/stalkerwatch; do
	[ -f "$R/$f" ] && ok "installed /$f" || bad "not installed: /$f"
done
[ -x "$R/usr/sbin/stalkerwatch" ] || bad "/usr/sbin/stalkerwatch not executable"
if grep -a -q '/usr/share/stalkerwatch' "$R/usr/sbin/stalkerwatch" &&
    ! grep -a -q '/usr/local/share/stalkerwatch' "$R/usr/sbin/stalkerwatch"; then
	ok "the program looks for its indicators in /usr/share/stalkerwatch"
else
	bad "the program was not rebuilt for PREFIX=/usr"
fi
U=$R/usr/lib/systemd/system/stalkerwatch@.service
if grep -q '^ExecStart=/usr/sbin/stalkerwatch -i %i ' "$U" &&
    grep -q '^DIR=/usr/share/stalkerwatch/iocs$' "$R/usr/sbin/stalkerwatch-update" &&
    [ -x "$R/usr/sbin/stalkerwatch-update" ] &&
    grep -q '^ReadOnlyPaths=/usr/share/stalkerwatch$' "$U" &&
    ! grep -q '@[A-Z]*@' "$U"; then
	ok "the unit names the installed paths"
else
	bad "the unit's paths: $(grep -E 'Exec|Paths' "$U" | tr '\n' ' ')"
fi
for k in DynamicUser=yes LogsDirectory=stalkerwatch \
    'CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN' \
    'ExecReload=/bin/kill -HUP $MAINPID' NoNewPrivileges=yes \
    ProtectSystem=strict; do
	grep -q -F -x "$k" "$U" || bad "the unit lacks $k"
done
ok "the unit: a dynamic user, a logs directory, capture capabilities only, reload by SIGHUP, sandboxed"
for l in notice stats conn dns ssl; do
	grep -q "/var/log/stalkerwatch/$l.log" "$R/etc/logrotate.d/stalkerwatch" ||
	    bad "logrotate leaves out $l.log"
done
ok "logrotate names every log the sensor writes"
if command -v systemd-analyze >/dev/null 2>&1; then
	# the installed unit, its paths under DESTDIR so that verify finds
	# the program (the man page is not the host's to have)
	S=$R/usr/lib/systemd/system
	for u in stalkerwatch@.service:stalkerwatch@eth0.service \
	    stalkerwatch-update.service:stalkerwatch-update.service \
	    stalkerwatch-update.timer:stalkerwatch-update.timer; do
		sed -e "s|/usr/sbin/stalkerwatch|$R/usr/sbin/stalkerwatch|" \
		    -e "s|=/usr/share/stalkerwatch|=$R/usr/share/stalkerwatch|" \
		    "$S/${u%%:*}" >"$T/${u#*:}"
	done
	if (cd "$T" && systemd-analyze verify --man=no \
	    stalkerwatch@eth0.service stalkerwatch-update.service \
	    stalkerwatch-update.timer) >"$T/verify" 2>&1; then
		ok "systemd-analyze verify passes on the sensor's and the update's units"
	else
		bad "systemd-analyze verify: $(head -3 "$T/verify")"
	fi
else
	echo "   skipped: systemd-analyze is not installed (no systemd here)"
fi
if command -v logrotate >/dev/null 2>&1; then
	if logrotate -d -s "$T/lr.state" "$R/etc/logrotate.d/stalkerwatch" \
	    >"$T/lr" 2>&1 && ! grep -q -i 'error' "$T/lr"; then
		ok "logrotate -d reads the file"
	else
		bad "logrotate -d: $(grep -i error "$T/lr" | head -2)"
	fi
else
	echo "   skipped: logrotate is not installed"
fi
# uninstall keeps the logs
mkdir -p "$R/var/log/stalkerwatch"
echo '{}' >"$R/var/log/stalkerwatch/notice.log"
mk uninstall DESTDIR="$R" PREFIX=/usr
left=$(find "$R" -type f | sed "s|^$R||" | sort | tr '\n' ' ')
if [ "$left" = "/var/log/stalkerwatch/notice.log " ]; then
	ok "uninstall removed every file and kept the logs"
else
	bad "after uninstall: $left"
fi
exit $fail
