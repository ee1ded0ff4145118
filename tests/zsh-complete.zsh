# SPDX-License-Identifier: MIT
# zsh -f tests/zsh-complete.zsh FPATH_DIR OUTFILE 'COMMAND LINE'
# Types COMMAND LINE and a TAB into an interactive zsh (in a pseudo-terminal, with
# compinit and FPATH_DIR first in $fpath) and writes every match the completion
# offers to OUTFILE, one per line. Exit status 3: no zsh/zpty; 4: no answer.
zmodload zsh/zpty 2> /dev/null || exit 3
dir=$1 out=$2 line=$3
: > "$out"

zpty z zsh -f -i
zpty -w z "PS1='' RPS1=''; fpath=(${(q)dir} \$fpath); autoload -Uz compinit && compinit -u -D"
# every match added goes to OUTFILE (the matches of compadd -O/-A/-D are not offered)
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
	local -a hits; builtin compadd -A hits "$@"
	(( $#hits )) && print -rl -- $hits >> '${(q)out}'
	builtin compadd "$@"
}'
zpty -w z "zstyle ':completion:*' menu no; zstyle ':completion:*' list-prompt ''"
# the markers are computed, so that the echo of the command line does not match them
zpty -w z 'print -r -- READY-$((6 * 7))'
zpty -r -m z reply '*READY-42*' || exit 4
# TAB, then ^U to clear the line; the shell reads its input in order, so once the
# next command has run, the completion is over
zpty -w -n z "$line"$'\t\x15'
zpty -w z 'print -r -- DONE-$((6 * 7))'
zpty -r -m z reply '*DONE-42*' || exit 4
zpty -d z
exit 0
