/* SPDX-License-Identifier: MIT */
/* JSON strings, the one escaper: the rest of any JSON we print is numbers and punctuation,
 * so a GString is all it takes (no JSON library for that). */
#include "json.h"

void
gb_json_append_string(GString *out, const char *text)
{
	const char *p = text;

	if (text == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	while (*p != '\0') {
		const char *run = p;
		gunichar c;

		/* printable ASCII as it is, a run at a time */
		while ((guchar) *p >= 0x20 && (guchar) *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		g_string_append_len(out, run, p - run);
		if (*p == '\0')
			break;
		c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar) -1 || c == (gunichar) -2) {
			g_string_append(out, "\xef\xbf\xbd"); /* U+FFFD, for one bad byte */
			p++;
			continue;
		}
		switch (c) {
		case '"':
			g_string_append(out, "\\\"");
			break;
		case '\\':
			g_string_append(out, "\\\\");
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if (c < 0x20)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_len(out, p, g_utf8_next_char(p) - p);
			break;
		}
		p = g_utf8_next_char(p);
	}
	g_string_append_c(out, '"');
}
