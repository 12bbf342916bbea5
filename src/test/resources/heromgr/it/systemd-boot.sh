#!/bin/bash
# Boots systemd as PID 1 of a throwaway machine: run as
# `unshare -m -p -f --propagation private systemd-boot.sh DIR [DIST]` (DIST: a host folder shown read-only at /srv/dist).
# Its root is the host's own / seen through an overlay whose writable layer is a tmpfs under DIR, so whatever it
# writes (/etc/systemd/system, /srv) is gone with its mount namespace; /proc, /sys, /dev are the host's, /run and /tmp
# its own. It starts only an empty target: none of the host's enabled services run in it. SIGKILL to its systemd
# (PID 1 of the namespace) ends every process in it.
set -euo pipefail
dir=$1
mount --make-rprivate /
mkdir -p "$dir/layers" "$dir/root"
mount -t tmpfs tmpfs "$dir/layers"
mkdir -p "$dir/layers/upper" "$dir/layers/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$dir/layers/upper,workdir=$dir/layers/work" "$dir/root"
root=$dir/root
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
if [[ -n ${2:-} ]]; then
    mkdir -p "$root/srv/dist"
    mount --bind "$2" "$root/srv/dist"
    mount -o remount,ro,bind "$root/srv/dist"
fi
mkdir -p "$root/etc/systemd/system" "$root/oldroot"
printf '[Unit]\nDescription=an empty machine for heromgr tests\n' >"$root/etc/systemd/system/heromgr-test.target"
cd "$root"
pivot_root . oldroot
umount -l /oldroot
exec env -i container=heromgr-test /lib/systemd/systemd --unit=heromgr-test.target
