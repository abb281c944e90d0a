"""One `winnowd --once` run over a single input file, in a fresh temporary root: its inbox holds a
copy of the input, and its output and state start empty. Shared by throughput.py and
reference/compare.py so that both measure the same thing.
"""
import os, re, shutil, tempfile


def settled(config_text):
    """config_text with inbox.settle_ms = 0 (put into its own [inbox] table when it has one), unless
    it sets the settle time itself."""
    text = config_text or ""
    if re.search(r"^\s*settle_ms\s*=", text, re.MULTILINE):
        return text
    if re.search(r"^\s*\[inbox\]\s*$", text, re.MULTILINE):
        return re.sub(r"^\s*\[inbox\]\s*$", "[inbox]\nsettle_ms = 0", text, count=1, flags=re.MULTILINE)
    return "[inbox]\nsettle_ms = 0\n" + text


class OnceRun:
    def __init__(self, bin_dir, input_path, config_text=None, parent=None, prefix="winnow-once-",
                 log_level="warning"):
        """input_path None: an empty inbox (the run is then start-up and shutdown alone). config_text:
        configuration beside the built-in defaults."""
        self.root = tempfile.mkdtemp(prefix=prefix, dir=parent)
        inbox = os.path.join(self.root, "in")
        os.makedirs(inbox)
        if input_path is not None:
            shutil.copy(input_path, os.path.join(inbox, os.path.basename(input_path)))
        self.command = [os.path.join(bin_dir, "winnowd"), "--once", "--inbox", inbox,
                        "--output", os.path.join(self.root, "out"), "--state", os.path.join(self.root, "st"),
                        "--log-level", log_level]
        # The input is complete before the daemon starts, so it need not settle: the default
        # inbox.settle_ms (200 ms) would otherwise be counted as idle time in every run.
        config = os.path.join(self.root, "winnow.toml")
        with open(config, "w") as handle:
            handle.write(settled(config_text))
        self.command += ["--config", config]

    def kept(self):
        """The records written: lines in the shards of out/records."""
        records = os.path.join(self.root, "out", "records")
        return sum(sum(1 for _ in open(os.path.join(records, name), "rb")) for name in os.listdir(records))

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)
