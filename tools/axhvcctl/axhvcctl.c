// SPDX-License-Identifier: GPL-2.0
/*
 * axhvcctl: the operator's view of axhvc on a host. Lists the VMs
 * registered with /dev/axhvc, every IVC channel, the per-VM hypercall
 * counters, the host GIC and the module's API version, as aligned tables or
 * as JSON (--json) for scripts; and sets the administrator's grants (VM ids
 * bound to users or groups, host SPIs they may forward). See
 * tools/axhvcctl/README.md.
 *
 * Exit status: 0 on success, 1 on a failure of the query, 2 on a usage
 * error, 3 when /dev/axhvc is missing (the module is not loaded) or the
 * module is too old for the query, 4 when permission is denied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <libaxhvc.h>

#define EXIT_QUERY	1
#define EXIT_USAGE	2
#define EXIT_NOMODULE	3
#define EXIT_PERM	4

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *dev_path = "/dev/axhvc";
static bool json;

static const char *const hc_names[AXHVC_HC_COUNT] = {
	"disable", "prepare_disable", "debug", "publish",
	"subscribe", "unpublish", "unsubscribe", "notify",
};

static const struct {
	unsigned long long bit;
	const char *name;
} feature_names[] = {
	{ AXHVC_FEATURE_VM, "vm" },
	{ AXHVC_FEATURE_INTERCEPT, "intercept" },
	{ AXHVC_FEATURE_IVC_WINDOW, "ivc-window" },
	{ AXHVC_FEATURE_HOST_GIC, "host-gic" },
	{ AXHVC_FEATURE_HOST_VIEW, "host-view" },
	{ AXHVC_FEATURE_GRANTS, "grants" },
};

static void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("axhvcctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p) {
		err_msg("out of memory");
		exit(EXIT_QUERY);
	}
	return p;
}

static int open_dev(void)
{
	int fd = libaxhvc_open(dev_path);

	if (fd >= 0)
		return fd;
	/* The host view is root's, whoever else may run VMMs. */
	if (fd == -EACCES || fd == -EPERM) {
		err_msg("%s: %s: axhvcctl must run as root", dev_path, strerror(-fd));
		exit(EXIT_PERM);
	}
	err_msg("%s", libaxhvc_errmsg());
	if (fd == -ENOENT || fd == -ENODEV || fd == -ENXIO)
		exit(EXIT_NOMODULE);
	exit(EXIT_QUERY);
}

/* The exit status for libaxhvc's error @err, after saying why. */
static int lib_failed(int err)
{
	err_msg("%s", libaxhvc_errmsg());
	if (err == -EPERM)
		return EXIT_PERM;
	if (err == -ENOTTY)
		return EXIT_NOMODULE;
	return EXIT_QUERY;
}

/* The exit status for a failed ioctl @what, after saying why. */
static int ioctl_failed(const char *what)
{
	int err = errno;

	if (err == EPERM) {
		err_msg("%s: %s: the host view needs CAP_SYS_ADMIN", what,
			strerror(err));
		return EXIT_PERM;
	}
	if (err == ENOTTY) {
		err_msg("%s: not supported by this axhvc module (too old?)", what);
		return EXIT_NOMODULE;
	}
	err_msg("%s: %s", what, strerror(err));
	return EXIT_QUERY;
}

/* A table printed with aligned columns; numeric columns align right. */
#define TABLE_MAX_COLS	16

struct table {
	unsigned int ncols;
	const char *hdr[TABLE_MAX_COLS];
	bool right[TABLE_MAX_COLS];
	unsigned int nrows;
	unsigned int cap;
	char **cells;		/* nrows * ncols strings */
	unsigned int cur;	/* next cell of the row being added */
};

/* Columns as "NAME" (left aligned) or ">NAME" (right aligned), then NULL. */
static void table_init(struct table *t, ...)
{
	const char *h;
	va_list ap;

	memset(t, 0, sizeof(*t));
	va_start(ap, t);
	while ((h = va_arg(ap, const char *)) && t->ncols < TABLE_MAX_COLS) {
		t->right[t->ncols] = h[0] == '>';
		t->hdr[t->ncols++] = h + (h[0] == '>');
	}
	va_end(ap);
}

static void table_cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!t->cur) {
		if (t->nrows == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 16;
			t->cells = realloc(t->cells,
					   sizeof(char *) * t->cap * t->ncols);
			if (!t->cells) {
				err_msg("out of memory");
				exit(EXIT_QUERY);
			}
		}
		t->nrows++;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		err_msg("out of memory");
		exit(EXIT_QUERY);
	}
	va_end(ap);
	t->cells[(t->nrows - 1) * t->ncols + t->cur] = s;
	t->cur = (t->cur + 1) % t->ncols;
}

static void table_print(struct table *t)
{
	unsigned int w[TABLE_MAX_COLS], r, c;

	for (c = 0; c < t->ncols; c++) {
		w[c] = strlen(t->hdr[c]);
		for (r = 0; r < t->nrows; r++) {
			unsigned int l = strlen(t->cells[r * t->ncols + c]);

			if (l > w[c])
				w[c] = l;
		}
	}
	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->ncols + c] : t->hdr[c];
			bool last = c == t->ncols - 1;

			if (t->right[c])
				printf("%*s", (int)w[c], s);
			else
				printf("%-*s", last ? 0 : (int)w[c], s);
			fputs(last ? "\n" : "  ", stdout);
		}
	}
	for (r = 0; r < t->nrows * t->ncols; r++)
		free(t->cells[r]);
	free(t->cells);
}

/* 4096 -> "4K", 16 MiB -> "16M"; sizes that are no whole unit stay bytes. */
static const char *size_str(char *buf, size_t len, unsigned long long n)
{
	static const char units[] = "KMGTPE";
	unsigned int u = 0;

	if (!n) {
		snprintf(buf, len, "0");
		return buf;
	}
	while (!(n & 1023) && u < sizeof(units) - 1) {
		n >>= 10;
		u++;
	}
	if (u)
		snprintf(buf, len, "%llu%c", n, units[u - 1]);
	else
		snprintf(buf, len, "%llu", n);
	return buf;
}

/* Fetch the VMs into *@out; returns 0 or an exit status. */
static int get_vms(int fd, struct axhvc_vm_info **out, unsigned int *nr)
{
	int ret = libaxhvc_list_vms(fd, out);

	if (ret < 0)
		return lib_failed(ret);
	*nr = ret;
	return 0;
}

struct chan_snapshot {
	struct axhvc_host_channel *chans;
	__u64 *subs;
	unsigned int nr_chans;
	__u32 nr_subs;
};

static int get_channels(int fd, struct chan_snapshot *cs)
{
	int ret = libaxhvc_list_channels(fd, &cs->chans, &cs->subs, &cs->nr_subs);

	if (ret < 0)
		return lib_failed(ret);
	cs->nr_chans = ret;
	return 0;
}

static const char *route_str(const struct axhvc_vm_info *v)
{
	return v->flags & AXHVC_VM_F_INTERCEPT ? "intercept" : "forwarded";
}

/* ---- version ---- */

static int cmd_version(int fd, bool first)
{
	struct axhvc_api_version ver;
	char b1[16], b2[16];
	__u64 known = 0;
	unsigned int i;
	bool any = false;
	int ret;

	ret = libaxhvc_api_version(fd, &ver);
	if (ret)
		return lib_failed(ret);
	if (json) {
		printf("%s\"version\": {\"api\": %u, \"features\": [", first ? "" : ",\n",
		       ver.api_version);
		for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
			if (!(ver.features & feature_names[i].bit))
				continue;
			printf("%s\"%s\"", any ? ", " : "", feature_names[i].name);
			any = true;
		}
		printf("], \"feature_bits\": %llu, ", (unsigned long long)ver.features);
		printf("\"vm_flags\": %u, \"doorbell_flags\": %u, \"allow_flags\": %u, ",
		       ver.vm_flags, ver.doorbell_flags, ver.allow_flags);
		printf("\"fwd_flags\": %u, \"grant_flags\": %u, \"grant_kinds\": %u, ",
		       ver.fwd_flags, ver.grant_flags, ver.grant_kinds);
		printf("\"event_types\": %u, \"limits\": {\"mem_regions\": %u, ",
		       ver.event_types, ver.max_mem_regions);
		printf("\"allowlist\": %u, \"grants\": %u, \"event_queue\": %u, ",
		       ver.max_allowlist, ver.max_grants, ver.event_queue_len);
		printf("\"channels_per_vm\": %u, \"bytes_per_vm\": %llu, \"channel_size\": %llu}}",
		       ver.max_channels_per_vm, (unsigned long long)ver.max_bytes_per_vm,
		       (unsigned long long)ver.max_channel_size);
		return 0;
	}
	printf("axhvc API %u, features:", ver.api_version);
	for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
		known |= feature_names[i].bit;
		if (ver.features & feature_names[i].bit)
			printf(" %s", feature_names[i].name);
	}
	if (ver.features & ~known)
		printf(" (unknown bits %#llx)",
		       (unsigned long long)(ver.features & ~known));
	printf("\n");
	printf("limits: %u RAM regions per VM, allowlists of %u ids, %u grants, %u queued events\n",
	       ver.max_mem_regions, ver.max_allowlist, ver.max_grants,
	       ver.event_queue_len);
	printf("channels: %u and %s bytes per VM, each up to %s bytes\n",
	       ver.max_channels_per_vm, size_str(b1, sizeof(b1), ver.max_bytes_per_vm),
	       size_str(b2, sizeof(b2), ver.max_channel_size));
	return 0;
}

/* ---- gic ---- */

static int cmd_gic(int fd, bool first, bool must)
{
	struct axhvc_host_gic gic;

	memset(&gic, 0, sizeof(gic));
	gic.size = sizeof(gic);
	if (ioctl(fd, AXHVC_GET_HOST_GIC, &gic)) {
		if (errno != ENODEV)
			return ioctl_failed("AXHVC_GET_HOST_GIC");
		if (json)
			printf("%s\"gic\": null", first ? "" : ",\n");
		else
			printf("host GIC: none found (see the kernel log)\n");
		return must ? EXIT_QUERY : 0;
	}
	if (json) {
		printf("%s\"gic\": {\"version\": %u, ", first ? "" : ",\n",
		       gic.version);
		printf("\"gicd_base\": \"%#llx\", \"gicr_base\": \"%#llx\", ",
		       (unsigned long long)gic.gicd_base,
		       (unsigned long long)gic.gicr_base);
		printf("\"typer\": \"0x%08x\", \"iidr\": \"0x%08x\"}",
		       gic.typer, gic.iidr);
		return 0;
	}
	printf("host GIC: v%u, GICD %#llx, GICR %#llx, TYPER 0x%08x, IIDR 0x%08x\n",
	       gic.version, (unsigned long long)gic.gicd_base,
	       (unsigned long long)gic.gicr_base, gic.typer, gic.iidr);
	return 0;
}

/* ---- vms and stats ---- */

static const char *doorbell_str(char *buf, size_t len,
				const struct axhvc_vm_info *v)
{
	switch (v->doorbell) {
	case AXHVC_VMI_DOORBELL_EVENTFD:
		return "eventfd";
	case AXHVC_VMI_DOORBELL_INTID:
		snprintf(buf, len, "intid %u", v->doorbell_intid);
		return buf;
	case AXHVC_VMI_DOORBELL_NONE:
		return "-";
	default:
		snprintf(buf, len, "? %u", v->doorbell);
		return buf;
	}
}

static void json_calls(const struct axhvc_vm_info *v)
{
	unsigned int c;

	printf("\"calls\": {");
	for (c = 0; c < AXHVC_HC_COUNT; c++)
		printf("%s\"%s\": %llu", c ? ", " : "", hc_names[c],
		       (unsigned long long)v->calls[c]);
	printf("}, \"calls_forwarded\": %llu, \"calls_intercept\": %llu, ",
	       (unsigned long long)v->calls_forwarded,
	       (unsigned long long)v->calls_intercept);
	printf("\"errors\": %llu", (unsigned long long)v->errors);
}

static unsigned long long total_calls(const struct axhvc_vm_info *v)
{
	return v->calls_forwarded + v->calls_intercept;
}

static void print_vms_json(const struct axhvc_vm_info *vms, unsigned int nr,
			   bool first)
{
	unsigned int i;

	printf("%s\"vms\": [", first ? "" : ",\n");
	for (i = 0; i < nr; i++) {
		const struct axhvc_vm_info *v = &vms[i];

		printf("%s\n  {\"vm_id\": %llu, \"flags\": %u, \"route\": \"%s\", ",
		       i ? "," : "", (unsigned long long)v->vm_id, v->flags,
		       route_str(v));
		printf("\"err_axvisor\": %s, \"lifecycle_to_vmm\": %s, ",
		       v->flags & AXHVC_VM_F_ERR_AXVISOR ? "true" : "false",
		       v->flags & AXHVC_VM_F_LIFECYCLE_TO_VMM ? "true" : "false");
		printf("\"owner_pid\": %d, \"ivc_base\": \"%#llx\", \"ivc_size\": %llu, ",
		       v->owner_tgid, (unsigned long long)v->ivc_base,
		       (unsigned long long)v->ivc_size);
		printf("\"nr_channels\": %u, \"max_channels\": %u, ",
		       v->nr_channels, v->max_channels);
		printf("\"bytes\": %llu, \"max_bytes\": %llu, ",
		       (unsigned long long)v->bytes,
		       (unsigned long long)v->max_bytes);
		printf("\"doorbell\": \"%s\", \"doorbell_intid\": %u, ",
		       v->doorbell == AXHVC_VMI_DOORBELL_EVENTFD ? "eventfd" :
		       v->doorbell == AXHVC_VMI_DOORBELL_INTID ? "intid" :
		       v->doorbell == AXHVC_VMI_DOORBELL_NONE ? "none" : "unknown",
		       v->doorbell_intid);
		printf("\"irq_routes\": %u, \"irq_forwards\": %u, \"mem_regions\": %u, ",
		       v->nr_irq_routes, v->nr_irq_forwards, v->nr_mem_regions);
		json_calls(v);
		printf("}");
	}
	printf("%s]", nr ? "\n" : "");
}

static void print_vms_text(const struct axhvc_vm_info *vms, unsigned int nr)
{
	char a[24], b[24], db[32];
	struct table t;
	unsigned int i;

	printf("VMs: %u\n", nr);
	if (!nr)
		return;
	table_init(&t, ">VM", ">PID", "ROUTE", "ERRNO", "IVC WINDOW",
		   ">CHANNELS", ">BYTES", "DOORBELL", ">IRQ ROUTES/FWD",
		   ">REGIONS", ">CALLS", ">ERRORS", NULL);
	for (i = 0; i < nr; i++) {
		const struct axhvc_vm_info *v = &vms[i];

		table_cell(&t, "%llu", (unsigned long long)v->vm_id);
		table_cell(&t, "%d", v->owner_tgid);
		table_cell(&t, "%s%s", route_str(v),
			   v->flags & AXHVC_VM_F_LIFECYCLE_TO_VMM ? "+vmm" : "");
		table_cell(&t, "%s", v->flags & AXHVC_VM_F_ERR_AXVISOR ?
			   "axvisor" : "linux");
		if (v->ivc_size)
			table_cell(&t, "%#llx+%s", (unsigned long long)v->ivc_base,
				   size_str(a, sizeof(a), v->ivc_size));
		else
			table_cell(&t, "-");
		table_cell(&t, "%u/%u", v->nr_channels, v->max_channels);
		table_cell(&t, "%s/%s", size_str(a, sizeof(a), v->bytes),
			   size_str(b, sizeof(b), v->max_bytes));
		table_cell(&t, "%s", doorbell_str(db, sizeof(db), v));
		table_cell(&t, "%u/%u", v->nr_irq_routes, v->nr_irq_forwards);
		table_cell(&t, "%u", v->nr_mem_regions);
		table_cell(&t, "%llu", total_calls(v));
		table_cell(&t, "%llu", (unsigned long long)v->errors);
	}
	table_print(&t);
}

static void print_stats_text(const struct axhvc_vm_info *vms, unsigned int nr)
{
	struct table t;
	unsigned int i, c;

	printf("hypercalls by VM: %u VMs\n", nr);
	if (!nr)
		return;
	table_init(&t, ">VM", ">CALLS", ">FORWARDED", ">INTERCEPT", ">ERRORS",
		   ">DIS", ">PREP", ">DEBUG", ">PUB", ">SUB", ">UNPUB", ">UNSUB",
		   ">NOTIFY", NULL);
	for (i = 0; i < nr; i++) {
		const struct axhvc_vm_info *v = &vms[i];

		table_cell(&t, "%llu", (unsigned long long)v->vm_id);
		table_cell(&t, "%llu", total_calls(v));
		table_cell(&t, "%llu", (unsigned long long)v->calls_forwarded);
		table_cell(&t, "%llu", (unsigned long long)v->calls_intercept);
		table_cell(&t, "%llu", (unsigned long long)v->errors);
		for (c = 0; c < AXHVC_HC_COUNT; c++)
			table_cell(&t, "%llu", (unsigned long long)v->calls[c]);
	}
	table_print(&t);
}

static void print_stats_json(const struct axhvc_vm_info *vms, unsigned int nr,
			     bool first)
{
	unsigned int i;

	printf("%s\"stats\": [", first ? "" : ",\n");
	for (i = 0; i < nr; i++) {
		printf("%s\n  {\"vm_id\": %llu, ", i ? "," : "",
		       (unsigned long long)vms[i].vm_id);
		json_calls(&vms[i]);
		printf("}");
	}
	printf("%s]", nr ? "\n" : "");
}

static int cmd_vms(int fd, bool first, bool stats)
{
	struct axhvc_vm_info *vms = NULL;
	unsigned int nr = 0;
	int ret;

	ret = get_vms(fd, &vms, &nr);
	if (ret)
		return ret;
	if (json && stats)
		print_stats_json(vms, nr, first);
	else if (json)
		print_vms_json(vms, nr, first);
	else if (stats)
		print_stats_text(vms, nr);
	else
		print_vms_text(vms, nr);
	free(vms);
	return 0;
}

/* ---- channels ---- */

static int cmd_channels(int fd, bool first)
{
	struct chan_snapshot cs;
	struct table t;
	unsigned int i, j;
	char sz[24];
	int ret;

	ret = get_channels(fd, &cs);
	if (ret)
		return ret;
	if (json) {
		printf("%s\"channels\": [", first ? "" : ",\n");
		for (i = 0; i < cs.nr_chans; i++) {
			const struct axhvc_host_channel *c = &cs.chans[i];

			printf("%s\n  {\"publisher\": %llu, \"key\": \"%#llx\", ",
			       i ? "," : "", (unsigned long long)c->publisher,
			       (unsigned long long)c->key);
			printf("\"size\": %llu, \"published\": %s, \"subscribers\": [",
			       (unsigned long long)c->size,
			       c->flags & AXHVC_CHAN_F_PUBLISHED ? "true" : "false");
			for (j = 0; j < c->nr_subscribers; j++)
				printf("%s%llu", j ? ", " : "",
				       (unsigned long long)cs.subs[c->first_subscriber + j]);
			printf("]}");
		}
		printf("%s]", cs.nr_chans ? "\n" : "");
		goto out;
	}
	printf("channels: %u, subscriptions: %u\n", cs.nr_chans, cs.nr_subs);
	if (!cs.nr_chans)
		goto out;
	table_init(&t, ">PUBLISHER", ">KEY", ">SIZE", "STATE", ">SUBS",
		   "SUBSCRIBERS", NULL);
	for (i = 0; i < cs.nr_chans; i++) {
		const struct axhvc_host_channel *c = &cs.chans[i];
		char *list = xcalloc(c->nr_subscribers + 1, 22);
		size_t off = 0;

		table_cell(&t, "%llu", (unsigned long long)c->publisher);
		table_cell(&t, "%#llx", (unsigned long long)c->key);
		table_cell(&t, "%s", size_str(sz, sizeof(sz), c->size));
		table_cell(&t, "%s", c->flags & AXHVC_CHAN_F_PUBLISHED ?
			   "published" : "unpublished");
		table_cell(&t, "%u", c->nr_subscribers);
		for (j = 0; j < c->nr_subscribers; j++)
			off += sprintf(list + off, "%s%llu", j ? "," : "",
				       (unsigned long long)cs.subs[c->first_subscriber + j]);
		table_cell(&t, "%s", c->nr_subscribers ? list : "-");
		free(list);
	}
	table_print(&t);
out:
	free(cs.chans);
	free(cs.subs);
	return 0;
}

static int cmd_summary(int fd)
{
	int ret;

	ret = cmd_version(fd, true);
	if (!ret)
		ret = cmd_gic(fd, false, false);
	if (!ret && !json)
		printf("\n");
	if (!ret)
		ret = cmd_vms(fd, false, false);
	if (!ret && !json)
		printf("\n");
	if (!ret)
		ret = cmd_channels(fd, false);
	if (!ret && !json) {
		printf("\n");
		ret = cmd_vms(fd, false, true);
	}
	return ret;
}

/* The numeric id of @name in @file (/etc/passwd or /etc/group), or -1. */
static long id_from_file(const char *file, const char *name)
{
	char line[512], *end;
	long id = -1;
	FILE *f;

	id = strtol(name, &end, 10);
	if (*name && !*end && id >= 0)
		return id;
	id = -1;
	f = fopen(file, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':'), *field;

		if (!colon || (size_t)(colon - line) != strlen(name) ||
		    strncmp(line, name, colon - line))
			continue;
		field = strchr(colon + 1, ':');	/* past the password */
		if (field)
			id = strtol(field + 1, NULL, 10);
		break;
	}
	if (f)
		fclose(f);
	return id;
}

/*
 * axhvcctl grant {ids|spis} FIRST[-LAST] [--uid USER] [--gid GROUP] [--level]
 * axhvcctl revoke {ids|spis} FIRST[-LAST]
 */
static int cmd_grant(int fd, bool revoke, int argc, char **argv)
{
	struct axhvc_grant g = {
		.size = sizeof(g),
		.uid = AXHVC_GRANT_NOBODY, .gid = AXHVC_GRANT_NOBODY,
		.flags = revoke ? AXHVC_GRANT_F_REVOKE : 0,
	};
	char *end;
	long id;
	int i;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[0], "ids"))
		g.kind = AXHVC_GRANT_VM_IDS;
	else if (!strcmp(argv[0], "spis"))
		g.kind = AXHVC_GRANT_GIC_SPIS;
	else
		goto usage;
	g.first = strtoull(argv[1], &end, 0);
	g.last = *end == '-' ? strtoull(end + 1, &end, 0) : g.first;
	if (*end)
		goto usage;
	for (i = 2; i < argc; i++) {
		if (!revoke && !strcmp(argv[i], "--level")) {
			g.flags |= AXHVC_GRANT_F_LEVEL;
		} else if (!revoke && i + 1 < argc &&
			   (!strcmp(argv[i], "--uid") || !strcmp(argv[i], "--gid"))) {
			bool uid = !strcmp(argv[i], "--uid");

			id = id_from_file(uid ? "/etc/passwd" : "/etc/group", argv[++i]);
			if (id < 0) {
				err_msg("no such %s '%s'", uid ? "user" : "group", argv[i]);
				return EXIT_USAGE;
			}
			*(uid ? &g.uid : &g.gid) = id;
		} else {
			goto usage;
		}
	}
	if (ioctl(fd, AXHVC_SET_GRANT, &g)) {
		if (errno == EPERM) {
			err_msg("AXHVC_SET_GRANT: %s: grants need CAP_SYS_ADMIN",
				strerror(errno));
			return EXIT_PERM;
		}
		return ioctl_failed("AXHVC_SET_GRANT");
	}
	return 0;

usage:
	err_msg("usage: axhvcctl grant {ids|spis} N[-M] [--uid USER] [--gid GROUP] [--level]");
	err_msg("       axhvcctl revoke {ids|spis} N[-M]");
	return EXIT_USAGE;
}

static void print_help(FILE *f)
{
	fputs("usage: axhvcctl [--json] [--device PATH] [COMMAND]\n"
	      "\n"
	      "The operator's view of axhvc (AxVisor hypercalls and IVC channels\n"
	      "on this KVM host), read from /dev/axhvc. Needs root.\n"
	      "\n"
	      "commands:\n"
	      "  summary    all of the below (the default)\n"
	      "  vms        every VM: owner, route, IVC window, channels and limits,\n"
	      "             doorbell, IRQ routes, hypercall totals\n"
	      "  channels   every IVC channel: publisher, key, size, state, subscribers\n"
	      "  stats      hypercalls of every VM, by code and by route\n"
	      "  gic        the host GIC (AXHVC_GET_HOST_GIC)\n"
	      "  version    the module's API version, features and limits\n"
	      "  grant {ids|spis} FIRST[-LAST] [--uid USER] [--gid GROUP] [--level]\n"
	      "             bind VM ids to a user or group, or let them forward\n"
	      "             host GIC SPIs (level-triggered with --level)\n"
	      "  revoke {ids|spis} FIRST[-LAST]\n"
	      "             take such a grant away\n"
	      "\n"
	      "options:\n"
	      "  -j, --json     one JSON object for scripts (see README.md)\n"
	      "  -d, --device   the axhvc device (default /dev/axhvc)\n"
	      "  -h, --help     this text\n"
	      "\n"
	      "exit status: 0 ok, 1 query failed, 2 usage, 3 module not loaded or\n"
	      "too old, 4 permission denied\n", f);
}

int main(int argc, char **argv)
{
	const char *cmd = NULL;
	int i, fd, ret;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			return 0;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(a, "-d") || !strcmp(a, "--device")) {
			if (++i == argc) {
				err_msg("%s needs a path", a);
				return EXIT_USAGE;
			}
			dev_path = argv[i];
			continue;
		}
		if (!cmd && (!strcmp(a, "grant") || !strcmp(a, "revoke"))) {
			fd = open_dev();
			ret = cmd_grant(fd, a[0] == 'r', argc - i - 1, argv + i + 1);
			close(fd);
			return ret;
		}
		if (a[0] == '-') {
			err_msg("unknown option '%s' (try --help)", a);
			return EXIT_USAGE;
		}
		if (cmd) {
			err_msg("one command at a time ('%s' and '%s')", cmd, a);
			return EXIT_USAGE;
		}
		cmd = a;
	}
	if (!cmd)
		cmd = "summary";
	if (strcmp(cmd, "summary") && strcmp(cmd, "vms") &&
	    strcmp(cmd, "channels") && strcmp(cmd, "stats") &&
	    strcmp(cmd, "gic") && strcmp(cmd, "version")) {
		err_msg("unknown command '%s' (try --help)", cmd);
		return EXIT_USAGE;
	}

	fd = open_dev();
	if (json)
		printf("{");
	if (!strcmp(cmd, "summary"))
		ret = cmd_summary(fd);
	else if (!strcmp(cmd, "vms"))
		ret = cmd_vms(fd, true, false);
	else if (!strcmp(cmd, "stats"))
		ret = cmd_vms(fd, true, true);
	else if (!strcmp(cmd, "channels"))
		ret = cmd_channels(fd, true);
	else if (!strcmp(cmd, "gic"))
		ret = cmd_gic(fd, true, true);
	else
		ret = cmd_version(fd, true);
	if (json)
		printf("}\n");
	close(fd);
	return ret;
}
