#include "ctl-report.h"
int gb_ctl_stats(int argc, char **argv) { (void) argc; (void) argv; return 1; }
int gb_ctl_history(int argc, char **argv) { (void) argc; (void) argv; return 1; }
