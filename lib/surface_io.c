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
	[LIVE_NONE] = NULL,	[LIVE_PASSES] = "passes", [LIVE_ERRNO] = "errno", [LIVE_TRAP] = "trap",
	[LIVE_KILL] = "killed", [LIVE_EXEMPT] = "exempt", [LIVE_ERROR] = "error",
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
	case LIVE_EXEMPT: return true;
	case LIVE_ERROR: return false;
	case LIVE_PASSES:
		return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW ||
		       (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG ||
		       (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRACE;
	case LIVE_ERRNO: return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO && kernel_errno(ret) == l->err;
	case LIVE_TRAP:
		return (ret & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP && (int)(ret & SECCOMP_RET_DATA) == l->data;
	case LIVE_KILL: return !strncmp(surface_action_name(ret), "kill", 4);
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
	json_object_object_add(o, "agree",
			       l->kind == LIVE_NONE || l->kind == LIVE_EXEMPT || !have_static
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
		json_object_object_add(o, "by",
				       p->live.kind == LIVE_PASSES ? json_object_new_string("kernel")
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
						      : s->have_live		     ? "live"
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
			bpf_describe_ret(f->expected, buf, sizeof(buf));
			json_object_object_add(fo, "expected", json_object_new_string(buf));
			bpf_describe_ret(f->actual, buf, sizeof(buf));
			json_object_object_add(fo, "actual", json_object_new_string(buf));
			json_object_object_add(fo, "expected_ret", json_object_new_int64(f->expected));
			json_object_object_add(fo, "actual_ret", json_object_new_int64(f->actual));
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
		fprintf(f, "%s\n",
			json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
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
	return a->abi == b->abi && a->live.kind != LIVE_ERROR && !a->n_conds && !b->n_conds && !a->exempt &&
	       !b->exempt && !a->error && !b->error && !a->n_findings && !b->n_findings && a->ret == b->ret &&
	       a->live.kind == b->live.kind && a->live.err == b->live.err && a->live.data == b->live.data &&
	       !a->live.reason[0] && !b->live.reason[0];
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
	fprintf(f, "context   backend %s, caps %s, kernel %s\n", s->backend, s->caps[0] ? s->caps : "(none)",
		s->kernel);
	fprintf(f, "sources   %s%s%s\n",
		!s->have_static ? ""
		: !strcmp(s->backend, "native")
			? "static (the compiled filter, followed on every path)"
			: "static (the filter the runtime installed, read back, followed on every path)",
		s->have_static && s->have_live ? " + " : "",
		s->have_live
			? "live (every call made under a USER_NOTIF catch-all; allow, log and trace all show as 'passes')"
			: "");
	if (s->live_note[0])
		fprintf(f, "note      %s\n", s->live_note);
	for (size_t i = 0; i < s->n_points;) {
		const struct surface_point *p = &s->points[i];
		char act[64], live[200], names[160], range[32];
		size_t j = i;

		if (p->abi != abi) {
			abi = p->abi;
			fprintf(f, "\n%s%s%s%s\n", abi->name, s->have_live ? " (live: " : "",
				s->have_live ? (abi->live_how ? abi->live_how : "cannot be called from this program")
					     : "",
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
				fprintf(f, "  nr %-9s live %-13s %s\n", range, live, names);
			else if (s->have_live)
				fprintf(f, "  nr %-9s %-16s live %-13s %s%s\n", range, act, live, names,
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
					fprintf(f, "     %-21s live %-13s when %s%s\n", act, live, when,
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
			bpf_describe_ret(p->findings[k].expected, e, sizeof(e));
			bpf_describe_ret(p->findings[k].actual, a, sizeof(a));
			fprintf(f, "      MISCOMPILED %s (%s): args (", p->findings[k].rule, p->findings[k].syscall);
			for (unsigned a2 = 0; a2 < 6; a2++)
				fprintf(f, "%s0x%llx", a2 ? ", " : "", (unsigned long long)p->findings[k].args[a2]);
			fprintf(f, "): the profile means %s, the filter returns %s\n", e, a);
		}
		i = j + 1;
	}
	if (s->have_static && s->have_live)
		fprintf(f, "\n%s\n",
			disagree ? "the static and live sources DISAGREE (lines marked <<< DISAGREE)"
				 : "the static and live sources agree on every call made");
}

/* ---- reading a saved surface ---- */

static int ret_of(struct json_object *o, const char *prefix, uint32_t *ret)
{
	char key[32];
	struct json_object *a, *v;
	const char *name;
	uint32_t data = 0;

	snprintf(key, sizeof(key), "%saction", prefix);
	if (!json_object_object_get_ex(o, key, &a) || !json_object_is_type(a, json_type_string))
		return -1;
	name = json_object_get_string(a);
	snprintf(key, sizeof(key), "%serrno", prefix);
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
		data = (uint32_t)json_object_get_int(v) & SECCOMP_RET_DATA;
	snprintf(key, sizeof(key), "%sdata", prefix);
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
		data = (uint32_t)json_object_get_int(v) & SECCOMP_RET_DATA;
	static const struct {
		const char *name;
		uint32_t act;
	} acts[] = {
		{ "allow", SECCOMP_RET_ALLOW },
		{ "log", SECCOMP_RET_LOG },
		{ "trace", SECCOMP_RET_TRACE },
		{ "errno", SECCOMP_RET_ERRNO },
		{ "trap", SECCOMP_RET_TRAP },
		{ "notify", SECCOMP_RET_USER_NOTIF },
		{ "kill_thread", SECCOMP_RET_KILL_THREAD },
		{ "kill_process", SECCOMP_RET_KILL_PROCESS },
	};
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		if (strcmp(name, acts[i].name) == 0) {
			*ret = acts[i].act | data;
			return 0;
		}
	return -1;
}

static int test_of(struct json_object *t, struct bpf_test *out)
{
	static const struct {
		const char *op;
		uint8_t code;
		bool taken;
	} ops[] = {
		{ "==", BPF_JEQ, true }, { "!=", BPF_JEQ, false }, { ">", BPF_JGT, true },  { "<=", BPF_JGT, false },
		{ ">=", BPF_JGE, true }, { "<", BPF_JGE, false },  { "&", BPF_JSET, true }, { "!&", BPF_JSET, false },
	};
	const char *w, *op;
	unsigned arg;
	char half[4];

	if (!json_object_is_type(t, json_type_array) || json_object_array_length(t) != 4)
		return -1;
	w = json_object_get_string(json_object_array_get_idx(t, 0));
	op = json_object_get_string(json_object_array_get_idx(t, 1));
	if (!w || !op)
		return -1;
	if (sscanf(w, "arg%u.%2s", &arg, half) == 2 && arg < 6 && (!strcmp(half, "lo") || !strcmp(half, "hi")))
		out->word = (uint8_t)BPF_WORD_ARG(arg, half[0] == 'h');
	else if (!strcmp(w, "ip.lo") || !strcmp(w, "ip.hi"))
		out->word = (uint8_t)(BPF_WORD_IP + (w[3] == 'h'));
	else
		return -1;
	out->mask = (uint32_t)json_object_get_int64(json_object_array_get_idx(t, 2));
	out->k = (uint32_t)json_object_get_int64(json_object_array_get_idx(t, 3));
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].op)) {
			out->op = ops[i].code;
			out->taken = ops[i].taken;
			return 0;
		}
	return -1;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

/* The live fields of a point or condition, when the file has them. */
static bool live_of(struct json_object *o, struct surface_live *l)
{
	struct json_object *v;
	const char *k;

	if (!json_object_object_get_ex(o, "live", &v))
		return false;
	k = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	l->kind = LIVE_NONE;
	for (int i = LIVE_PASSES; k && i <= LIVE_ERROR; i++)
		if (!strcmp(k, live_names[i]))
			l->kind = (enum surface_live_kind)i;
	if (json_object_object_get_ex(o, "live_errno", &v))
		l->err = json_object_get_int(v);
	if (json_object_object_get_ex(o, "live_data", &v))
		l->data = json_object_get_int(v);
	if (str_of(o, "live_reason"))
		snprintf(l->reason, sizeof(l->reason), "%s", str_of(o, "live_reason"));
	return true;
}

static int point_of(struct json_object *o, struct surface_point *p, const char **why, bool *live)
{
	struct json_object *v, *conds;
	const char *abi = str_of(o, "abi"), *action = str_of(o, "action"), *name = str_of(o, "syscall");

	*why = "abi: not an ABI of this host";
	if (!abi || !(p->abi = surface_abi_by_name(abi)))
		return -1;
	*why = "nr: missing";
	if (!json_object_object_get_ex(o, "nr", &v) || !json_object_is_type(v, json_type_int))
		return -1;
	p->nr = (uint32_t)json_object_get_int64(v);
	p->name = name ? strdup(name) : NULL;
	*why = "action: missing, or not a filter action (a --source live file has none: diff needs the static source)";
	if (!action)
		return -1;
	if (!strcmp(action, "exempt")) {
		p->exempt = surface_exempt_of(p->abi, p->nr);
		if (!p->exempt || ret_of(o, "filter_", &p->ret)) {
			*why = "action: exempt, but not an exempt number, or no filter_action";
			return -1;
		}
	} else if (ret_of(o, "", &p->ret)) {
		return -1;
	}
	*live = live_of(o, &p->live) || *live;
	struct json_object *fs;
	if (json_object_object_get_ex(o, "miscompiled", &fs) && json_object_is_type(fs, json_type_array)) {
		size_t nf = json_object_array_length(fs);
		p->findings = calloc(nf + 1, sizeof(*p->findings));
		*why = "out of memory";
		if (!p->findings)
			return -1;
		for (size_t i = 0; i < nf; i++) {
			struct json_object *fo = json_object_array_get_idx(fs, i), *v, *args;
			struct surface_finding *f = &p->findings[p->n_findings++];
			snprintf(f->rule, sizeof(f->rule), "%s", str_of(fo, "rule") ? str_of(fo, "rule") : "?");
			snprintf(f->syscall, sizeof(f->syscall), "%s",
				 str_of(fo, "syscall") ? str_of(fo, "syscall") : "?");
			snprintf(f->why, sizeof(f->why), "%s", str_of(fo, "why") ? str_of(fo, "why") : "");
			f->abi = p->abi->name;
			f->nr = p->nr;
			if (json_object_object_get_ex(fo, "expected_ret", &v))
				f->expected = (uint32_t)json_object_get_int64(v);
			if (json_object_object_get_ex(fo, "actual_ret", &v))
				f->actual = (uint32_t)json_object_get_int64(v);
			if (json_object_object_get_ex(fo, "args", &args))
				for (unsigned j = 0; j < 6 && j < json_object_array_length(args); j++)
					f->args[j] = strtoull(
						json_object_get_string(json_object_array_get_idx(args, j)), NULL, 0);
		}
	}
	if (!json_object_object_get_ex(o, "conditions", &conds) || !json_object_is_type(conds, json_type_array)) {
		*why = "conditions: missing";
		return -1;
	}
	size_t n = json_object_array_length(conds);
	if (n == 0)
		return 0;
	p->conds = calloc(n, sizeof(*p->conds));
	if (!p->conds) {
		*why = "out of memory";
		return -1;
	}
	p->n_conds = (unsigned)n;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(conds, i), *tests, *args;
		struct surface_cond *cd = &p->conds[i];
		*why = "conditions: a condition without tests, args or action";
		if (!json_object_object_get_ex(c, "tests", &tests) || !json_object_object_get_ex(c, "args", &args) ||
		    json_object_array_length(args) != 6 || ret_of(c, "", &cd->ret))
			return -1;
		cd->n_tests = (unsigned)json_object_array_length(tests);
		cd->tests = calloc(cd->n_tests + 1, sizeof(*cd->tests));
		for (unsigned j = 0; j < cd->n_tests; j++)
			if (!cd->tests || test_of(json_object_array_get_idx(tests, j), &cd->tests[j])) {
				*why = "conditions: a test that is not [WORD, OP, MASK, K]";
				return -1;
			}
		*live = live_of(c, &cd->live) || *live;
		for (unsigned j = 0; j < 6; j++) {
			const char *a = json_object_get_string(json_object_array_get_idx(args, j));
			char *end;
			errno = 0;
			cd->args[j] = a ? strtoull(a, &end, 0) : 0;
			if (!a || errno || *end) {
				*why = "conditions: args: not \"0x...\" strings";
				return -1;
			}
		}
	}
	return 0;
}

int surface_read_json(const char *file, struct surface *s, char *err, size_t err_size)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0, n_cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	bool live = false;

	memset(s, 0, sizeof(*s));
	if (!f) {
		snprintf(err, err_size, "%s: %s", file, strerror(errno));
		return -1;
	}
	snprintf(s->saved, sizeof(s->saved), "%s", file);
	while ((len = getline(&line, &cap, f)) >= 0) {
		struct json_object *o;
		const char *why = NULL;
		lineno++;
		if (len <= 1)
			continue;
		o = json_tokener_parse(line);
		if (!o || !json_object_is_type(o, json_type_object)) {
			snprintf(err, err_size, "%s:%u: not a JSON object (a surface file is scsurface --json output)",
				 file, lineno);
			json_object_put(o);
			goto fail;
		}
		if (s->n_points == n_cap) {
			n_cap = n_cap ? 2 * n_cap : 4096;
			struct surface_point *np = realloc(s->points, n_cap * sizeof(*np));
			if (!np) {
				json_object_put(o);
				snprintf(err, err_size, "%s: out of memory", file);
				goto fail;
			}
			s->points = np;
		}
		struct surface_point *p = &s->points[s->n_points++];
		memset(p, 0, sizeof(*p));
		if (point_of(o, p, &why, &live)) {
			snprintf(err, err_size, "%s:%u: %s", file, lineno, why);
			json_object_put(o);
			goto fail;
		}
		if (s->n_points == 1) {
			snprintf(s->profile, sizeof(s->profile), "%s",
				 str_of(o, "profile") ? str_of(o, "profile") : file);
			snprintf(s->kernel, sizeof(s->kernel), "%s", str_of(o, "kernel") ? str_of(o, "kernel") : "");
			kernel_version_parse(s->kernel, &s->kver);
			snprintf(s->caps, sizeof(s->caps), "%s", str_of(o, "caps") ? str_of(o, "caps") : "");
			snprintf(s->backend, sizeof(s->backend), "%s",
				 str_of(o, "backend") ? str_of(o, "backend") : "");
		}
		json_object_put(o);
	}
	free(line);
	fclose(f);
	if (!s->n_points) {
		snprintf(err, err_size, "%s: no lines (a surface file is scsurface --json output)", file);
		surface_free(s);
		return -1;
	}
	s->have_static = true;
	s->have_live = live;
	return 0;
fail:
	free(line);
	fclose(f);
	surface_free(s);
	return -1;
}

/* ---- the difference ---- */

static void point_words(const struct surface_point *p, const uint64_t *args, uint32_t words[BPF_WORDS])
{
	memset(words, 0, BPF_WORDS * sizeof(words[0]));
	words[BPF_WORD_NR] = p->nr;
	words[BPF_WORD_ARCH] = p->abi->audit_arch;
	for (unsigned i = 0; i < 6; i++) {
		words[BPF_WORD_ARG(i, 0)] = (uint32_t)args[i];
		words[BPF_WORD_ARG(i, 1)] = p->abi->args32 ? 0 : (uint32_t)(args[i] >> 32);
	}
}

/* The path of p a vector follows: its index, or -1 for an unconditional
 * number, -2 when none holds. */
static int path_of(const struct surface_point *p, const uint32_t words[BPF_WORDS])
{
	if (!p->n_conds)
		return -1;
	for (unsigned c = 0; c < p->n_conds; c++) {
		bool all = true;
		for (unsigned t = 0; t < p->conds[c].n_tests && all; t++)
			all = bpf_test_holds(&p->conds[c].tests[t], words[p->conds[c].tests[t].word]);
		if (all)
			return (int)c;
	}
	return -2;
}

static uint32_t effective(const struct surface_point *p, int path)
{
	if (p->exempt)
		return RET_EXEMPT;
	return path >= 0 ? p->conds[path].ret : p->ret;
}

struct diff_row {
	const struct surface_point *a, *b;
	uint32_t ra, rb;
	int pa, pb; /* paths; -1 unconditional */
	uint64_t args[6];
};

static void when_text(const struct diff_row *r, char *buf, size_t size)
{
	char ta[1024] = "", tb[1024] = "";
	if (r->pa >= 0)
		surface_cond_text(r->a->abi, r->a->conds[r->pa].tests, r->a->conds[r->pa].n_tests, ta, sizeof(ta));
	if (r->pb >= 0)
		surface_cond_text(r->b->abi, r->b->conds[r->pb].tests, r->b->conds[r->pb].n_tests, tb, sizeof(tb));
	if (ta[0] && tb[0] && strcmp(ta, tb))
		snprintf(buf, size, "A: %s; B: %s", ta, tb);
	else
		snprintf(buf, size, "%s", ta[0] ? ta : tb);
}

static struct json_object *action_json(uint32_t ret)
{
	struct json_object *o = json_object_new_object();
	if (ret == RET_EXEMPT) {
		json_object_object_add(o, "action", json_object_new_string("exempt"));
		return o;
	}
	add_action(o, "", ret);
	return o;
}

static void emit_json(FILE *f, const struct diff_row *r)
{
	struct json_object *o = json_object_new_object(), *args = json_object_new_array();
	char when[2100];

	json_object_object_add(o, "abi", json_object_new_string(r->a->abi->name));
	json_object_object_add(o, "nr", json_object_new_int64(r->a->nr));
	json_object_object_add(o, "syscall",
			       r->a->name   ? json_object_new_string(r->a->name)
			       : r->b->name ? json_object_new_string(r->b->name)
					    : NULL);
	when_text(r, when, sizeof(when));
	json_object_object_add(o, "when", r->pa < 0 && r->pb < 0 ? NULL : json_object_new_string(when));
	for (unsigned i = 0; i < 6; i++)
		json_object_array_add(args, hex64(r->args[i]));
	json_object_object_add(o, "args", r->pa < 0 && r->pb < 0 ? (json_object_put(args), NULL) : args);
	json_object_object_add(o, "a", action_json(r->ra));
	json_object_object_add(o, "b", action_json(r->rb));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static const struct surface_point *find_point(const struct surface *s, const struct surface_point *like)
{
	/* Both are sorted by ABI then number when written by scsurface; a
	 * linear search keeps any order readable. */
	static size_t hint;
	for (size_t k = 0; k < s->n_points; k++) {
		size_t i = (hint + k) % s->n_points;
		if (s->points[i].nr == like->nr && !strcmp(s->points[i].abi->name, like->abi->name)) {
			hint = i + 1;
			return &s->points[i];
		}
	}
	return NULL;
}

static void diff_label(FILE *f, const char *side, const struct surface *s)
{
	fprintf(f, "%s  %s", side, s->profile);
	if (s->saved[0])
		fprintf(f, " (saved surface %s)", s->saved);
	else if (s->file[0] && strcmp(s->file, s->profile))
		fprintf(f, " (%s)", s->file);
	fprintf(f, ": backend %s, kernel %s, caps %s\n", s->backend[0] ? s->backend : "?", s->kernel,
		s->caps[0] ? s->caps : "-");
}

unsigned surface_diff(FILE *f, const struct surface *a, const struct surface *b, bool json)
{
	struct diff_row *rows = NULL;
	size_t n_rows = 0, cap = 0;
	unsigned only_a = 0;

	for (size_t i = 0; i < a->n_points; i++) {
		const struct surface_point *pa = &a->points[i], *pb = find_point(b, pa);
		if (!pb) {
			only_a++;
			continue;
		}
		/* Every vector that is a witness on either side; each pair of
		 * paths (a cell) reported once. */
		unsigned nw = (pa->n_conds ? pa->n_conds : 1) + (pb->n_conds ? pb->n_conds : 0);
		size_t first = n_rows;
		for (unsigned w = 0; w < nw; w++) {
			static const uint64_t zero[6];
			const uint64_t *args =
				pa->n_conds ? (w < pa->n_conds ? pa->conds[w].args : pb->conds[w - pa->n_conds].args)
				: w == 0    ? zero
					    : pb->conds[w - 1].args;
			uint32_t words[BPF_WORDS];
			point_words(pa, args, words);
			int xa = path_of(pa, words), xb = path_of(pb, words);
			if (xa == -2 || xb == -2)
				continue; /* a file whose paths do not cover the vector */
			uint32_t ra = effective(pa, xa), rb = effective(pb, xb);
			if (ra == rb)
				continue;
			bool seen = false;
			for (size_t r = first; r < n_rows && !seen; r++)
				seen = rows[r].pa == xa && rows[r].pb == xb;
			if (seen)
				continue;
			if (n_rows == cap) {
				cap = cap ? 2 * cap : 256;
				struct diff_row *nr = realloc(rows, cap * sizeof(*nr));
				if (!nr)
					break;
				rows = nr;
			}
			struct diff_row *r = &rows[n_rows++];
			r->a = pa;
			r->b = pb;
			r->ra = ra;
			r->rb = rb;
			r->pa = xa;
			r->pb = xb;
			memcpy(r->args, args, sizeof(r->args));
		}
	}
	if (json) {
		for (size_t i = 0; i < n_rows; i++)
			emit_json(f, &rows[i]);
	} else {
		diff_label(f, "A", a);
		diff_label(f, "B", b);
		for (size_t i = 0; i < n_rows;) {
			const struct diff_row *r = &rows[i];
			size_t j = i;
			char aa[64], ab[64], range[32], names[160];
			/* A run: consecutive numbers, no conditions, the same pair. */
			while (r->pa < 0 && r->pb < 0 && j + 1 < n_rows && rows[j + 1].a->abi == r->a->abi &&
			       rows[j + 1].pa < 0 && rows[j + 1].pb < 0 && rows[j + 1].a->nr == rows[j].a->nr + 1 &&
			       rows[j + 1].ra == r->ra && rows[j + 1].rb == r->rb)
				j++;
			action_text(r->ra, aa, sizeof(aa));
			action_text(r->rb, ab, sizeof(ab));
			if (j > i)
				snprintf(range, sizeof(range), "%u-%u", r->a->nr - r->a->abi->nr_base,
					 rows[j].a->nr - r->a->abi->nr_base);
			else
				snprintf(range, sizeof(range), "%u", r->a->nr - r->a->abi->nr_base);
			run_names(r->a, rows[j].a, names, sizeof(names));
			fprintf(f, "%-7s nr %-9s A %-16s B %-16s %s", r->a->abi->name, range, aa, ab, names);
			if (r->pa >= 0 || r->pb >= 0) {
				char when[2100];
				when_text(r, when, sizeof(when));
				fprintf(f, " when %s", when);
			}
			fprintf(f, "\n");
			i = j + 1;
		}
		if (only_a)
			fprintf(f, "(%u numbers of A are not in B: compared where both have them)\n", only_a);
		fprintf(f, "%s: %zu difference%s\n", n_rows ? "differ" : "equal", n_rows, n_rows == 1 ? "" : "s");
	}
	free(rows);
	return (unsigned)n_rows;
}
