/* profile_oci.c: a resolved profile written out as the OCI linux.seccomp
 * object, so that runc and crun load the very rules the native loader
 * compiles (moby's setupSeccomp builds the same object for containerd).
 */
#define _GNU_SOURCE
#include "profile.h"

#include <json-c/json.h>

static struct json_object *errno_json(bool has, unsigned value, int errno_override)
{
	if (errno_override >= 0)
		return json_object_new_int(errno_override);
	return has ? json_object_new_int64(value) : NULL;
}

static struct json_object *rule_to_oci(const struct profile_rule *r, int errno_override)
{
	struct json_object *o = json_object_new_object(), *names = json_object_new_array();

	for (size_t i = 0; i < r->n_names; i++)
		json_object_array_add(names, json_object_new_string(r->names[i]));
	json_object_object_add(o, "names", names);
	json_object_object_add(o, "action", json_object_new_string(action_name(r->action)));
	if (r->action == ACTION_ERRNO || r->action == ACTION_TRACE) {
		/* The sentinel replaces what ERRNO returns, never TRACE's data. */
		struct json_object *e = errno_json(r->has_errno_ret, r->errno_ret,
						   r->action == ACTION_ERRNO ? errno_override : -1);
		if (e)
			json_object_object_add(o, "errnoRet", e);
	}
	if (r->n_args) {
		struct json_object *args = json_object_new_array();
		for (size_t i = 0; i < r->n_args; i++) {
			struct json_object *a = json_object_new_object();
			json_object_object_add(a, "index", json_object_new_int64(r->args[i].index));
			json_object_object_add(a, "value", json_object_new_uint64(r->args[i].value));
			json_object_object_add(a, "valueTwo", json_object_new_uint64(r->args[i].value_two));
			json_object_object_add(a, "op", json_object_new_string(compare_op_name(r->args[i].op)));
			json_object_array_add(args, a);
		}
		json_object_object_add(o, "args", args);
	}
	return o;
}

struct json_object *profile_to_oci(const struct profile *p, int errno_override)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "defaultAction", json_object_new_string(action_name(p->default_action)));
	if (p->default_action == ACTION_ERRNO) {
		struct json_object *e = errno_json(p->has_default_errno_ret, p->default_errno_ret, errno_override);
		if (e)
			json_object_object_add(o, "defaultErrnoRet", e);
	}
	if (p->n_arches) {
		struct json_object *arches = json_object_new_array();
		for (size_t i = 0; i < p->n_arches; i++)
			json_object_array_add(arches, json_object_new_string(scmp_arch_name(p->arches[i])));
		json_object_object_add(o, "architectures", arches);
	}
	if (p->flags) {
		struct json_object *flags = json_object_new_array();
		for (unsigned bit = 0; bit < 32; bit++) {
			const char *name = (p->flags & (1u << bit)) ? filter_flag_name(1u << bit) : NULL;
			if (name)
				json_object_array_add(flags, json_object_new_string(name));
		}
		json_object_object_add(o, "flags", flags);
	}
	if (p->listener_path)
		json_object_object_add(o, "listenerPath", json_object_new_string(p->listener_path));
	struct json_object *rules = json_object_new_array();
	for (size_t i = 0; i < p->n_rules; i++)
		json_object_array_add(rules, rule_to_oci(&p->rules[i], errno_override));
	json_object_object_add(o, "syscalls", rules);
	return o;
}
