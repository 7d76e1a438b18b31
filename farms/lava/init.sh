#!/bin/sh
# /init of the LAVA ramdisk: busybox, a shell on the console for LAVA's test
# shell (prompt "seccomp-suite# "), the kselftest tree in /kselftest.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp
mount -t devpts devpts /dev/pts
# The kernel's messages (a killed probe's audit line) would cut into the
# results on the console: only emergencies from here on.  (Not "quiet" on
# the command line: LAVA waits for the kernel's "Linux version" line.)
echo 1 >/proc/sys/kernel/printk
# run_kselftest.sh appends to /dev/stdout, which devtmpfs does not make.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
export PATH=/bin HOME=/ PS1='seccomp-suite# '
echo "seccomp-suite LAVA ramdisk: $(uname -r) $(uname -m)"
exec setsid cttyhack /bin/sh
