#pragma once
int gb_ctl_stats(int argc, char **argv);
int gb_ctl_history(int argc, char **argv);
