// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: putting the guest's files into its RAM.
 *
 * RAM is filled from the top down with what has a size we know (the DTB
 * slot, the initrd) and from the bottom up with the image:
 *
 *   RAM_BASE                 --raw FILE, entered at its first byte
 *   RAM_BASE + text_offset   --kernel IMAGE, entered at its first byte
 *   below the DTB            --initrd FILE, page aligned
 *   RAM end - 2 MiB          the DTB (written later by fdt.c), 2 MiB aligned
 *
 * The arm64 Linux boot protocol (Documentation/arch/arm64/booting.rst) asks
 * for: the Image at a 2 MiB aligned base plus text_offset from its header,
 * image_size bytes free there (the file plus its BSS), the DTB 8-byte
 * aligned and at most 2 MiB, in a 2 MiB region of its own, and the initrd
 * anywhere in RAM. Files are copied before any vCPU runs, so KVM takes
 * care of cache maintenance when it first maps the pages for the guest.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "axvmm.h"

#define PAGE_4K		0x1000ULL

/* The 64-byte header at the start of an arm64 Image (booting.rst). */
struct arm64_image_header {
	__u32 code0;
	__u32 code1;
	__u64 text_offset;	/* little-endian, like every field */
	__u64 image_size;	/* 0: an old kernel, see load_kernel() */
	__u64 flags;		/* bit 0: big-endian kernel */
	__u64 res2, res3, res4;
	__u32 magic;		/* "ARM\x64" */
	__u32 res5;
};

#define ARM64_IMAGE_MAGIC	0x644d5241
#define ARM64_IMAGE_FLAG_BE	0x1ULL

/*
 * Copies file @path into guest RAM at @gpa, which has @room bytes free.
 * Returns 0 and the file's size in *@size, or -1 after logging why not.
 */
static int load_file(struct vm *vm, const char *path, __u64 gpa, __u64 room,
		     __u64 *size)
{
	struct stat st;
	__u64 done = 0;
	char *dst;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		vmm_log(vm, "%s: %s", path, strerror(errno));
		goto err;
	}
	if ((__u64)st.st_size > room) {
		vmm_log(vm, "%s: %lld bytes, only %llu free at %#llx (more --mem?)",
			path, (long long)st.st_size, (unsigned long long)room,
			(unsigned long long)gpa);
		goto err;
	}
	dst = gpa_to_hva(vm, gpa, st.st_size);
	if (!dst) {
		vmm_log(vm, "%s: %#llx is not in RAM", path, (unsigned long long)gpa);
		goto err;
	}
	while (done < (__u64)st.st_size) {
		n = read(fd, dst + done, st.st_size - done);
		if (n <= 0) {
			vmm_log(vm, "%s: %s", path, n ? strerror(errno) : "short read");
			goto err;
		}
		done += n;
	}
	close(fd);
	*size = st.st_size;
	return 0;
err:
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Reads the Image header of @path; -1 (logged) if it is not an Image. */
static int read_image_header(struct vm *vm, const char *path,
			     struct arm64_image_header *h)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = -1;
	__u8 *b = (__u8 *)h;

	if (fd >= 0) {
		n = read(fd, h, sizeof(*h));
		close(fd);
	}
	if (n != sizeof(*h)) {
		vmm_log(vm, "--kernel %s: cannot read an Image header", path);
		return -1;
	}
	if (b[0] == 0x1f && b[1] == 0x8b) {
		vmm_log(vm, "--kernel %s: gzip-compressed; give the Image (gunzip it first)",
			path);
		return -1;
	}
	if (le32toh(h->magic) != ARM64_IMAGE_MAGIC) {
		vmm_log(vm, "--kernel %s: not an arm64 Image (no \"ARM\\x64\" magic)", path);
		return -1;
	}
	if (le64toh(h->flags) & ARM64_IMAGE_FLAG_BE) {
		vmm_log(vm, "--kernel %s: a big-endian kernel", path);
		return -1;
	}
	return 0;
}

static int load_kernel(struct vm *vm, __u64 limit)
{
	const char *path = vm->cfg->kernel;
	struct arm64_image_header h;
	__u64 text_offset, image_size, size, load;

	if (read_image_header(vm, path, &h))
		return -1;
	text_offset = le64toh(h.text_offset);
	image_size = le64toh(h.image_size);
	/* booting.rst: image_size 0 means a pre-3.17 kernel at 0x80000. */
	if (!image_size)
		text_offset = 0x80000;
	/* RAM_BASE is 2 MiB aligned: the Image goes at RAM_BASE + text_offset. */
	load = RAM_BASE + text_offset;
	if (load >= limit) {
		vmm_log(vm, "--kernel %s: text_offset %#llx is beyond the free RAM", path,
			(unsigned long long)text_offset);
		return -1;
	}
	if (load_file(vm, path, load, limit - load, &size))
		return -1;
	if (image_size && image_size > limit - load) {
		vmm_log(vm, "--kernel %s: image_size %llu at %#llx, only %llu free (more --mem?)",
			path, (unsigned long long)image_size, (unsigned long long)load,
			(unsigned long long)(limit - load));
		return -1;
	}
	vm->entry = load;
	return 0;
}

/**
 * boot_load() - copy the guest's image and initrd into RAM; place the DTB
 * @vm: the VM, RAM mapped
 *
 * Sets vm->entry, vm->dtb_gpa and the initrd's place for fdt.c and vcpu.c.
 *
 * Return: 0, or -1 after logging what failed.
 */
int boot_load(struct vm *vm)
{
	const struct config *cfg = vm->cfg;
	__u64 ram_end = RAM_BASE + cfg->mem_size;
	__u64 limit, size;

	vm->dtb_gpa = (ram_end - DTB_SLOT_SIZE) & ~(SZ_2M - 1);
	limit = vm->dtb_gpa;

	if (cfg->initrd) {
		struct stat st;

		if (stat(cfg->initrd, &st)) {
			vmm_log(vm, "--initrd %s: %s", cfg->initrd, strerror(errno));
			return -1;
		}
		if ((__u64)st.st_size >= limit - RAM_BASE) {
			vmm_log(vm, "--initrd %s: %lld bytes do not fit in RAM (more --mem?)",
				cfg->initrd, (long long)st.st_size);
			return -1;
		}
		vm->initrd_gpa = (limit - st.st_size) & ~(PAGE_4K - 1);
		if (load_file(vm, cfg->initrd, vm->initrd_gpa, limit - vm->initrd_gpa,
			      &vm->initrd_size))
			return -1;
		limit = vm->initrd_gpa;
	}

	if (cfg->kernel)
		return load_kernel(vm, limit);

	/* A raw binary: loaded and entered at the start of RAM. */
	if (load_file(vm, cfg->raw, RAM_BASE, limit - RAM_BASE, &size))
		return -1;
	vm->entry = RAM_BASE;
	return 0;
}
