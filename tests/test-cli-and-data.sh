#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line contract and the files we install: exit codes and messages of
# --check-config/--version/usage errors, the desktop files and the user unit.
# TAP output; a missing validator is a SKIP, never a pass.
set -u

. "$(dirname "$0")/tap.sh"

# run EXPECTED_STATUS EXPECTED_OUTPUT_LINE NAME -- COMMAND...: checks both
run() {
	status=$1 expected=$2 name=$3
	shift 4
	"$@" > "$tmp/out" 2>&1
	got=$?
	if [ "$got" = "$status" ] && grep -qxF -- "$expected" "$tmp/out"; then
		ok "$name"
	else
		echo "exit status $got, expected $status; expected line: $expected" >> "$tmp/out"
		not_ok "$name"
	fi
}

# a private home: nothing from the machine's own config
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CONFIG_DIRS="$tmp/etc"
export XDG_DATA_DIRS="$tmp/share" XDG_STATE_HOME="$tmp/state"
mkdir -p "$HOME" "$tmp/share/glutebreak"
ln -s "$top_srcdir/data/exercises.ini" "$tmp/share/glutebreak/exercises.ini"
unset DBUS_SESSION_BUS_ADDRESS

printf '[timing]\nsit-limit = 30m\n' > "$tmp/good.ini"
printf '[timing]\nsit-limit = 30m\nbreak-lenght = 5m\n' > "$tmp/bad.ini"
printf '[exercises]\ncategories = move\nexclude-tags = standing\n' > "$tmp/empty.ini"

run 0 "$tmp/good.ini: ok" "--check-config accepts a good file" -- \
	"$daemon" --check-config --config "$tmp/good.ini"
run 1 "$tmp/bad.ini:3: [timing] break-lenght: unknown key (keys in [timing]: sit-limit, break-length, repeat, snooze)" \
	"--check-config rejects a bad file with FILE:LINE" -- \
	"$daemon" --check-config --config "$tmp/bad.ini"
run 1 "$tmp/empty.ini:3: [exercises] exclude-tags: no exercise matches these categories and exclude-tags (allow more categories or exclude fewer tags)" \
	"--check-config rejects filters that leave no exercise" -- \
	"$daemon" --check-config --config "$tmp/empty.ini"
run 1 "$tmp/missing.ini: No such file or directory" "--check-config with a missing --config file" -- \
	"$daemon" --check-config --config "$tmp/missing.ini"
run 0 "no config file, defaults: ok" "--check-config without any file checks the defaults" -- \
	"$daemon" --check-config
mkdir -p "$XDG_CONFIG_HOME/glutebreak"
cp "$tmp/bad.ini" "$XDG_CONFIG_HOME/glutebreak/config.ini"
run 1 "$XDG_CONFIG_HOME/glutebreak/config.ini:3: [timing] break-lenght: unknown key (keys in [timing]: sit-limit, break-length, repeat, snooze)" \
	"--check-config finds the file in XDG_CONFIG_HOME" -- "$daemon" --check-config
rm "$XDG_CONFIG_HOME/glutebreak/config.ini"
run 0 "$top_srcdir/data/config.ini: ok" "the shipped example config is valid" -- \
	"$daemon" --check-config --config "$top_srcdir/data/config.ini"
run 1 "glutebreak: $tmp/bad.ini:3: [timing] break-lenght: unknown key (keys in [timing]: sit-limit, break-length, repeat, snooze)" \
	"the daemon refuses to start with a bad file" -- "$daemon" --config "$tmp/bad.ini"
run 0 "glutebreak $(sed -n 's/^AC_INIT(\[glutebreak\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")" \
	"--version" -- "$daemon" --version
run 2 "glutebreak: Unknown option --bogus" "an unknown option is a usage error" -- "$daemon" --bogus
run 2 "glutebreak: unexpected argument: 'extra'" "a stray argument is a usage error" -- \
	"$daemon" extra
run 1 "glutebreak: no session bus: Cannot autolaunch D-Bus without X11 \$DISPLAY" \
	"no session bus is a clear error" -- env -u DISPLAY "$daemon" --config "$tmp/good.ini"

# A fresh machine: no exercises.ini anywhere (no symlink in XDG_DATA_DIRS, nothing
# installed). The daemon runs on the copy built into it, and is still running when stopped.
name="the daemon starts with no exercises.ini anywhere"
mkdir -p "$tmp/empty-share"
if ! command -v dbus-run-session > /dev/null; then
	skip "$name" "dbus-run-session is not installed"
else
	rm -f "$tmp/daemon.pid"
	# the daemon warns that it has no idle source: not fatal here
	env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_DIRS="$tmp/empty-share" G_DEBUG=gc-friendly \
		DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmp/no-bus" \
		dbus-run-session -- sh -c 'echo $$ > "$1"; exec "$2" --verbose' sh \
		"$tmp/daemon.pid" "$daemon" > "$tmp/out" 2>&1 &
	session=$!
	# wait, bounded, for the line that says it is running: tail follows the log (inotify)
	# until the daemon's session ends, grep stops at the line
	mkfifo "$tmp/follow"
	tail -n +1 -f --pid="$session" "$tmp/out" > "$tmp/follow" &
	follower=$!
	timeout 10 grep -q -m1 "settings from built-in defaults" < "$tmp/follow"
	kill "$follower" 2> /dev/null
	wait "$follower" 2> /dev/null
	installed=$(sed -n 's/.*exercises from \(\/.*\)/\1/p' "$tmp/out")
	if [ -s "$tmp/daemon.pid" ] && kill "$(cat "$tmp/daemon.pid")" 2> /dev/null; then
		wait "$session"
		status=$?
	else
		status=running-no-more
		wait "$session"
	fi
	if [ -n "$installed" ]; then
		skip "$name" "an installed catalogue takes precedence: $installed"
	elif [ "$status" = 0 ] &&
		grep -q "exercises from the copy built into glutebreak" "$tmp/out" &&
		grep -q "settings from built-in defaults" "$tmp/out" &&
		grep -q "exiting on signal" "$tmp/out"; then
		ok "$name"
	else
		echo "exit status $status (0 expected after SIGTERM)" >> "$tmp/out"
		not_ok "$name"
	fi
fi

# --list-backends: every source in probe order, each with its reason, and timer-only chosen
cat > "$tmp/expected" <<END
mutter   no session bus: 'Cannot autolaunch D-Bus without X11 \$DISPLAY'
wayland  WAYLAND_DISPLAY is not set
x11      DISPLAY is not set
logind   no system bus at 'unix:path=$tmp/no-bus' (no socket)
none     available (chosen: timer-only mode)
END
# a build without a backend does not list it
for backend in wayland x11; do
	upper=$(echo "$backend" | tr a-z A-Z)
	grep -q "^#define HAVE_$upper 1" "$top_builddir/build-aux/gb-config.h" ||
		sed -i "/^$backend /d" "$tmp/expected"
done
if env -u DISPLAY -u WAYLAND_DISPLAY DBUS_SYSTEM_BUS_ADDRESS="unix:path=$tmp/no-bus" \
	"$daemon" --list-backends > "$tmp/list" 2>&1 && diff -u "$tmp/expected" "$tmp/list" > "$tmp/out"; then
	ok "--list-backends says why each source cannot run, and picks timer-only"
else
	not_ok "--list-backends says why each source cannot run, and picks timer-only"
fi

# --help names every option
if "$daemon" --help > "$tmp/out" 2>&1 &&
	grep -q -- '--config=FILE' "$tmp/out" && grep -q -- '--check-config' "$tmp/out" &&
	grep -q -- '--list-backends' "$tmp/out" &&
	grep -q -- '--verbose' "$tmp/out" && grep -q -- '--version' "$tmp/out"; then
	ok "--help lists every option"
else
	not_ok "--help lists every option"
fi

# the files make install puts in place
for desktop in data/org.glutebreak.Glutebreak.desktop data/autostart/org.glutebreak.Glutebreak.desktop; do
	if ! command -v desktop-file-validate > /dev/null; then
		skip "desktop-file-validate $desktop" "desktop-file-utils is not installed"
	elif desktop-file-validate "$top_builddir/$desktop" > "$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		ok "desktop-file-validate $desktop"
	else
		not_ok "desktop-file-validate $desktop"
	fi
done

unit=$tmp/units/glutebreak.service
mkdir -p "$tmp/units" "$tmp/runtime"
chmod 700 "$tmp/runtime"
# the unit as installed, pointing at the built binaries
sed -e "s|@bindir@|$top_builddir/src|g" -e "s|@docdir@|$top_srcdir|g" \
	"$top_srcdir/systemd/glutebreak.service.in" > "$unit"
if ! command -v systemd-analyze > /dev/null; then
	skip "systemd-analyze --user verify" "systemd is not installed"
# --man=no: the pages are not installed here (the man page test renders them)
elif XDG_RUNTIME_DIR=$tmp/runtime systemd-analyze --user --man=no verify "$unit" > "$tmp/out" 2>&1 &&
	! grep -q . "$tmp/out"; then
	ok "systemd-analyze --user verify"
else
	not_ok "systemd-analyze --user verify"
fi
for line in "PartOf=graphical-session.target" "After=graphical-session.target" \
	"WantedBy=graphical-session.target" "Type=dbus" "BusName=org.glutebreak.Glutebreak1" \
	"ExecReload=$top_builddir/src/glutebreakctl reload"; do
	if grep -qxF -- "$line" "$unit"; then ok "unit has $line"; else cp "$unit" "$tmp/out"; not_ok "unit has $line"; fi
done

echo "1..$n"
exit $failed
