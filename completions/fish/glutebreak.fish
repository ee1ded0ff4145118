# SPDX-License-Identifier: MIT
# fish completion for glutebreak(1)

complete -c glutebreak -f
complete -c glutebreak -s c -l config -r -F -d 'Read FILE instead of the default config file'
complete -c glutebreak -l check-config -d 'Check the config file and the exercise catalogues, then exit'
complete -c glutebreak -l list-backends -d 'List the idle sources and which one is chosen, then exit'
complete -c glutebreak -s v -l verbose -d 'Log debug messages too'
complete -c glutebreak -l version -d 'Print the version and exit'
complete -c glutebreak -s h -l help -d 'Show the options and exit'
