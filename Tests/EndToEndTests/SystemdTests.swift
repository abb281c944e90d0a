import Foundation
import Testing

extension EndToEnd {
    /// The shipped unit and installer in a real systemd: readiness, status, journal priorities,
    /// reload, the watchdog, a draining stop, and who may do what.
    @Suite(
        "systemd", .disabled(if: SystemdMachine.unavailableReason != nil, "needs root, systemd and util-linux"))
    struct Systemd {
        @Test("install twice, start after READY, files from a submitter, STATUS, journal priorities, draining stop")
        func lifecycle() throws {
            let machine = try SystemdMachine()
            defer { machine.shutdown() }
            try machine.install()
            let again = try machine.install()
            #expect(!again.contains("installed "), "a second install changes nothing: \(again)")
            let extras = try machine.run(
                """
                man -w winnowd winnowctl
                bash -n /usr/share/bash-completion/completions/winnowctl && echo bash completion parses
                grep -c submit /usr/share/zsh/vendor-completions/_winnowctl /usr/share/fish/vendor_completions.d/winnowctl.fish
                """)
            #expect(extras.contains("/man1/winnowctl.1") && extras.contains("/man1/winnowd.1"), "\(extras)")
            #expect(extras.contains("bash completion parses"), "\(extras)")
            #expect(!extras.contains(":0"), "both completions know submit: \(extras)")

            // systemctl start returns once the daemon said READY=1: its control socket answers at once.
            try machine.run("systemctl start winnow")
            #expect(try machine.property("ActiveState") == "active")
            #expect(try machine.run("winnowctl status").contains("files"))

            try machine.run(
                """
                useradd --no-create-home --groups winnow-submit alice
                runuser -u alice -- bash -euc '
                  cd /var/spool/winnow/inbox
                  printf "The first document came through the spool.\\n" > .one.tmp && mv .one.tmp one.txt
                  printf "%s\\n" "{\\"text\\": \\"A second document, from a JSONL file.\\"}" \
                    "{\\"text\\": \\"A third document, the second line of that file.\\"}" > .two.tmp
                  mv .two.tmp two.jsonl
                  umask 077
                  printf "Nobody else may read this.\\n" > .private.tmp && mv .private.tmp private.txt
                '
                """)
            try machine.waitUntil("2 files done and 1 failed in the STATUS line") {
                try machine.property("StatusText").hasPrefix("2 files, 3 kept, 0 dropped, 1 failed")
            }
            #expect(try machine.run("systemctl status winnow --no-pager || true").contains("Status: \"2 files, 3 kept"))
            #expect(
                try machine.recordTexts().sorted() == [
                    "A second document, from a JSONL file.", "A third document, the second line of that file.",
                    "The first document came through the spool.",
                ])
            let failed = try machine.run("ls /var/spool/winnow/work/failed")
            #expect(failed.contains("private.txt.error.json"), "\(failed)")

            let journal = try machine.journal()
            let done = journal.filter { $0.message.hasPrefix("file done") && $0.message.contains("doc.file=one.txt") }
            #expect(done.map(\.priority) == [6], "file done at info: \(done)")
            let refused = journal.filter {
                $0.message.hasPrefix("file failed") && $0.message.contains("doc.file=private.txt")
            }
            #expect(refused.map(\.priority) == [4], "a failed file at warning: \(refused)")
            let warnings = try machine.run("journalctl --unit=winnow.service --priority=warning --no-pager")
            #expect(warnings.contains("file failed") && !warnings.contains("file done"), "\(warnings)")

            // A stop while a long file is half done commits its last batch and exits 0; the next
            // start resumes after that batch: every document exactly once.
            try machine.run(
                """
                python3 -c '
                import json, random
                words = random.Random(7)
                letters = "abcdefghijklmnopqrstuvwxyz"
                def word(): return "".join(words.choice(letters) for _ in range(words.randint(3, 9)))
                for _ in range(6000):
                    print(json.dumps({"text": " ".join(word() for _ in range(25)) + "."}))
                ' > /tmp/.long.tmp
                chown alice /tmp/.long.tmp
                runuser -u alice -- mv /tmp/.long.tmp /var/spool/winnow/inbox/long.jsonl
                """)
            try machine.waitUntil("the long file half done") { try machine.recordTexts().count > 1003 }
            try machine.run("systemctl stop winnow", timeout: .seconds(90))
            #expect(try machine.property("Result") == "success")
            #expect(try machine.property("ExecMainStatus") == "0")
            let stopped = try machine.journal().map(\.message)
            #expect(stopped.contains { $0.hasPrefix("winnowd stopped") }, "\(stopped.suffix(5))")
            try machine.run("systemctl start winnow")
            try machine.waitUntil(
                "every document of the long file", detail: { "\((try? machine.recordTexts().count) ?? -1)" }
            ) {
                try machine.recordTexts().count >= 6003
            }
            let texts = try machine.recordTexts()
            #expect(
                texts.count == 6003 && Set(texts).count == 6003, "\(texts.count) records, \(Set(texts).count) distinct")
        }

        @Test("systemctl reload applies a changed pipeline and refuses a broken file, still running")
        func reload() throws {
            let machine = try SystemdMachine()
            defer { machine.shutdown() }
            try machine.install()
            try machine.run("systemctl start winnow")
            let pid = try machine.property("MainPID")
            let text = "The same short story, sent three times."
            // Each copy ends with a different number of blank lines: different files, the same text.
            var copies = 0
            func drop(_ name: String) throws {
                copies += 1
                let newlines = String(repeating: "\\n", count: copies)
                try machine.run(
                    "printf '\(text)\(newlines)' > /var/spool/winnow/inbox/.\(name) && mv /var/spool/winnow/inbox/.\(name) /var/spool/winnow/inbox/\(name)"
                )
            }
            try drop("a.txt")
            try drop("b.txt")
            try machine.waitUntil("a kept and b dropped as its duplicate") {
                try machine.property("StatusText").hasPrefix("2 files, 1 kept, 1 dropped")
            }

            // Without the dedup stages, the third copy is kept.
            try machine.run(
                """
                cat >> /etc/winnow/winnow.toml <<'TOML'

                [pipeline]
                stages = ["markup", "unicode_nfc", "whitespace", "empty"]
                TOML
                systemctl reload winnow
                """)
            #expect(try machine.property("MainPID") == pid)
            #expect(try machine.journal().contains { $0.message.hasPrefix("configuration reloaded") })
            try drop("c.txt")
            try machine.waitUntil("c kept under the new pipeline") {
                try machine.property("StatusText").hasPrefix("3 files, 2 kept, 1 dropped")
            }
            #expect(try machine.recordTexts() == [text, text])

            // A broken file: reload fails, the daemon says why, and the pipeline in force stays.
            try machine.run("printf '[inbox]\\nsettle_ms = \"soon\"\\n' >> /etc/winnow/winnow.toml")
            let broken = try machine.shell("systemctl reload winnow")
            #expect(broken.status != 0, "\(broken)")
            #expect(try machine.property("ActiveState") == "active")
            #expect(try machine.property("MainPID") == pid)
            let refusal = try machine.journal().filter { $0.message.hasPrefix("configuration reload refused") }
            #expect(
                refusal.count == 1 && refusal[0].priority == 3 && refusal[0].message.contains("settle_ms"), "\(refusal)"
            )
            try drop("d.txt")
            try machine.waitUntil("d kept: the reloaded pipeline is still in force") {
                try machine.property("StatusText").hasPrefix("4 files, 3 kept, 1 dropped")
            }
        }

        @Test("a hung pipeline stops the watchdog pings and systemd restarts the daemon")
        func watchdog() throws {
            let machine = try SystemdMachine()
            defer { machine.shutdown() }
            try machine.install()
            // The fault switch exists only for tests: the shipped unit never sets it.
            #expect(!(try machine.run("cat /etc/systemd/system/winnow.service")).contains("WINNOW_TEST"))
            try machine.run(
                """
                mkdir -p /etc/systemd/system/winnow.service.d
                printf '[Service]\\nEnvironment=WINNOW_TEST_HANG_ON=HANG-HERE\\nWatchdogSec=3s\\n' \
                  > /etc/systemd/system/winnow.service.d/hang.conf
                systemctl daemon-reload
                systemctl start winnow
                """)
            let pid = try machine.property("MainPID")
            try machine.run("printf 'A healthy document first.\\n' > /var/spool/winnow/inbox/ok.txt")
            try machine.waitUntil("the healthy document kept") { try machine.recordTexts().count == 1 }
            // Idle, the daemon keeps pinging: no restart while nothing is wrong.
            #expect(try machine.property("NRestarts") == "0")
            try machine.run("printf 'This one HANG-HERE hangs.\\n' > /var/spool/winnow/inbox/hang.txt")
            try machine.waitUntil("a watchdog restart") {
                try machine.property("NRestarts") != "0" && machine.property("MainPID") != pid
                    && machine.property("MainPID") != "0"
            }
            let journal = try machine.journal().map(\.message)
            #expect(journal.contains { $0.contains("Watchdog timeout") }, "\(journal.suffix(10))")

            // The restarted daemon resumes the file and hangs again; after three ends in a row at
            // the same place the file is set aside with the reason, and the daemon carries on.
            try machine.waitUntil("the hanging file set aside", timeout: .seconds(120)) {
                try machine.shell("test -e /var/spool/winnow/work/failed/hang.txt.error.json").status == 0
            }
            let reason = try machine.run("cat /var/spool/winnow/work/failed/hang.txt.error.json")
            #expect(reason.contains("ended 3 times in a row"), "\(reason)")
            #expect(try machine.property("NRestarts") == "3")
            try machine.run("printf 'Life goes on after the bad file.\\n' > /var/spool/winnow/inbox/after.txt")
            try machine.waitUntil("the next document kept") { try machine.recordTexts().count == 2 }
            #expect(try machine.property("ActiveState") == "active")
        }

        @Test(
            "only winnow-admin may use the control socket, only winnow-submit may drop files; the unit verifies and scores OK"
        )
        func permissionsAndHardening() throws {
            let machine = try SystemdMachine()
            defer { machine.shutdown() }
            try machine.install()
            try machine.run(
                """
                systemctl start winnow
                useradd --no-create-home --groups winnow-admin ada
                useradd --no-create-home mallory
                """)
            #expect(try machine.run("stat -c '%a %U %G' /run/winnow/control.sock") == "660 winnow winnow-admin\n")
            #expect(try machine.run("stat -c '%a %U %G' /var/spool/winnow/inbox") == "2770 winnow winnow-submit\n")
            #expect(try machine.run("runuser -u ada -- winnowctl status").contains("files"))
            let refused = try machine.shell("runuser -u mallory -- winnowctl status")
            #expect(
                refused.status != 0
                    && refused.stderr.contains("Permission denied (only members of the group winnow-admin may use it)"),
                "\(refused)")
            let drop = try machine.shell("runuser -u mallory -- touch /var/spool/winnow/inbox/x.txt")
            #expect(drop.status != 0, "\(drop)")

            let verify = try machine.shell("systemd-analyze verify /etc/systemd/system/winnow.service")
            #expect(verify.status == 0 && verify.stderr.isEmpty && verify.stdout.isEmpty, "\(verify)")
            let security = try machine.run("systemd-analyze security --no-pager winnow.service")
            let score = security.split(separator: "\n").last { $0.contains("Overall exposure level") }
                .flatMap { line in line.split(separator: " ").compactMap { Double($0) }.last }
            #expect(score != nil && score! <= 2.5, "\(security.split(separator: "\n").suffix(3))")
        }
    }
}
