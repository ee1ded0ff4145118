# SPDX-License-Identifier: MIT
# fish completion for glutebreakctl(1)

# the words after the command's options, up to the cursor: the subcommand and its arguments
function __glutebreakctl_args
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]; and string match -q -- '-*' $words[1]
        set -e words[1]
    end
    string join \n -- $words
end

# __glutebreakctl_at COMMAND N: the cursor is at COMMAND's argument N (options count)
function __glutebreakctl_at -a command n
    set -l args (__glutebreakctl_args)
    test "$args[1]" = "$command"; and test (count $args) -eq $n
end

# __glutebreakctl_in COMMAND...: the subcommand is one of COMMAND
function __glutebreakctl_in
    set -l args (__glutebreakctl_args)
    set -q args[1]; and contains -- $args[1] $argv
end

function __glutebreakctl_none
    set -l args (__glutebreakctl_args)
    not set -q args[1]
end

complete -c glutebreakctl -f
complete -c glutebreakctl -n __glutebreakctl_none -s h -l help -d 'Show help and exit'
complete -c glutebreakctl -n __glutebreakctl_none -l version -d 'Print the version and exit'

complete -c glutebreakctl -n __glutebreakctl_none -a status -d 'Show the state and how long you have been sitting'
complete -c glutebreakctl -n __glutebreakctl_none -a pause -d 'No reminders for a while (default 1h)'
complete -c glutebreakctl -n __glutebreakctl_none -a resume -d 'End a pause'
complete -c glutebreakctl -n __glutebreakctl_none -a snooze -d 'Postpone the next reminder'
complete -c glutebreakctl -n __glutebreakctl_none -a skip -d 'No reminder until another full sit-limit'
complete -c glutebreakctl -n __glutebreakctl_none -a break -d 'Take a break now, like Done'
complete -c glutebreakctl -n __glutebreakctl_none -a reload -d 'Make the daemon read its configuration again'
complete -c glutebreakctl -n __glutebreakctl_none -a exercise -d 'Show an exercise now, or list them'
complete -c glutebreakctl -n __glutebreakctl_none -a too-hard -d 'The strengthen exercise on screen is too hard: ease it'
complete -c glutebreakctl -n __glutebreakctl_none -a stats -d 'Sitting time, bouts and reminders per day'
complete -c glutebreakctl -n __glutebreakctl_none -a history -d 'The recorded events'
complete -c glutebreakctl -n __glutebreakctl_none -a programme -d 'The level, dose and progress of each strengthen exercise'

complete -c glutebreakctl -n '__glutebreakctl_in status; and not __fish_seen_argument -l format -l json' \
    -l json -d 'Print a JSON object, for waybar'
complete -c glutebreakctl -n '__glutebreakctl_in status; and not __fish_seen_argument -l json -l format' \
    -l format -x -d 'Print one line with {field}s replaced'
complete -c glutebreakctl -n '__glutebreakctl_in status; and not __fish_seen_argument -l follow' -l follow -d 'Print a line on every change'

complete -c glutebreakctl -n '__glutebreakctl_at pause 1' -a until -d 'Pause until a time of day (HH:MM)'
complete -c glutebreakctl -n '__glutebreakctl_at pause 1' -a '15m 30m 1h 2h' -d Duration
complete -c glutebreakctl -n '__glutebreakctl_at snooze 1' -a '5m 10m 15m 30m' -d Duration

complete -c glutebreakctl -n '__glutebreakctl_at exercise 1' -l list -d 'Print the ids of the exercises'
complete -c glutebreakctl -n '__glutebreakctl_at exercise 1' \
    -a '(glutebreakctl exercise --list 2>/dev/null)' -d Exercise

complete -c glutebreakctl -n '__glutebreakctl_at too-hard 1' \
    -a '(glutebreakctl exercise --list 2>/dev/null)' -d Exercise

complete -c glutebreakctl -n '__glutebreakctl_in stats history; and not __fish_seen_argument -l days' -l days -x -d 'The last N days (default 7)'
complete -c glutebreakctl -n '__glutebreakctl_in stats history; and not __fish_seen_argument -l csv -l json' \
    -l json -d 'Print JSON'
complete -c glutebreakctl -n '__glutebreakctl_in stats history; and not __fish_seen_argument -l json -l csv' \
    -l csv -d 'Print CSV with a header row'

complete -c glutebreakctl -n '__glutebreakctl_in programme; and not __fish_seen_argument -l json' -l json -d 'Print JSON'
