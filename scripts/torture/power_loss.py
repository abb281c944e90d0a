#!/usr/bin/env python3
"""Power loss: ingest a mixed corpus on a file system whose power is cut at random moments, then
check that nothing was lost, doubled or torn (DESIGN.md section 5, the fsync order).

    scripts/torture/power_loss.py [--files 2000] [--cuts 20] [--bin .build/release] [--seed 1]

Needs root (losetup, mount). The daemon's whole root (Inbox/, Output/, .winnow/) lives on an ext4
image mounted through a loop device. A cut: the FS_IOC_SHUTDOWN ioctl on the mount with
EXT4_GOING_FLAGS_NOLOGFLUSH, then SIGKILL to winnowd, then umount and mount again. The ioctl stops
the file system at once without committing the running journal transaction: every write that was
not made durable -- dirty page-cache data, metadata of the uncommitted transaction (creates, renames,
size changes) -- never reaches the device, and the next mount replays the journal up to the last
durable commit. This is xfstests' "godown", used there to test the crash consistency of file systems.

Why this rather than a FUSE layer that drops unsynced writes: a FUSE file system is a model of
durability written for the test (its own idea of what fsync covers, its own rename semantics); the
shutdown uses the kernel's own ext4 and jbd2, so what survives is exactly what ext4 made durable, at
the block layer's granularity, including what it makes durable implicitly (data=ordered, one journal
for all metadata). What it does not model is a disk that reorders or loses writes it already
received (a volatile write cache without flushes): that needs dm-log-writes or dm-flakey, and this
machine has no device-mapper. Before the storm the script checks that the layer works on this kernel
(an unsynced file and an unsynced rename vanish, an fsynced file survives) and prints the result.

The producer drops inputs durably (the corpus is synced in a staging folder on the same file
system; each batch is renamed into the inbox and the inbox directory fsynced), so every input
counted as submitted survives the cuts. After a cut an input may be back in the inbox or in claimed/
(its rename was not durable), and documents whose output was not committed are written again; at the
end each input must be archived or failed exactly once and each document appear exactly once.

Printed: the fault-layer check; inputs and documents (lost, doubled, torn, unexpected) as
kill_storm.py prints them; cuts and time to ready; how many cuts landed mid-write (output recovery
truncated bytes fsynced but not committed, or the cut dropped unsynced output bytes or undid
renames); peak RSS of winnowd; integrity_check, e2fsck of the image after the storm and wall time;
then one summary line: cuts, files, documents, lost, doubled, torn, peak RSS, total time.
"""
import fcntl, os, random, re, shutil, signal, struct, subprocess, sys, tempfile, time

import corpus

FS_IOC_SHUTDOWN = 0x8004587D  # _IOR('X', 125, __u32)
EXT4_GOING_FLAGS_NOLOGFLUSH = 2


def run(*command):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=True).stdout


class Disk:
    """An ext4 image on a loop device, mounted at `mount`; `cut` is the power failure."""

    def __init__(self, image, mount, megabytes):
        self.image, self.mount, self.device, self.mounted = image, mount, None, False
        with open(image, "wb") as f:
            f.truncate(megabytes << 20)
        run("mkfs.ext4", "-q", "-F", image)
        os.makedirs(mount, exist_ok=True)
        self.device = run("losetup", "--find", "--show", image).strip()
        self.attach()

    def attach(self):
        run("mount", "-t", "ext4", self.device, self.mount)
        self.mounted = True

    def detach(self):
        run("umount", self.mount)
        self.mounted = False

    def cut(self):
        """Stops the file system where it stands: nothing not yet durable reaches the device."""
        fd = os.open(self.mount, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.ioctl(fd, FS_IOC_SHUTDOWN, struct.pack("I", EXT4_GOING_FLAGS_NOLOGFLUSH))
        finally:
            os.close(fd)

    def check(self):
        """e2fsck of the unmounted file system, read-only: "clean" or what it found."""
        result = subprocess.run(["e2fsck", "-fn", self.device], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        return "clean" if result.returncode == 0 else f"exit {result.returncode}: {result.stdout.strip()[-400:]}"

    def remove(self):
        if self.mounted:
            if subprocess.run(["umount", self.mount], check=False).returncode != 0:
                # Still busy: detach it from the tree now; the kernel lets go once the last user does.
                subprocess.run(["umount", "--lazy", self.mount], check=False)
            self.mounted = False
        if self.device:
            subprocess.run(["losetup", "-d", self.device], check=False)
            self.device = None
        if os.path.exists(self.image):
            os.remove(self.image)


def write_durably(path, body):
    with open(path, "wb") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())


def sync_directory(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_fault_layer(disk):
    """Shows on this kernel that a cut drops unsynced data and renames and keeps synced data."""
    probe = os.path.join(disk.mount, "probe")
    os.mkdir(probe)
    body = os.urandom(1 << 16)
    write_durably(os.path.join(probe, "synced"), body)
    write_durably(os.path.join(probe, "synced-then-renamed"), body)
    sync_directory(probe)
    with open(os.path.join(probe, "unsynced"), "wb") as f:
        f.write(body)
    os.rename(os.path.join(probe, "synced-then-renamed"), os.path.join(probe, "renamed-unsynced"))
    disk.cut()
    disk.detach()
    disk.attach()

    def read(name):
        try:
            with open(os.path.join(probe, name), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return None

    unsynced, synced = read("unsynced"), read("synced")
    renamed_back = read("synced-then-renamed") == body and read("renamed-unsynced") is None
    works = not unsynced and synced == body and renamed_back
    print(f"fault layer: after a cut an unsynced {len(body)}-byte file is "
          f"{'missing' if unsynced is None else f'{len(unsynced)} bytes'}, an fsynced one "
          f"{'intact' if synced == body else 'damaged'}, an unsynced rename {'undone' if renamed_back else 'kept'}"
          f" -> {'works' if works else 'DOES NOT WORK'}")
    shutil.rmtree(probe)
    os.sync()
    return works


def locations(root):
    """Where each input is now: inbox, claimed or archive (claimed names carry a prefix)."""
    where = {name: "inbox" for name in os.listdir(os.path.join(root, "Inbox"))}
    where.update({name.split("-", 1)[-1]: "claimed" for name in os.listdir(os.path.join(root, ".winnow", "claimed"))})
    where.update({name: "archive" for name in os.listdir(os.path.join(root, ".winnow", "archive"))})
    return where


def output_bytes(root):
    total = 0
    for stream in ("records", "rejected"):
        directory = os.path.join(root, "Output", stream)
        if os.path.isdir(directory):
            total += sum(os.path.getsize(os.path.join(directory, name)) for name in os.listdir(directory))
    return total


def drop(disk_root, staging, names):
    """The producer: moves already durable files into the inbox and makes the renames durable."""
    inbox = os.path.join(disk_root, "Inbox")
    for name in names:
        os.rename(os.path.join(staging, name), os.path.join(inbox, name))
    sync_directory(inbox)
    sync_directory(staging)


def keep_state(mnt, root):
    """Copies the daemon's root off the image (which is removed) for inspection."""
    target = os.path.join(root, "state")
    if os.path.exists(target):
        return
    try:
        shutil.copytree(mnt, target, symlinks=True, ignore=shutil.ignore_patterns("*.sock"))
    except OSError as error:  # say, the file system was cut
        print(f"could not copy the state off the image: {error}", file=sys.stderr)


def main():
    parser = corpus.argument_parser(files=2000)
    parser.add_argument("--cuts", type=int, default=20)
    parser.add_argument("--image-mb", type=int, default=1024)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("power_loss.py needs root (losetup, mount)")
    began, rng = time.monotonic(), random.Random(args.seed)
    winnowd = os.path.abspath(os.path.join(args.bin, "winnowd"))
    root = tempfile.mkdtemp(prefix="winnow-power-loss-")
    config, log_path = os.path.join(root, "winnow.toml"), os.path.join(root, "winnowd.log")
    corpus.write_config(config)
    disk, daemon, server, ok = None, None, None, False
    try:
        disk = Disk(os.path.join(root, "disk.img"), os.path.join(root, "mnt"), args.image_mb)
        if not check_fault_layer(disk):
            sys.exit("the file system shutdown does not drop unsynced writes on this kernel: nothing to prove")
        mnt = disk.mount
        inbox, staging = os.path.join(mnt, "Inbox"), os.path.join(mnt, "staging")
        os.makedirs(inbox), os.makedirs(staging)
        server, base = corpus.start_http_server(root) if args.urls else (None, None)
        urls = set()
        expected = corpus.make_corpus(staging, args.files, rng, url_base=base, urls=urls)
        os.sync()  # the corpus is durable before any of it counts as submitted
        names = sorted(expected)
        # Most are there at the first start; the rest arrive in batches while the daemon runs.
        first = names[:len(names) * 4 // 5]
        late = names[len(first):]
        batches = [late[i::max(1, args.cuts)] for i in range(max(1, args.cuts))]
        drop(mnt, staging, first)

        # Per cut: unsynced output bytes it dropped, renames it undid (in the page cache before, gone after).
        ready_times, offsets, dropped, undone, peak_rss = [], [], [], [], 0
        cuts = mid_file = 0
        started = time.monotonic()
        while True:
            offsets.append(os.path.getsize(log_path) if os.path.exists(log_path) else 0)
            daemon, ready = corpus.launch(winnowd, config, mnt, log_path)
            ready_times.append(ready)
            if batches:
                drop(mnt, staging, batches.pop(0))
            if cuts >= args.cuts:
                break
            time.sleep(rng.uniform(0.05, 1.5))
            files = corpus.status(os.path.join(mnt, ".winnow", "control.sock"))["files"]
            mid_file += files["processing"] > 0
            before, bytes_before = locations(mnt), output_bytes(mnt)
            peak_rss = max(peak_rss, corpus.peak_rss_kib(daemon.pid))
            disk.cut()
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
            disk.detach()
            disk.attach()
            cuts += 1
            after = locations(mnt)
            order = {"inbox": 0, "claimed": 1, "archive": 2}
            undone.append(sum(1 for name, place in before.items()
                              if name in after and order[after[name]] < order[place]))
            dropped.append(max(0, bytes_before - output_bytes(mnt)))
        for batch in batches:
            drop(mnt, staging, batch)
        corpus.wait_until_idle(mnt)
        peak_rss = max(peak_rss, corpus.peak_rss_kib(daemon.pid))
        daemon.send_signal(signal.SIGTERM)
        daemon.wait()
        daemon = None
        elapsed = time.monotonic() - started

        with open(log_path, errors="replace") as f:
            log = f.read()
        offsets.append(len(log))
        # The log of start k (after cut k - 1) says what recovery cut back to the ledger.
        truncated, short = [], 0
        for start, end in zip(offsets, offsets[1:]):
            segment = log[start:end]
            pattern = r"output recovered to the last commit.*truncated_bytes=\"?(\d+)"
            truncated.append(sum(int(n) for n in re.findall(pattern, segment)))
            short += "output shards are shorter than committed" in segment
        landed = sum(1 for cut in range(cuts) if truncated[cut + 1] or dropped[cut] or undone[cut])
        figures = corpus.account(mnt, expected, urls)
        corpus.print_accounting(figures)
        print(f"cuts {cuts} ({mid_file} while a file was in hand); {corpus.ready_summary(ready_times)}")
        print(f"below the daemon: {landed} of {cuts} cuts landed mid-write: recovery truncated "
              f"{sum(truncated)} bytes fsynced but not committed after {sum(1 for t in truncated if t)} cuts; "
              f"the cuts dropped {sum(dropped)} unsynced output bytes ({sum(1 for d in dropped if d)} cuts) and undid "
              f"{sum(undone)} renames ({sum(1 for u in undone if u)} cuts); shards shorter than committed {short}")
        print(f"peak RSS of winnowd {peak_rss / 1024:.1f} MiB")
        ok = figures["ok"] and short == 0
        if not ok:
            keep_state(mnt, root)
        disk.detach()
        fsck = disk.check()
        ok = ok and fsck == "clean"
        print(f"integrity_check {figures['integrity']}; e2fsck {fsck}; wall time {elapsed:.1f} s"
              + ("" if ok else f"; state in {root}"))
        print(f"summary: cuts {cuts}, files {args.files}, documents {figures['documents']}, lost {figures['lost']}, "
              f"doubled {figures['doubled']}, torn {figures['torn']}, peak RSS {peak_rss / 1024:.1f} MiB, "
              f"total time {time.monotonic() - began:.1f} s -> {'ok' if ok else 'FAILED'}")
    finally:
        if server is not None:
            server.terminate()
        if daemon is not None and daemon.poll() is None:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait()
        if disk is not None:
            if not ok and disk.mounted:
                keep_state(disk.mount, root)
            disk.remove()
        if ok:
            shutil.rmtree(root)
        else:
            print(f"kept for inspection: {root}", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
