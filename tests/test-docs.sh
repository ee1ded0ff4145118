#!/bin/sh
# SPDX-License-Identifier: MIT
# The man pages and the shell completions: the pages render without warnings and
# document every config key (from src/settings.c's table), every catalogue key,
# every option of glutebreak and every glutebreakctl command; their examples are
# accepted by glutebreak and their error messages are the ones it prints; the
# completions parse and offer the commands, options and exercise ids.
# TAP output; a missing man, zsh or fish is a SKIP, never a pass.
set -u

. "$(dirname "$0")/tap.sh"
ctl=$top_builddir/src/glutebreakctl
completions=$top_srcdir/completions
# check NAME COMMAND...: ok if COMMAND succeeds; it explains a failure in $tmp/out
check() {
	name=$1
	shift
	: > "$tmp/out"
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
# has WORD FILE: FILE has the line WORD
has() {
	grep -qxF -- "$1" "$2" || { echo "'$1' is missing from ${3:-$2}" >> "$tmp/out"; return 1; }
}

# a private home: nothing from the machine's own config, completions or history
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CONFIG_DIRS="$tmp/etc"
export XDG_DATA_DIRS="$tmp/share" XDG_STATE_HOME="$tmp/state" XDG_DATA_HOME="$tmp/home/.local/share"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/glutebreak" "$tmp/share/glutebreak"
ln -s "$top_srcdir/data/exercises.ini" "$tmp/share/glutebreak/exercises.ini"
unset DBUS_SESSION_BUS_ADDRESS
export LC_ALL=C.UTF-8

# the built page: the build tree's, else the source tree's (a tarball ships them built)
page() {
	if [ -f "$top_builddir/data/$1" ]; then echo "$top_builddir/data/$1"; else echo "$top_srcdir/data/$1"; fi
}
scd() { echo "$top_srcdir/data/$1.scd"; }

# --- 1. every page renders without a warning; the text is kept for the checks below
pages="glutebreak.1 glutebreakctl.1 glutebreak.ini.5 glutebreak-exercises.5"
for p in $pages; do
	name="$p renders without warnings"
	file=$(page "$p")
	if [ ! -f "$file" ]; then
		echo "not built: $file" > "$tmp/out"
		not_ok "$name"
	elif command -v man > /dev/null; then
		MANWIDTH=80 MANPAGER=cat man --warnings=w -l "$file" > "$tmp/$p.txt" 2> "$tmp/out"
		if [ $? = 0 ] && [ ! -s "$tmp/out" ] && grep -q '^NAME' "$tmp/$p.txt"; then
			ok "$name"
		else
			not_ok "$name"
		fi
	else
		rm -f "$tmp/$p.txt"
		skip "$name" "man (man-db) is not installed"
	fi
done
# rendered NAME TEXT: the rendered page NAME has TEXT (no check without man)
rendered() {
	[ ! -f "$tmp/$1.txt" ] || grep -qF -- "$2" "$tmp/$1.txt" ||
		{ echo "'$2' is not in the rendered $1" >> "$tmp/out"; return 1; }
}

# --- 2. glutebreak.ini(5): every key of src/settings.c, with data/config.ini's default
awk 'match($0, /\[KEY_[A-Z_]+\] = \{ *"[a-z]+", *"[a-z-]+",/) {
	s = substr($0, RSTART, RLENGTH); sub(/.*\{/, "", s); gsub(/[" ]/, "", s); split(s, f, ",")
	print f[1], f[2]
}' "$top_srcdir/src/settings.c" > "$tmp/keys"
# tab-separated: "key SECTION KEY", "default SECTION KEY VALUE", "example SECTION KEY LINE"
# for each key the page defines, and "section SECTION"
awk '/^Section \*\[[a-z]+\]\*/ { section = $2; gsub(/[^a-z]/, "", section); print "section\t" section }
     /^\*[a-z-]+\* = / { key = $1; gsub(/\*/, "", key); print "key\t" section "\t" key }
     /^\tDefault: / { sub(/^\tDefault: /, ""); print "default\t" section "\t" key "\t" $0 }
     /^\tExample: / { sub(/^\tExample: /, ""); print "example\t" section "\t" key "\t" $0 }' \
	"$(scd glutebreak.ini.5)" > "$tmp/ini-doc"
# "SECTION KEY VALUE" from the example config, tab-separated
awk '/^\[[a-z]+\]/ { section = $1; gsub(/[][]/, "", section) }
     /^[a-z-]+ *=/ { key = $1; sub(/^[^=]*=/, ""); sub(/[ \t][#;].*$/, "")
                     gsub(/^[ \t]+|[ \t]+$/, ""); print section "\t" key "\t" $0 }' \
	"$top_srcdir/data/config.ini" > "$tmp/ini-example"
tab=$(printf '\t')
check "the key table of src/settings.c is found" test -s "$tmp/keys"

while read -r section key; do
	name="glutebreak.ini(5) documents [$section] $key with config.ini's default"
	: > "$tmp/out"
	shipped=$(awk -F '\t' -v s="$section" -v k="$key" '$1 == s && $2 == k { print $3; exit }' \
		"$tmp/ini-example")
	documented=$(awk -F '\t' -v s="$section" -v k="$key" \
		'$1 == "default" && $2 == s && $3 == k { print $4; exit }' "$tmp/ini-doc")
	if ! grep -qxF "key$tab$section$tab$key" "$tmp/ini-doc"; then
		echo "no '*$key* = ' line under 'Section *[$section]*'" > "$tmp/out"
		not_ok "$name"
	elif ! grep -q "^$section$tab$key$tab" "$tmp/ini-example"; then
		echo "data/config.ini has no '$key =' in [$section]" > "$tmp/out"
		not_ok "$name"
	elif [ "$documented" = "$shipped" ] || { [ -z "$shipped" ] && [ "${documented%% *}" = empty ]; } &&
		rendered glutebreak.ini.5 "$key = "; then
		ok "$name"
	else
		echo "default in the page: '$documented', in data/config.ini: '$shipped'" >> "$tmp/out"
		not_ok "$name"
	fi
done < "$tmp/keys"

for section in $(cut -d' ' -f1 "$tmp/keys" | uniq); do
	check "glutebreak.ini(5) has a part for [$section]" \
		sh -c 'grep -qxF "section	$1" "$2" && { [ ! -f "$3" ] || grep -qF "Section [$1]" "$3"; }' \
		sh "$section" "$tmp/ini-doc" "$tmp/glutebreak.ini.5.txt"
done

# nothing documented that the daemon does not know
grep '^key' "$tmp/ini-doc" | cut -f2- | tr '\t' ' ' | sort > "$tmp/documented"
sort "$tmp/keys" > "$tmp/known"
comm -23 "$tmp/documented" "$tmp/known" > "$tmp/out"
if [ -s "$tmp/documented" ] && [ ! -s "$tmp/out" ]; then
	ok "glutebreak.ini(5) documents no key that src/settings.c does not have"
else
	not_ok "glutebreak.ini(5) documents no key that src/settings.c does not have"
fi

# every key's example, and the page's EXAMPLE, are good config files
: > "$tmp/out"
good=0
while IFS=$tab read -r what section key example; do
	[ "$what" = example ] || continue
	printf '[%s]\n%s\n' "$section" "$example" > "$tmp/example.ini"
	if "$daemon" --check-config --config "$tmp/example.ini" >> "$tmp/out" 2>&1; then
		good=$((good + 1))
	else
		echo "from the example of [$section] $key" >> "$tmp/out"
		good=-1000
	fi
done < "$tmp/ini-doc"
if [ "$good" = "$(wc -l < "$tmp/keys")" ]; then
	ok "glutebreak --check-config accepts every key's example in glutebreak.ini(5)"
else
	echo "$good good examples for $(wc -l < "$tmp/keys") keys" >> "$tmp/out"
	not_ok "glutebreak --check-config accepts every key's example in glutebreak.ini(5)"
fi

# block PAGE HEADING: the first literal block under "# HEADING" of PAGE's source
block() {
	awk -v heading="# $2" '$0 == heading { inside = 1; next }
	     inside && /^# / { exit }
	     inside && /^```/ { if (code) exit; code = 1; next }
	     code { print }' "$(scd "$1")"
}
block glutebreak.ini.5 EXAMPLE > "$tmp/example.ini"
check "glutebreak --check-config accepts the EXAMPLE of glutebreak.ini(5)" \
	sh -c '[ -s "$1" ] && "$2" --check-config --config "$1" > "$3" 2>&1' \
	sh "$tmp/example.ini" "$daemon" "$tmp/out"

# the error messages shown are the ones glutebreak prints
block glutebreak.ini.5 ERRORS > "$tmp/errors"
mkdir -p "$tmp/cwd"
printf '[timing]\n\nsit-limit = 45\n' > "$tmp/cwd/1.ini"
printf '[timing]\nsit-limit = 45m\nbreak-length = 3m\nrepeat = 10m\nsnooze = 10m\n\nbreak-lenght = 5m\n' \
	> "$tmp/cwd/2.ini"
printf '[timing]\nsit-limit = 2m\n\nbreak-length = 3m\n' > "$tmp/cwd/3.ini"
: > "$tmp/out"
errors_ok=0
for i in 1 2 3; do
	# as glutebreak --check-config --config config.ini prints it
	message=$(cd "$tmp/cwd" && cp $i.ini config.ini && "$daemon" --check-config --config config.ini 2>&1)
	has "$message" "$tmp/errors" "the ERRORS of glutebreak.ini(5)" && errors_ok=$((errors_ok + 1))
done
if [ "$errors_ok" = 3 ]; then
	ok "the errors in glutebreak.ini(5) are the daemon's own"
else
	not_ok "the errors in glutebreak.ini(5) are the daemon's own"
fi

# --- 3. glutebreak-exercises(5): every key, category and tag of src/catalogue-load.c
awk 'match($0, /\[KEY_[A-Z_]+\] = \{ "[a-z<>N-]+"/) { s = substr($0, RSTART, RLENGTH); sub(/.*\{ "/, "", s); sub(/"/, "", s); print s }' \
	"$top_srcdir/src/catalogue-load.c" > "$tmp/exercise-keys"
check "the catalogue's key table in src/catalogue-load.c is found" test -s "$tmp/exercise-keys"
for key in $(cat "$tmp/exercise-keys"); do
	check "glutebreak-exercises(5) documents the key $key" \
		sh -c 'grep -qF "*$1* = " "$2" && { [ ! -f "$3" ] || grep -qF "$1 = " "$3"; }' \
		sh "$key" "$(scd glutebreak-exercises.5)" "$tmp/glutebreak-exercises.5.txt"
done
categories=$(sed -n 's/.*GB_CATEGORY_HINT *"\(.*\)"/\1/p' "$top_srcdir/src/exercises.h" | sed 's/,\| or / /g')
tags=$(sed -n 's/.*GB_EXERCISE_TAG_HINT *"\(.*\)"/\1/p' "$top_srcdir/src/exercises.h" | sed 's/,\| or / /g')
: > "$tmp/out"
words_ok=1
[ -n "$categories" ] && [ -n "$tags" ] || { echo "no categories or tags in src/exercises.h" > "$tmp/out"; words_ok=0; }
for word in $categories $tags; do
	grep -qF "*$word*" "$(scd glutebreak-exercises.5)" ||
		{ echo "'*$word*' is not in glutebreak-exercises.5.scd" >> "$tmp/out"; words_ok=0; }
	grep -qF "*$word*" "$(scd glutebreak.ini.5)" ||
		{ echo "'*$word*' is not in glutebreak.ini.5.scd" >> "$tmp/out"; words_ok=0; }
done
if [ "$words_ok" = 1 ]; then
	ok "both pages 5 name every category and tag"
else
	not_ok "both pages 5 name every category and tag"
fi

block glutebreak-exercises.5 EXAMPLE > "$XDG_CONFIG_HOME/glutebreak/exercises.ini"
check "glutebreak --check-config accepts the EXAMPLE of glutebreak-exercises(5)" \
	sh -c '[ -s "$1" ] && "$2" --check-config > "$3" 2>&1' \
	sh "$XDG_CONFIG_HOME/glutebreak/exercises.ini" "$daemon" "$tmp/out"

block glutebreak-exercises.5 ERRORS > "$tmp/errors"
user=$XDG_CONFIG_HOME/glutebreak/exercises.ini
: > "$tmp/out"
errors_ok=0
printf '[walk-a-lap]\nfoo = 1\n' > "$tmp/1.ini"
printf '[glute-bridge]\ndose = 20 reps\n[wall-press]\nname = Wall press\n' > "$tmp/2.ini"
printf '[wall-press]\nname = Wall press\ncategory = strengthen\ndose = 5 x 10 s\n' > "$tmp/3.ini"
printf 'steps = Stand side-on to a wall.\n\tOne.\n\tTwo.\n\tThree.\nwhy = Side glutes.\n' >> "$tmp/3.ini"
printf '[wall-press]\nname = Wall press\nlevel6-steps = Press.\ncategory = strengthen\n' > "$tmp/4.ini"
printf 'steps = Press.\ndose = 5 x 10 s\nwhy = Side glutes.\nlevels = 1\n\t2\n\t3\n\t4\n' >> "$tmp/4.ini"
for i in 1 2 3 4; do
	cp "$tmp/$i.ini" "$user"
	message=$("$daemon" --check-config 2>&1 | sed "s|^$XDG_CONFIG_HOME/|~/.config/|")
	has "$message" "$tmp/errors" "the ERRORS of glutebreak-exercises(5)" && errors_ok=$((errors_ok + 1))
done
rm -f "$user"
if [ "$errors_ok" = 4 ]; then
	ok "the errors in glutebreak-exercises(5) are the daemon's own"
else
	not_ok "the errors in glutebreak-exercises(5) are the daemon's own"
fi

# --- 4. glutebreak(1) and the completions know every option of src/main.c
awk 'match($0, /\{ *"[a-z-]+", *('"'"'.'"'"'|0),/) { s = substr($0, RSTART, RLENGTH); sub(/^\{ *"/, "", s); sub(/".*/, "", s); print s }' \
	"$top_srcdir/src/main.c" > "$tmp/options"
check "the options of src/main.c are found" test -s "$tmp/options"
for option in $(cat "$tmp/options"); do
	: > "$tmp/out"
	where=
	grep -qF -- "*--$option*" "$(scd glutebreak.1)" || where="$where glutebreak.1.scd"
	grep -qF -- "--$option" "$completions/bash/glutebreak" || where="$where bash"
	grep -qE -- "--$option([^a-z-]|\$)" "$completions/zsh/_glutebreak" || where="$where zsh"
	grep -qF -- "-l $option " "$completions/fish/glutebreak.fish" || where="$where fish"
	if [ -z "$where" ] && rendered glutebreak.1 "--$option"; then
		ok "glutebreak(1) and the completions know --$option"
	else
		echo "--$option is missing from:$where" >> "$tmp/out"
		not_ok "glutebreak(1) and the completions know --$option"
	fi
done

# --- 5. glutebreakctl(1) documents every command the completions offer, and only those
commands=$(sed -n "s/^[[:space:]]*local commands='\(.*\)'$/\1/p" "$completions/bash/glutebreakctl")
printf '%s\n' $commands | sort > "$tmp/commands"
awk '/^# COMMANDS/ { inside = 1; next } inside && /^# / { exit }
     inside && /^\*[a-z-]+\*/ { c = $1; gsub(/\*/, "", c); print c }' "$(scd glutebreakctl.1)" |
	sort -u > "$tmp/documented-commands"
check "the commands of the bash completion are found" test -s "$tmp/commands"
for command in $commands; do
	check "glutebreakctl(1) documents the command $command" \
		sh -c 'grep -qxF "$1" "$2" && { [ ! -f "$3" ] || grep -q "^       $1\( \|$\)" "$3"; }' \
		sh "$command" "$tmp/documented-commands" "$tmp/glutebreakctl.1.txt"
done
check "glutebreakctl(1) documents no command the completions do not offer" \
	sh -c 'diff "$1" "$2" > "$3"' sh "$tmp/commands" "$tmp/documented-commands" "$tmp/out"
name="glutebreakctl --help names every command the completions offer"
if [ ! -x "$ctl" ]; then
	skip "$name" "src/glutebreakctl is not built"
else
	"$ctl" --help > "$tmp/help" 2>&1
	: > "$tmp/out"
	missing=
	for command in $commands; do
		grep -qw -- "$command" "$tmp/help" || missing="$missing $command"
	done
	if [ -z "$missing" ]; then ok "$name"; else echo "missing:$missing" > "$tmp/out"; cat "$tmp/help" >> "$tmp/out"; not_ok "$name"; fi
fi

# --- 6. the completion scripts parse
for f in bash/glutebreak bash/glutebreakctl; do
	check "bash -n completions/$f" sh -c 'bash -n "$1" > "$2" 2>&1' sh "$completions/$f" "$tmp/out"
done
for f in zsh/_glutebreak zsh/_glutebreakctl; do
	if command -v zsh > /dev/null; then
		check "zsh -n completions/$f" sh -c 'zsh -n "$1" > "$2" 2>&1' sh "$completions/$f" "$tmp/out"
	else
		skip "zsh -n completions/$f" "zsh is not installed"
	fi
done
for f in fish/glutebreak.fish fish/glutebreakctl.fish; do
	if command -v fish > /dev/null; then
		check "fish -n completions/$f" sh -c 'fish --no-config -n "$1" > "$2" 2>&1' sh "$completions/$f" "$tmp/out"
	else
		skip "fish -n completions/$f" "fish is not installed"
	fi
done

# --- 7. what the completions offer, asked of each shell as a user's TAB would
# a glutebreakctl that knows two exercises, for the ids
mkdir -p "$tmp/bin"
cat > "$tmp/bin/glutebreakctl" << 'END'
#!/bin/sh
[ "$*" = "exercise --list" ] && printf 'glute-bridge\nwalk-a-lap\n'
END
chmod +x "$tmp/bin/glutebreakctl"
touch "$tmp/config-a.ini" "$tmp/config-b.ini"
options=$(sed 's/^/--/' "$tmp/options")

# offers SHELL 'LINE' WORD...: SHELL's completion of LINE offers every WORD; WORD '!x':
# does not offer x; WORD '*x': offers something that ends in x (zsh offers file names
# without their directory)
offers() {
	shell=$1 line=$2
	shift 2
	: > "$tmp/out"
	: > "$tmp/offered"
	case $shell in
	bash)
		PATH="$tmp/bin:$PATH" bash --norc --noprofile -c '
			for f in "$1"/bash/*; do . "$f"; done
			line=$2
			read -ra COMP_WORDS <<< "$line"
			[[ $line == *" " ]] && COMP_WORDS+=("")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) COMP_LINE=$line COMP_POINT=${#line}
			spec=$(complete -p "${COMP_WORDS[0]}") || exit 1
			function=${spec#*-F }
			"${function%% *}" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
				"${COMP_WORDS[COMP_CWORD - 1]}" || exit 1
			printf "%s\n" "${COMPREPLY[@]}"' \
			sh "$completions" "$line" > "$tmp/offered" 2>> "$tmp/out"
		;;
	zsh)
		PATH="$tmp/bin:$PATH" timeout 30 zsh -f "$top_srcdir/tests/zsh-complete.zsh" \
			"$completions/zsh" "$tmp/offered" "$line" >> "$tmp/out" 2>&1
		;;
	fish)
		PATH="$tmp/bin:$PATH" fish --no-config -c '
			for f in $argv[1]/fish/*.fish; source $f; end
			complete -C $argv[2]' "$completions" "$line" 2>> "$tmp/out" |
			cut -f1 > "$tmp/offered"
		;;
	esac
	status=$?
	[ "$status" = 0 ] || echo "$shell exited with $status" >> "$tmp/out"
	for word; do
		case $word in
		!*) ! grep -qxF -- "${word#!}" "$tmp/offered" || echo "offered '${word#!}'" >> "$tmp/out" ;;
		\**) grep -q -- "${word#\*}\$" "$tmp/offered" || echo "did not offer '$word'" >> "$tmp/out" ;;
		*) grep -qxF -- "$word" "$tmp/offered" || echo "did not offer '$word'" >> "$tmp/out" ;;
		esac
	done
	if [ "$status" = 0 ] && [ ! -s "$tmp/out" ]; then
		return 0
	fi
	echo "offered: $(tr '\n' ' ' < "$tmp/offered")" >> "$tmp/out"
	return 1
}

for shell in bash zsh fish; do
	if ! command -v $shell > /dev/null; then
		skip "$shell completes glutebreakctl and glutebreak" "$shell is not installed"
		continue
	fi
	if [ $shell = zsh ] && ! zsh -fc 'zmodload zsh/zpty' 2> /dev/null; then
		skip "$shell completes glutebreakctl and glutebreak" "zsh has no zsh/zpty module"
		continue
	fi
	check "$shell: 'glutebreakctl <TAB>' offers every command" offers $shell 'glutebreakctl ' $commands
	check "$shell: 'glutebreakctl pause <TAB>' offers until" offers $shell 'glutebreakctl pause ' until
	check "$shell: 'glutebreakctl exercise <TAB>' offers the ids of exercise --list" \
		offers $shell 'glutebreakctl exercise ' glute-bridge walk-a-lap
	check "$shell: 'glutebreakctl exercise -<TAB>' offers --list" offers $shell 'glutebreakctl exercise -' --list
	check "$shell: 'glutebreakctl status --<TAB>' offers its options" \
		offers $shell 'glutebreakctl status --' --json --follow --format
	check "$shell: 'glutebreakctl stats --json --<TAB>' offers --days, not --csv" \
		offers $shell 'glutebreakctl stats --json --' --days '!--csv'
	check "$shell: 'glutebreakctl history --<TAB>' offers its options" \
		offers $shell 'glutebreakctl history --' --days --json --csv
	check "$shell: 'glutebreakctl programme --<TAB>' offers --json" \
		offers $shell 'glutebreakctl programme --' --json
	check "$shell: 'glutebreak --<TAB>' offers every option" offers $shell 'glutebreak --' $options
	check "$shell: 'glutebreak --config <TAB>' offers files" \
		offers $shell "glutebreak --config $tmp/config-" '*config-a.ini' '*config-b.ini'
done

echo "1..$n"
exit $failed
