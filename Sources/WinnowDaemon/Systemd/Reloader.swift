import Logging
import Synchronization
import WinnowCore
import WinnowStages

/// Re-reads the configuration file (SIGHUP, `winnowctl reload`, `systemctl reload`). A file that
/// does not load, or names stages that cannot be built, is refused with the reason and the running
/// configuration stays in force. A good one puts its pipeline (stages and their settings) in force
/// from the next input on, so a document in flight is neither lost nor processed twice; settings
/// read only at start (paths, the socket, fetch limits, batches) are reported as waiting for a restart.
final class Reloader: @unchecked Sendable {
    private let path: String?
    private let overrides: @Sendable (inout Configuration) -> Void
    private let current: Mutex<Configuration>
    /// The index versions the stages are built for (they do not change while the daemon runs).
    private let versions: IndexVersions
    private let processor: InputProcessor
    private let heartbeat: Heartbeat?
    private let notifier: SystemdNotifier?
    private let logger: Logger

    init(
        path: String?, overrides: @escaping @Sendable (inout Configuration) -> Void, current: Configuration,
        versions: IndexVersions = IndexVersions(), processor: InputProcessor, heartbeat: Heartbeat?,
        notifier: SystemdNotifier?, logger: Logger
    ) {
        self.path = path
        self.overrides = overrides
        self.current = Mutex(current)
        self.versions = versions
        self.processor = processor
        self.heartbeat = heartbeat
        self.notifier = notifier
        self.logger = logger
    }

    /// Reloads; returns what changed, or throws why the new configuration was refused.
    func reload() throws(ConfigurationError) -> String {
        try current.withLock { (running: inout Configuration) throws(ConfigurationError) -> String in
            notifier?.send(["RELOADING=1", SystemdNotifier.monotonicNow()])
            defer { notifier?.send(["READY=1"]) }
            guard let path else {
                throw ConfigurationError("winnowd was started without --config: there is no file to reload")
            }
            var next: Configuration
            let stages: [any Stage]
            do {
                next = try ConfigurationLoader.load(path: path)
                overrides(&next)
                stages = try StageCatalog.stages(named: next.stages, settings: next.stageSettings, versions: versions)
            } catch let error as ConfigurationError {
                logger.error(
                    "configuration reload refused; the running configuration stays in force",
                    metadata: ["file": "\(path)", "error": "\(error.message)"])
                throw error
            } catch {
                logger.error(
                    "configuration reload refused; the running configuration stays in force",
                    metadata: ["file": "\(path)", "error": "\(error)"])
                throw ConfigurationError("\(path): \(error)")
            }
            var pipelineOnly = running
            pipelineOnly.stages = next.stages
            pipelineOnly.stageSettings = next.stageSettings
            let pipelineChanged = next.stages != running.stages || next.stageSettings != running.stageSettings
            let restartNeeded = pipelineOnly != next
            if pipelineChanged {
                processor.replaceRunner(PipelineRunner(stages: stages, heartbeat: heartbeat))
            }
            var message =
                pipelineChanged ? "the pipeline changed: in force from the next input" : "the pipeline is unchanged"
            if restartNeeded { message += "; other settings changed and take effect at the next start" }
            logger.notice(
                "configuration reloaded",
                metadata: [
                    "file": "\(path)", "stages": "\(next.stages.joined(separator: ","))", "result": "\(message)",
                ])
            running.stages = next.stages
            running.stageSettings = next.stageSettings
            return message
        }
    }
}
