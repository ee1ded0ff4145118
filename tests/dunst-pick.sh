#!/bin/sh
# SPDX-License-Identifier: MIT
# dunst's "dmenu" for tests/test-daemon-dunst.py: reads the action menu dunst offers
# (one line per action: "#Snooze 6 s (summary) [ID,snooze]") on stdin, appends it to
# $GB_DUNST_MENU for the test to check, and prints the line of the action whose key the
# test wrote to the file $GB_DUNST_PICK; dunst then invokes that action.
set -eu
menu=$(cat)
printf '%s\n' "$menu" >> "$GB_DUNST_MENU"
key=$(cat "$GB_DUNST_PICK")
printf '%s\n' "$menu" | grep -F ",$key]" | head -n 1
