// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: a 16550A UART at UART_BASE.
 *
 * Enough of the chip for Linux's 8250 driver (compatible "ns16550a" in the
 * DT) and for a bare-metal guest that polls the line status register:
 *
 *   - the transmitter is infinitely fast: LSR always says "THR empty,
 *     transmitter empty", and each byte written to THR goes out at once;
 *   - the "THR empty" interrupt follows the 16550's rules (it is pending
 *     after a THR write and when IER enables it, and reading IIR while it
 *     is the reason clears it), because Linux's tty output waits for it;
 *   - the receiver is fed from our stdin with --input (a thread reads it
 *     into the 16-byte FIFO and waits while it is full); without --input it
 *     never has data;
 *   - the interrupt is SPI UART_SPI, level-high: "data ready" or "THR
 *     empty" when enabled in IER; we drive its level with KVM_IRQ_LINE
 *     whenever it changes, from whichever thread changed it.
 *
 * Output is collected into lines, and each line is written to our stdout
 * in one write(), prefixed "[vm<ID>] ", so that the output of several VMs
 * sharing a terminal or a log stays readable.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "axvmm.h"

/* Register offsets (reg-shift 0: one byte apart). */
#define UART_RBR_THR	0	/* DLAB=1: DLL */
#define UART_IER	1	/* DLAB=1: DLM */
#define UART_IIR_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01	/* "data ready" interrupt enable */
#define UART_IER_THRI	0x02	/* "THR empty" interrupt enable */
#define UART_IIR_NO_INT	0x01
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_FIFO	0xc0	/* FIFOs enabled (FCR bit 0) */
#define UART_FCR_ENABLE	0x01
#define UART_LCR_DLAB	0x80
#define UART_LSR_DR	0x01	/* data ready */
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40
#define UART_MSR_IDLE	0xb0	/* DCD, DSR, CTS: a modem that is there */

void uart_init(struct uart *uart)
{
	memset(uart, 0, sizeof(*uart));
	pthread_mutex_init(&uart->lock, NULL);
	pthread_cond_init(&uart->rx_space, NULL);
}

/* Writes the line assembled so far, if any. Called with the lock held. */
static void emit_line(struct vm *vm)
{
	struct uart *uart = &vm->uart;
	char out[sizeof(uart->line) + 32];
	int n;

	if (!uart->len)
		return;
	n = snprintf(out, sizeof(out), "[vm%llu] %.*s\n",
		     (unsigned long long)vm->cfg->id, (int)uart->len, uart->line);
	if (n > (int)sizeof(out))
		n = sizeof(out);
	/* One write() per line: lines of concurrent VMs do not interleave. */
	fwrite(out, 1, n, stdout);
	fflush(stdout);
	uart->len = 0;
}

static void transmit(struct vm *vm, __u8 c)
{
	struct uart *uart = &vm->uart;

	if (c == '\r')
		return;
	if (c == '\n') {
		/* An empty line is still a line. */
		if (!uart->len)
			uart->line[uart->len++] = ' ';
		emit_line(vm);
		return;
	}
	uart->line[uart->len++] = c;
	if (uart->len == sizeof(uart->line))
		emit_line(vm);
}

/* Brings the SPI's level in line with the UART's state. Lock held. */
static void update_irq(struct vm *vm)
{
	struct uart *uart = &vm->uart;
	bool level = ((uart->ier & UART_IER_THRI) && uart->thr_ipending) ||
		     ((uart->ier & UART_IER_RDI) && uart->rx_count);

	if (level != uart->irq_level) {
		uart->irq_level = level;
		vm_irq_line(vm, SPI_FIRST + UART_SPI, level);
	}
}

static __u8 uart_read(struct vm *vm, __u64 offset)
{
	struct uart *uart = &vm->uart;
	bool dlab = uart->lcr & UART_LCR_DLAB;
	__u8 fifo = uart->fcr & UART_FCR_ENABLE ? UART_IIR_FIFO : 0;

	__u8 c;

	switch (offset) {
	case UART_RBR_THR:
		if (dlab)
			return uart->dll;
		if (!uart->rx_count)
			return 0;
		c = uart->rx[uart->rx_head];
		uart->rx_head = (uart->rx_head + 1) % UART_RX_FIFO;
		uart->rx_count--;
		pthread_cond_signal(&uart->rx_space);
		update_irq(vm);
		return c;
	case UART_IER:
		return dlab ? uart->dlm : uart->ier;
	case UART_IIR_FCR:
		/* Received data outranks "THR empty"; reading RBR clears it. */
		if ((uart->ier & UART_IER_RDI) && uart->rx_count)
			return UART_IIR_RDI | fifo;
		if ((uart->ier & UART_IER_THRI) && uart->thr_ipending) {
			/* Reading IIR acknowledges "THR empty". */
			uart->thr_ipending = false;
			update_irq(vm);
			return UART_IIR_THRI | fifo;
		}
		return UART_IIR_NO_INT | fifo;
	case UART_LCR:
		return uart->lcr;
	case UART_MCR:
		return uart->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT | (uart->rx_count ? UART_LSR_DR : 0);
	case UART_MSR:
		return UART_MSR_IDLE;
	case UART_SCR:
		return uart->scr;
	}
	return 0;
}

static void uart_write(struct vm *vm, __u64 offset, __u8 val)
{
	struct uart *uart = &vm->uart;
	bool dlab = uart->lcr & UART_LCR_DLAB;
	__u8 changed;

	switch (offset) {
	case UART_RBR_THR:
		if (dlab) {
			uart->dll = val;
			break;
		}
		transmit(vm, val);
		/* Sent already: THR is empty again. */
		uart->thr_ipending = true;
		update_irq(vm);
		break;
	case UART_IER:
		if (dlab) {
			uart->dlm = val;
			break;
		}
		changed = (uart->ier ^ val) & UART_IER_THRI;
		uart->ier = val & 0x0f;
		/* Enabling "THR empty" while THR is empty raises it at once. */
		if (changed)
			uart->thr_ipending = uart->ier & UART_IER_THRI;
		update_irq(vm);
		break;
	case UART_IIR_FCR:
		uart->fcr = val;
		break;
	case UART_LCR:
		uart->lcr = val;
		break;
	case UART_MCR:
		uart->mcr = val;
		break;
	case UART_SCR:
		uart->scr = val;
		break;
	}
}

/**
 * uart_mmio() - a guest access to the UART's page
 * @vm: the VM
 * @offset: from UART_BASE
 * @data: kvm_run's mmio.data: the value written, or where to put the read
 * @len: access size; registers are 8 bits wide, wider accesses see them
 *	zero-extended
 * @is_write: direction
 *
 * Called from any vCPU thread.
 */
void uart_mmio(struct vm *vm, __u64 offset, __u8 *data, __u32 len, bool is_write)
{
	struct uart *uart = &vm->uart;

	pthread_mutex_lock(&uart->lock);
	if (is_write) {
		uart_write(vm, offset, data[0]);
	} else {
		memset(data, 0, len);
		data[0] = uart_read(vm, offset);
	}
	pthread_mutex_unlock(&uart->lock);
}

/**
 * uart_flush() - write out a last line without its newline
 * @vm: the VM, its vCPU threads ended
 */
void uart_flush(struct vm *vm)
{
	pthread_mutex_lock(&vm->uart.lock);
	emit_line(vm);
	pthread_mutex_unlock(&vm->uart.lock);
}

/* Feeds stdin to the receiver, one byte at a time, until EOF. */
static void *input_thread(void *arg)
{
	struct vm *vm = arg;
	struct uart *uart = &vm->uart;
	char buf[64];
	ssize_t n, i;

	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0) {
		pthread_mutex_lock(&uart->lock);
		for (i = 0; i < n; i++) {
			/* A full FIFO waits for the guest: nothing is dropped. */
			while (uart->rx_count == UART_RX_FIFO)
				pthread_cond_wait(&uart->rx_space, &uart->lock);
			if (vm_stopping(vm))
				break;
			uart->rx[(uart->rx_head + uart->rx_count) % UART_RX_FIFO] = buf[i];
			uart->rx_count++;
			update_irq(vm);
		}
		pthread_mutex_unlock(&uart->lock);
	}
	return NULL;
}

/**
 * uart_input_start() - start feeding stdin to the UART (--input)
 * @vm: the VM, its vgic set up
 *
 * The thread is detached: it may be blocked in read() or waiting for the
 * guest when the VM stops, and ends with the process.
 *
 * Return: 0 or -1.
 */
int uart_input_start(struct vm *vm)
{
	pthread_t thread;
	int ret;

	ret = pthread_create(&thread, NULL, input_thread, vm);
	if (ret) {
		vmm_log(vm, "pthread_create: %s", strerror(ret));
		return -1;
	}
	pthread_detach(thread);
	return 0;
}
