/* surface_io.c: a surface as JSON Lines (written and read back) and as a
 * table of runs; the difference of two surfaces. */
#define _GNU_SOURCE
#include "surface.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

/* Pseudo return value of an exempt number: not a filter action. */
#define RET_EXEMPT 0xfffffffeu

static const char *const live_names[] = {
	[LIVE_NONE] = NULL,	     [LIVE_PASSES] = "passes", [LIVE_ERRNO] = "errno", [LIVE_TRAP] = "trap",
	[LIVE_KILL] = "killed",	     [LIVE_EXEMPT] = "exempt", [LIVE_ERROR] = "error",
};

const char *surface_live_name(enum surface_live_kind k)
{
	return live_names[k];
}

static int kernel_errno(uint32_t ret)
{
	/* kernel/seccomp.c: data = min_t(int, data, MAX_ERRNO) */
	int e = (int)(ret & SECCOMP_RET_DATA);
	return e > 4095 ? 4095 : e;
}

bool surface_live_agrees(uint32_t ret, const struct surface_live *l)
{
	switch (l->kind) {
	case LIVE_NONE:
	case LIVE_EXEMPT:
		return true;
	case LIVE_ERROR:
		return false;
	case LIVE_PASSES:
		return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ||
		       (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG ||
		       (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE;
	case LIVE_ERRNO:
		return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO && kernel_errno(ret) == l->err;
	case LIVE_TRAP:
		return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP && (int)(ret & SECCOMP_RET_DATA) == l->data;
	case LIVE_KILL:
		return !strncmp(surface_action_name(ret), "kill", 4);
	}
	return false;
}

unsigned surface_disagreements(const struct surface *s)
{
	unsigned n = 0;

	if (!s->have_static || !s->have_live)
		return 0;
	for (size_t i = 0; i < s->n_points; i++) {
		const struct surface_point *p = &s->points[i];
		if (p->exempt || p->error)
			continue;
		if (!p->n_conds)
			n += !surface_live_agrees(p->ret, &p->live);
		for (unsigned j = 0; j < p->n_conds; j++)
			n += !surface_live_agrees(p->conds[j].ret, &p->conds[j].live);
	}
	return n;
}

static struct json_object *errno_name_json(int e)
{
	const char *n = strerrorname_np(e);
	return n ? json_object_new_string(n) : NULL;
}

/* action, errno, errno_name, data of a return value into o */
static void add_action(struct json_object *o, const char *prefix, uint32_t ret)
{
	char key[32];
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	snprintf(key, sizeof(key), "%saction", prefix);
	json_object_object_add(o, key, json_object_new_string(surface_action_name(ret)));
	snprintf(key, sizeof(key), "%serrno", prefix);
	json_object_object_add(o, key, act == SECCOMP_RET_ERRNO ? json_object_new_int(kernel_errno(ret)) : NULL);
	snprintf(key, sizeof(key), "%serrno_name", prefix);
	json_object_object_add(o, key, act == SECCOMP_RET_ERRNO ? errno_name_json(kernel_errno(ret)) : NULL);
	if (act == SECCOMP_RET_TRAP || act == SECCOMP_RET_TRACE) {
		snprintf(key, sizeof(key), "%sdata", prefix);
		json_object_object_add(o, key, json_object_new_int((int)(ret & SECCOMP_RET_DATA)));
	}
}

static const char *by_of(uint32_t ret)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;
	return act == SECCOMP_RET_ALLOW || act == SECCOMP_RET_LOG ? "kernel" : "filter";
}

static void add_live(struct json_object *o, uint32_t ret, const struct surface_live *l, bool have_live,
		     bool have_static)
{
	if (!have_live)
		return;
	json_object_object_add(o, "live", l->kind == LIVE_NONE ? NULL : json_object_new_string(live_names[l->kind]));
	if (l->kind == LIVE_ERRNO) {
		json_object_object_add(o, "live_errno", json_object_new_int(l->err));
		json_object_object_add(o, "live_errno_name", errno_name_json(l->err));
	}
	if (l->kind == LIVE_TRAP)
		json_object_object_add(o, "live_data", json_object_new_int(l->data));
	if (l->reason[0])
		json_object_object_add(o, "live_reason", json_object_new_string(l->reason));
	json_object_object_add(o, "agree", l->kind == LIVE_NONE || l->kind == LIVE_EXEMPT || !have_static
						 ? NULL
						 : json_object_new_boolean(surface_live_agrees(ret, l)));
}

/* Argument values as "0x..." strings: jq reads numbers as doubles. */
static struct json_object *hex64(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static const char *test_op(const struct bpf_test *t)
{
	switch (t->op) {
	case BPF_JEQ: return t->taken ? "==" : "!=";
	case BPF_JGT: return t->taken ? ">" : "<=";
	case BPF_JGE: return t->taken ? ">=" : "<";
	default: return t->taken ? "&" : "!&";
	}
}

static void test_word_name(unsigned w, char *buf, size_t size)
{
	if (w < BPF_WORD_ARG(0, 0))
		snprintf(buf, size, "ip.%s", w == BPF_WORD_IP ? "lo" : "hi");
	else
		snprintf(buf, size, "arg%u.%s", (w - BPF_WORD_ARG(0, 0)) / 2,
			 (w - BPF_WORD_ARG(0, 0)) % 2 ? "hi" : "lo");
}

static struct json_object *point_json(const struct surface *s, const struct surface_point *p)
{
	struct json_object *o = json_object_new_object();
	struct utsname u;

	json_object_object_add(o, "abi", json_object_new_string(p->abi->name));
	json_object_object_add(o, "nr", json_object_new_int64(p->nr));
	json_object_object_add(o, "syscall", p->name ? json_object_new_string(p->name) : NULL);
	if (p->exempt) {
		json_object_object_add(o, "action", json_object_new_string("exempt"));
		json_object_object_add(o, "errno", NULL);
		json_object_object_add(o, "errno_name", NULL);
		json_object_object_add(o, "by", json_object_new_string("kernel"));
		add_action(o, "filter_", p->ret);
		json_object_object_add(o, "exempt", json_object_new_string(p->exempt->note));
		json_object_object_add(o, "exempt_holds",
				       surface_exempt_holds(p->exempt, s->kver) > 0
					       ? json_object_new_boolean(true)
					       : json_object_new_string("maybe (a stable backport)"));
	} else if (!s->have_static) {
		/* Live only: what the call showed, not a filter action. */
		json_object_object_add(o, "action", NULL);
		json_object_object_add(o, "errno", NULL);
		json_object_object_add(o, "errno_name", NULL);
		json_object_object_add(o, "by", p->live.kind == LIVE_PASSES ? json_object_new_string("kernel")
						: p->live.kind == LIVE_ERRNO || p->live.kind == LIVE_TRAP ||
								  p->live.kind == LIVE_KILL
							  ? json_object_new_string("filter")
							  : NULL);
	} else {
		add_action(o, "", p->ret);
		json_object_object_add(o, "by", json_object_new_string(s->unconfined ? "kernel" : by_of(p->ret)));
	}
	json_object_object_add(o, "profile", json_object_new_string(s->profile));
	json_object_object_add(o, "backend", json_object_new_string(s->backend));
	json_object_object_add(o, "kernel", json_object_new_string(s->kernel));
	json_object_object_add(o, "arch", json_object_new_string(uname(&u) == 0 ? u.machine : "?"));
	json_object_object_add(o, "caps", json_object_new_string(s->caps));
	json_object_object_add(o, "source",
			       json_object_new_string(s->have_static && s->have_live ? "both"
						      : s->have_live		  ? "live"
										  : "static"));
	if (!p->n_conds)
		add_live(o, p->ret, &p->live, s->have_live, s->have_static);
	struct json_object *conds = json_object_new_array();
	for (unsigned i = 0; i < p->n_conds; i++) {
		const struct surface_cond *c = &p->conds[i];
		struct json_object *co = json_object_new_object(), *tests = json_object_new_array(),
				   *args = json_object_new_array();
		char text[1024], wn[16];

		surface_cond_text(p->abi, c->tests, c->n_tests, text, sizeof(text));
		json_object_object_add(co, "when", json_object_new_string(text));
		for (unsigned j = 0; j < c->n_tests; j++) {
			struct json_object *t = json_object_new_array();
			test_word_name(c->tests[j].word, wn, sizeof(wn));
			json_object_array_add(t, json_object_new_string(wn));
			json_object_array_add(t, json_object_new_string(test_op(&c->tests[j])));
			json_object_array_add(t, json_object_new_int64(c->tests[j].mask));
			json_object_array_add(t, json_object_new_int64(c->tests[j].k));
			json_object_array_add(tests, t);
		}
		json_object_object_add(co, "tests", tests);
		for (unsigned j = 0; j < 6; j++)
			json_object_array_add(args, hex64(c->args[j]));
		json_object_object_add(co, "args", args);
		add_action(co, "", c->ret);
		add_live(co, c->ret, &c->live, s->have_live, s->have_static);
		json_object_array_add(conds, co);
	}
	json_object_object_add(o, "conditions", conds);
	if (p->unsolved)
		json_object_object_add(o, "unsolved", json_object_new_int((int)p->unsolved));
	if (p->n_findings) {
		struct json_object *fs = json_object_new_array();
		for (unsigned i = 0; i < p->n_findings; i++) {
			const struct surface_finding *f = &p->findings[i];
			struct json_object *fo = json_object_new_object(), *args = json_object_new_array();
			char buf[64];
			json_object_object_add(fo, "rule", json_object_new_string(f->rule));
			json_object_object_add(fo, "syscall", json_object_new_string(f->syscall));
			for (unsigned j = 0; j < 6; j++)
				json_object_array_add(args, hex64(f->args[j]));
			json_object_object_add(fo, "args", args);
			surface_describe_ret(f->expected, buf, sizeof(buf));
			json_object_object_add(fo, "expected", json_object_new_string(buf));
			surface_describe_ret(f->actual, buf, sizeof(buf));
			json_object_object_add(fo, "actual", json_object_new_string(buf));
			json_object_object_add(fo, "why", json_object_new_string(f->why));
			json_object_array_add(fs, fo);
		}
		json_object_object_add(o, "miscompiled", fs);
	}
	if (p->error)
		json_object_object_add(o, "error", json_object_new_string(p->error));
	return o;
}

void surface_write_json(FILE *f, const struct surface *s)
{
	for (size_t i = 0; i < s->n_points; i++) {
		struct json_object *o = point_json(s, &s->points[i]);
		fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	}
}

/* ---- the table ---- */

static void errno_text(int e, char *buf, size_t size)
{
	const char *n = strerrorname_np(e);
	if (n && e)
		snprintf(buf, size, "errno %s", n);
	else
		snprintf(buf, size, "errno %d", e);
}

static void action_text(uint32_t ret, char *buf, size_t size)
{
	uint32_t act = ret & SECCOMP_RET_ACTION_FULL;

	if (ret == RET_EXEMPT)
		snprintf(buf, size, "exempt");
	else if (act == SECCOMP_RET_ERRNO)
		errno_text(kernel_errno(ret), buf, size);
	else if (act == SECCOMP_RET_TRAP || act == SECCOMP_RET_TRACE)
		snprintf(buf, size, "%s %u", surface_action_name(ret), ret & SECCOMP_RET_DATA);
	else
		snprintf(buf, size, "%s", surface_action_name(ret));
}

static void live_text(const struct surface_live *l, char *buf, size_t size)
{
	switch (l->kind) {
	case LIVE_ERRNO: errno_text(l->err, buf, size); break;
	case LIVE_TRAP: snprintf(buf, size, "trap %d", l->data); break;
	case LIVE_ERROR: snprintf(buf, size, "error: %s", l->reason); break;
	case LIVE_NONE: snprintf(buf, size, "-"); break;
	default: snprintf(buf, size, "%s", live_names[l->kind]); break;
	}
}

/* A run is a stretch of numbers of one ABI with one action, no argument
 * conditions, and the same live result. */
static bool same_run(const struct surface_point *a, const struct surface_point *b)
{
	return a->abi == b->abi && a->live.kind != LIVE_ERROR && !a->n_conds && !b->n_conds && !a->exempt && !b->exempt && !a->error &&
	       !b->error && !a->n_findings && !b->n_findings && a->ret == b->ret && a->live.kind == b->live.kind &&
	       a->live.err == b->live.err && a->live.data == b->live.data && !a->live.reason[0] && !b->live.reason[0];
}

static void run_names(const struct surface_point *first, const struct surface_point *last, char *buf, size_t size)
{
	const char *a = NULL, *b = NULL;
	unsigned named = 0;

	for (const struct surface_point *p = first; p <= last; p++)
		if (p->name) {
			if (!a)
				a = p->name;
			b = p->name;
			named++;
		}
	if (!named)
		snprintf(buf, size, "(no name)");
	else if (first == last || named == 1)
		snprintf(buf, size, "%s%s", a, named < (unsigned)(last - first + 1) ? " +unnamed" : "");
	else
		snprintf(buf, size, "%s .. %s (%u names)", a, b, named);
}

void surface_write_table(FILE *f, const struct surface *s, bool verbose)
{
	const struct surface_abi *abi = NULL;
	unsigned disagree = surface_disagreements(s);

	fprintf(f, "profile   %s%s%s%s\n", s->profile, s->file[0] ? " (" : "", s->file, s->file[0] ? ")" : "");
	fprintf(f, "context   backend %s, caps %s, kernel %s\n", s->backend, s->caps[0] ? s->caps : "(none)", s->kernel);
	fprintf(f, "sources   %s%s%s\n", s->have_static ? "static (the compiled filter, followed on every path)" : "",
		s->have_static && s->have_live ? " + " : "",
		s->have_live ? "live (every call made under a USER_NOTIF catch-all; allow, log and trace all show as 'passes')" : "");
	if (s->live_note[0])
		fprintf(f, "note      %s\n", s->live_note);
	for (size_t i = 0; i < s->n_points;) {
		const struct surface_point *p = &s->points[i];
		char act[64], live[200], names[160], range[32];
		size_t j = i;

		if (p->abi != abi) {
			abi = p->abi;
			fprintf(f, "\n%s%s%s%s\n", abi->name, s->have_live ? " (live: " : "",
				s->have_live ? (abi->live_how ? abi->live_how : "cannot be called from this program") : "",
				s->have_live ? ")" : "");
		}
		while (j + 1 < s->n_points && same_run(p, &s->points[j + 1]))
			j++;
		const struct surface_point *last = &s->points[j];
		if (j > i)
			snprintf(range, sizeof(range), "%u-%u", p->nr - p->abi->nr_base, last->nr - p->abi->nr_base);
		else
			snprintf(range, sizeof(range), "%u", p->nr - p->abi->nr_base);
		run_names(p, last, names, sizeof(names));
		action_text(p->exempt ? RET_EXEMPT : p->ret, act, sizeof(act));
		if (p->error) {
			fprintf(f, "  nr %-9s error: %s  %s\n", range, p->error, names);
		} else if (p->exempt) {
			char fa[64];
			action_text(p->ret, fa, sizeof(fa));
			fprintf(f, "  nr %-9s %-16s %s: the kernel runs it without asking the filter (which says %s)\n",
				range, "exempt", names, fa);
		} else if (!p->n_conds) {
			live_text(&p->live, live, sizeof(live));
			bool ok = !s->have_static || surface_live_agrees(p->ret, &p->live);
			if (!s->have_static)
				fprintf(f, "  nr %-9s live %-11s %s\n", range, live, names);
			else if (s->have_live)
				fprintf(f, "  nr %-9s %-16s live %-11s %s%s\n", range, act, live, names,
					ok ? "" : "   <<< DISAGREE");
			else
				fprintf(f, "  nr %-9s %-16s %s\n", range, act, names);
		} else {
			fprintf(f, "  nr %-9s %-16s %s (%u paths%s):\n", range, "by arguments", names, p->n_conds,
				p->unsolved ? ", some branches unsolved" : "");
			for (unsigned c = 0; c < p->n_conds; c++) {
				char when[1024];
				const struct surface_cond *cd = &p->conds[c];
				surface_cond_text(p->abi, cd->tests, cd->n_tests, when, sizeof(when));
				action_text(cd->ret, act, sizeof(act));
				live_text(&cd->live, live, sizeof(live));
				bool ok = surface_live_agrees(cd->ret, &cd->live);
				if (s->have_live)
					fprintf(f, "     %-21s live %-11s when %s%s\n", act, live, when,
						ok ? "" : "   <<< DISAGREE");
				else
					fprintf(f, "     %-21s when %s\n", act, when);
				if (verbose) {
					fprintf(f, "     %-21s e.g. args (", "");
					for (unsigned a = 0; a < 6; a++)
						fprintf(f, "%s0x%llx", a ? ", " : "", (unsigned long long)cd->args[a]);
					fprintf(f, ")\n");
				}
			}
		}
		for (unsigned k = 0; k < p->n_findings; k++) {
			char e[64], a[64];
			surface_describe_ret(p->findings[k].expected, e, sizeof(e));
			surface_describe_ret(p->findings[k].actual, a, sizeof(a));
			fprintf(f, "      MISCOMPILED %s (%s): args (", p->findings[k].rule, p->findings[k].syscall);
			for (unsigned a2 = 0; a2 < 6; a2++)
				fprintf(f, "%s0x%llx", a2 ? ", " : "", (unsigned long long)p->findings[k].args[a2]);
			fprintf(f, "): the profile means %s, the compiled filter returns %s\n", e, a);
		}
		i = j + 1;
	}
	if (s->have_static && s->have_live)
		fprintf(f, "\n%s\n", disagree ? "the static and live sources DISAGREE (lines marked <<< DISAGREE)"
					      : "the static and live sources agree on every call made");
}
