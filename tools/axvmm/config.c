// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: the command line.
 *
 * Everything is checked here, before /dev/kvm or /dev/axhvc is opened, so
 * that a mistake costs one clear line ("axvmm: <what is wrong>") and exit
 * status 2, and never a half-built VM.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axvmm.h"

static const char usage[] =
"usage: axvmm --id N [options] (--raw FILE | --kernel IMAGE [--initrd FILE])\n"
"\n"
"Runs one arm64 VM on /dev/kvm, registered with axhvc (/dev/axhvc) as\n"
"AxVisor VM N, until it powers off.\n"
"\n"
"  --id N                AxVisor VM id, 0..4294967295, unique on the host\n"
"  --mem SIZE            RAM at 0x40000000 (default 64M; suffix K, M or G;\n"
"                        a multiple of the page size, at least 4M)\n"
"  --cpus N              vCPUs, 1..8 (default 1)\n"
"  --window BASE:SIZE    IVC window (default 0x20000000:16M); page aligned,\n"
"                        below 1 TiB, clear of RAM and of the devices\n"
"  --route R             how codes 0..7 reach axhvc: 'intercept' (inside KVM,\n"
"                        fast) or 'forwarded' (KVM exits to axvmm, which\n"
"                        passes them on; default)\n"
"  --doorbell-spi INTID  HIVCNotify aimed at this VM raises SPI INTID (32..1019)\n"
"  --raw FILE            flat binary, loaded and entered at 0x40000000\n"
"  --kernel IMAGE        arm64 Linux Image (uncompressed)\n"
"  --initrd FILE         initramfs for --kernel\n"
"  --cmdline STR         kernel command line (/chosen/bootargs)\n"
"  --err-axvisor         hypercall errors reach the guest as -1, like AxVisor\n"
"  --input               feed stdin to the UART (off: VMs sharing a terminal\n"
"                        would steal each other's input)\n"
"  --timeout SECONDS     stop the VM with status 1 after this long\n"
"  --help                this text\n"
"\n"
"Memory map: GICv3 distributor 0x08000000, redistributors 0x080A0000\n"
"(128K per vCPU), 16550 UART 0x09000000 (SPI 1), RAM 0x40000000.\n"
"Exit status: 0 when the guest powers off or resets (PSCI) or calls\n"
"HypervisorDisable; 1 on a timeout, SIGINT/SIGTERM/SIGHUP or an error;\n"
"2 for a bad command line.\n";

/* Reports a command line error and exits: status 2 means "you asked wrong". */
static noreturn void bad(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("axvmm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* A plain unsigned number, decimal or 0x hex; false if it is not one. */
static bool parse_u64(const char *s, __u64 *out)
{
	unsigned long long v;
	char *end;

	/* strtoull() accepts "-1" (and wraps it): refuse signs outright. */
	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/* A size: a number with an optional K, M or G suffix (powers of 1024). */
static bool parse_size(const char *s, __u64 *out)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'k': case 'K':
		shift = 10;
		end++;
		break;
	case 'm': case 'M':
		shift = 20;
		end++;
		break;
	case 'g': case 'G':
		shift = 30;
		end++;
		break;
	}
	if (*end || (v << shift) >> shift != v)
		return false;
	*out = v << shift;
	return true;
}

static bool overlaps(__u64 a, __u64 a_size, __u64 b, __u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

static void check_file(const char *opt, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		bad("%s %s: %s", opt, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		bad("%s %s: not a regular file", opt, path);
	if (access(path, R_OK))
		bad("%s %s: %s", opt, path, strerror(errno));
}

/* Checks the window against RAM, the devices and the IPA space. */
static void check_window(const struct config *cfg, __u64 page)
{
	static const struct {
		const char *name;
		__u64 base;
		__u64 size;
	} devices[] = {
		{ "the GIC distributor", GICD_BASE, GICD_SIZE },
		{ "the UART", UART_BASE, UART_SIZE },
	};
	__u64 base = cfg->window_base, size = cfg->window_size;
	unsigned int i;

	if (!size)
		bad("--window: size 0 (a VM needs a window for its channels)");
	if (base % page || size % page)
		bad("--window %#llx:%#llx: base and size must be page aligned (%#llx)",
		    (unsigned long long)base, (unsigned long long)size,
		    (unsigned long long)page);
	if (base >= IPA_LIMIT || size > IPA_LIMIT - base)
		bad("--window %#llx:%#llx: ends beyond the 40-bit guest-physical space",
		    (unsigned long long)base, (unsigned long long)size);
	if (overlaps(base, size, RAM_BASE, cfg->mem_size))
		bad("--window %#llx:%#llx overlaps RAM [%#llx, %#llx)",
		    (unsigned long long)base, (unsigned long long)size,
		    (unsigned long long)RAM_BASE,
		    (unsigned long long)(RAM_BASE + cfg->mem_size));
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		if (overlaps(base, size, devices[i].base, devices[i].size))
			bad("--window %#llx:%#llx overlaps %s at %#llx",
			    (unsigned long long)base, (unsigned long long)size,
			    devices[i].name, (unsigned long long)devices[i].base);
	if (overlaps(base, size, GICR_BASE, GICR_SIZE_PER_CPU * cfg->cpus))
		bad("--window %#llx:%#llx overlaps the GIC redistributors at %#llx",
		    (unsigned long long)base, (unsigned long long)size,
		    (unsigned long long)GICR_BASE);
}

enum {
	OPT_ID = 256, OPT_MEM, OPT_CPUS, OPT_WINDOW, OPT_ROUTE, OPT_DOORBELL,
	OPT_RAW, OPT_KERNEL, OPT_INITRD, OPT_CMDLINE, OPT_ERR_AXVISOR,
	OPT_INPUT, OPT_TIMEOUT, OPT_HELP,
};

static const struct option options[] = {
	{ "id",			required_argument,	NULL, OPT_ID },
	{ "mem",		required_argument,	NULL, OPT_MEM },
	{ "cpus",		required_argument,	NULL, OPT_CPUS },
	{ "window",		required_argument,	NULL, OPT_WINDOW },
	{ "route",		required_argument,	NULL, OPT_ROUTE },
	{ "doorbell-spi",	required_argument,	NULL, OPT_DOORBELL },
	{ "raw",		required_argument,	NULL, OPT_RAW },
	{ "kernel",		required_argument,	NULL, OPT_KERNEL },
	{ "initrd",		required_argument,	NULL, OPT_INITRD },
	{ "cmdline",		required_argument,	NULL, OPT_CMDLINE },
	{ "err-axvisor",	no_argument,		NULL, OPT_ERR_AXVISOR },
	{ "input",		no_argument,		NULL, OPT_INPUT },
	{ "timeout",		required_argument,	NULL, OPT_TIMEOUT },
	{ "help",		no_argument,		NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/**
 * config_parse() - parse and check the command line
 * @cfg: filled in
 * @argc: from main()
 * @argv: from main()
 *
 * Exits with status 2 (and one line on stderr) on any error, with 0 after
 * --help.
 *
 * Return: 0.
 */
int config_parse(struct config *cfg, int argc, char **argv)
{
	__u64 page = (__u64)sysconf(_SC_PAGESIZE);
	bool have_id = false;
	char *colon;
	__u64 v;
	int opt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mem_size = 64ULL << 20;
	cfg->cpus = 1;
	cfg->window_base = WINDOW_BASE_DEFAULT;
	cfg->window_size = WINDOW_SIZE_DEFAULT;
	cfg->route = ROUTE_FORWARDED;
	cfg->cmdline = "";

	/* getopt_long() prints its own message first; keep ours the last word. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case OPT_ID:
			/*
			 * axhvc takes any u64 id; the DT gives it to the guest
			 * as one 32-bit cell (axhvc,vm-id), so stay below 2^32.
			 */
			if (!parse_u64(optarg, &v) || v > UINT_MAX)
				bad("--id %s: not a VM id (a number 0..4294967295)", optarg);
			cfg->id = v;
			have_id = true;
			break;
		case OPT_MEM:
			if (!parse_size(optarg, &cfg->mem_size))
				bad("--mem %s: not a size (e.g. 64M)", optarg);
			break;
		case OPT_CPUS:
			if (!parse_u64(optarg, &v) || v < 1 || v > MAX_VCPUS)
				bad("--cpus %s: must be 1..%d", optarg, MAX_VCPUS);
			cfg->cpus = v;
			break;
		case OPT_WINDOW:
			colon = strchr(optarg, ':');
			if (!colon)
				bad("--window %s: expected BASE:SIZE", optarg);
			*colon = '\0';
			if (!parse_u64(optarg, &cfg->window_base) ||
			    !parse_size(colon + 1, &cfg->window_size))
				bad("--window %s:%s: expected BASE:SIZE, e.g. 0x20000000:16M",
				    optarg, colon + 1);
			break;
		case OPT_ROUTE:
			if (!strcmp(optarg, "intercept"))
				cfg->route = ROUTE_INTERCEPT;
			else if (!strcmp(optarg, "forwarded"))
				cfg->route = ROUTE_FORWARDED;
			else
				bad("--route %s: must be 'intercept' or 'forwarded'", optarg);
			break;
		case OPT_DOORBELL:
			if (!parse_u64(optarg, &v) || v < SPI_FIRST || v > SPI_LAST)
				bad("--doorbell-spi %s: not an SPI INTID (%d..%d)",
				    optarg, SPI_FIRST, SPI_LAST);
			if (v == SPI_FIRST + UART_SPI)
				bad("--doorbell-spi %s: INTID %d is the UART's", optarg,
				    SPI_FIRST + UART_SPI);
			cfg->doorbell_intid = v;
			break;
		case OPT_RAW:
			cfg->raw = optarg;
			break;
		case OPT_KERNEL:
			cfg->kernel = optarg;
			break;
		case OPT_INITRD:
			cfg->initrd = optarg;
			break;
		case OPT_CMDLINE:
			cfg->cmdline = optarg;
			break;
		case OPT_ERR_AXVISOR:
			cfg->err_axvisor = true;
			break;
		case OPT_INPUT:
			cfg->input = true;
			break;
		case OPT_TIMEOUT:
			if (!parse_u64(optarg, &v) || v > 86400)
				bad("--timeout %s: not a number of seconds (0..86400)", optarg);
			cfg->timeout_s = v;
			break;
		case OPT_HELP:
			fputs(usage, stdout);
			exit(0);
		default:
			if (optopt)
				bad("option %s needs an argument (see --help)", argv[optind - 1]);
			bad("unknown option %s (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad("unexpected argument '%s' (see --help)", argv[optind]);

	if (!have_id)
		bad("--id is missing (every VM needs an AxVisor id)");
	if (cfg->mem_size % page)
		bad("--mem %#llx: not a multiple of the page size (%#llx)",
		    (unsigned long long)cfg->mem_size, (unsigned long long)page);
	if (cfg->mem_size < MIN_RAM_SIZE)
		bad("--mem %#llx: too small, at least %lluM",
		    (unsigned long long)cfg->mem_size,
		    (unsigned long long)(MIN_RAM_SIZE >> 20));
	if (cfg->mem_size > IPA_LIMIT - RAM_BASE)
		bad("--mem %#llx: too large for the 40-bit guest-physical space",
		    (unsigned long long)cfg->mem_size);
	check_window(cfg, page);

	if (!cfg->raw && !cfg->kernel)
		bad("no guest image: give --raw FILE or --kernel IMAGE");
	if (cfg->raw && cfg->kernel)
		bad("--raw and --kernel exclude each other");
	if (cfg->initrd && !cfg->kernel)
		bad("--initrd needs --kernel");
	check_file(cfg->raw ? "--raw" : "--kernel", cfg->raw ? cfg->raw : cfg->kernel);
	if (cfg->initrd)
		check_file("--initrd", cfg->initrd);
	return 0;
}
