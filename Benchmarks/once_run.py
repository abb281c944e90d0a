"""One `winnowd --once` run over a single input file, in a fresh temporary root: its inbox holds a
copy of the input, and its output and state start empty. Shared by throughput.py and
reference/compare.py so that both measure the same thing.
"""
import os, shutil, tempfile


class OnceRun:
    def __init__(self, bin_dir, input_path, config_text=None, parent=None, prefix="winnow-once-",
                 log_level="warning"):
        """input_path None: an empty inbox (the run is then start-up and shutdown alone)."""
        self.root = tempfile.mkdtemp(prefix=prefix, dir=parent)
        inbox = os.path.join(self.root, "in")
        os.makedirs(inbox)
        if input_path is not None:
            shutil.copy(input_path, os.path.join(inbox, os.path.basename(input_path)))
        self.command = [os.path.join(bin_dir, "winnowd"), "--once", "--inbox", inbox,
                        "--output", os.path.join(self.root, "out"), "--state", os.path.join(self.root, "st"),
                        "--log-level", log_level]
        if config_text is not None:
            config = os.path.join(self.root, "winnow.toml")
            with open(config, "w") as handle:
                handle.write(config_text)
            self.command += ["--config", config]

    def kept(self):
        """The records written: lines in the shards of out/records."""
        records = os.path.join(self.root, "out", "records")
        return sum(sum(1 for _ in open(os.path.join(records, name), "rb")) for name in os.listdir(records))

    def remove(self):
        shutil.rmtree(self.root, ignore_errors=True)
