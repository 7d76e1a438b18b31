/* policy_names.h: the bundled profile names (policy_bundled_names; lib/policy.c
 * owns them) in a program's --help, so that no help text repeats the list
 * and falls behind it. */
#ifndef POLICY_NAMES_H
#define POLICY_NAMES_H

#include "policy.h"

#include <stdio.h>
#include <string.h>

/* LEAD, then " a, b, c" (the name DEFAULT, when not NULL, marked
 * "(default)"), folded so that no line passes WIDTH columns, each further
 * line starting with INDENT; then a newline. */
static inline void policy_print_bundled_names(FILE *f, const char *lead, const char *indent, const char *dflt,
					      int width)
{
	int col = fprintf(f, "%s", lead);

	for (const char *const *n = policy_bundled_names; *n; n++) {
		char word[128];
		int len = snprintf(word, sizeof(word), "%s%s%s", *n, dflt && strcmp(*n, dflt) == 0 ? " (default)" : "",
				   n[1] ? "," : "");
		if (col + 1 + len > width)
			col = fprintf(f, "\n%s", indent) - 1;
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%s", word);
	}
	fputc('\n', f);
}

#endif
