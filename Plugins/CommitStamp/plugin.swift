import Foundation
import PackagePlugin

/// Stamps the `cordon` binary with the commit it was built from, for
/// `cordon --version`: before every build it writes `BuildCommit.swift`
/// (`let buildCommit = "abc123def456"`, `-dirty` when tracked files
/// changed, `unknown` outside a git checkout), rewriting the file only when
/// that changes, so an unchanged tree recompiles nothing.
@main
struct CommitStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("Stamp")
        let script = """
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
            if [ "$commit" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
            mkdir -p "$2"
            line="let buildCommit = \\"$commit\\""
            [ "$(cat "$2/BuildCommit.swift" 2>/dev/null)" = "$line" ] || printf '%s\\n' "$line" > "$2/BuildCommit.swift"
            """
        return [.prebuildCommand(displayName: "Stamping cordon with its commit",
                                 executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                                 outputFilesDirectory: output)]
    }
}
