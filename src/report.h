/* SPDX-License-Identifier: MIT */
#pragma once

#include <glib.h>

#include "history.h"
#include "stats.h"

G_BEGIN_DECLS

/* What glutebreakctl stats and history print (pure: rows or events in, text out). */
typedef enum {
	GB_REPORT_TEXT,        /* plain text: tables for stats, the lines themselves for history */
	GB_REPORT_CHART_ASCII, /* stats: the tables and a chart of sitting per day, in ASCII */
	GB_REPORT_CHART_UTF8,  /* ... in block characters */
	GB_REPORT_CSV,         /* a header row, then one row per day or event */
	GB_REPORT_JSON,        /* an array of day or event objects */
} GbReportFormat;

/* Caller frees. */
char *gb_report_stats(const GbStatsDay *days, guint n_days, GbReportFormat format);
/* Every event of @events (in their order); the chart formats are plain text. Caller frees. */
char *gb_report_history(const GbEvent *events, gsize n_events, GbReportFormat format);

G_END_DECLS
