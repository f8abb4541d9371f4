import CordonBPF
import CordonKernel

/// `cordon dump PID [-o OUT.bpf] [--index N]`: the seccomp filters of a
/// running process. Without -o, a listing of each (or of filter N), the most
/// recent first; with -o, the raw bytes of filter N (default 0, the most recent).
enum DumpCommand {
    static let usage = "usage: cordon dump PID [-o OUT.bpf] [--index N]"

    static func run(_ words: [String]) throws -> Int32 {
        let args = try Arguments(words, for: "dump")
        guard args.positional.count == 1, let pid = Int32(args.positional[0]), pid > 0 else { throw UsageError(usage) }
        var index: Int?
        if let text = args.value("--index") {
            guard let n = Int(text), n >= 0 else { throw UsageError("--index \(text): not a filter index (0 is the most recent)") }
            index = n
        }
        let output = args.value("-o")
        if output != nil { _ = try OutputFile.destination(output, inputs: []) }
        let filters: [[Instruction]]
        do { filters = try FilterDump.filters(of: pid) } catch { throw InputError("cordon dump: \(error)") }
        if let index, index >= filters.count {
            throw InputError("cordon dump: process \(pid) has \(filters.count) filter\(filters.count == 1 ? "" : "s"); --index \(index) is past the oldest (\(filters.count - 1))")
        }
        if let output {
            try OutputFile.write(RawCodec.encode(filters[index ?? 0]), to: output)
            return 0
        }
        var text = ""
        for (i, filter) in filters.enumerated() where index == nil || index == i {
            let which = i == 0 ? "the most recent, run first" : (i == filters.count - 1 ? "the oldest" : "")
            text += "# filter \(i) of process \(pid)\(which.isEmpty ? "" : " (\(which))"): \(filter.count) instructions\n"
            text += Listing.print(filter) + (i + 1 < filters.count && index == nil ? "\n" : "")
        }
        IO.print(text)
        return 0
    }
}
