import FoundationEssentials
import Squall

/// Squall's side of the template benchmark: renders templates/page.html (1,000 rows through row.html) RENDERS
/// times and prints `RESULT renders_per_sec=...`; given Tornado's output file, checks the bytes are identical.
///
/// Usage: template-bench [RENDERS] [TORNADO_OUTPUT_FILE]
/// The benchmark's failures.
enum BenchError: Error {
    /// Squall rendered different bytes from Tornado.
    case mismatch
}

@main
struct TemplateBench {
    static func rows() -> [TemplateValue] {
        (0..<1000).map { i in
            [
                "id": .int(i),
                "name": .string("User <\(i)> & Co. \"\(String(repeating: "x", count: i % 7))\""),
                "email": .string("user\(i)@example.com"),
                "active": .bool(i % 3 != 0),
                "score": .double(Double(i) * 1.25),
            ]
        }
    }

    static func main() throws {
        let arguments = CommandLine.arguments
        let renders = arguments.count > 1 ? Int(arguments[1]) ?? 200 : 200
        let directory = String(#filePath).split(separator: "/").dropLast().joined(separator: "/")
        let loader = Loader("/" + directory + "/templates")
        let page = try loader.load("page.html")
        let namespace: [String: TemplateValue] = ["title": "Users & <friends>", "rows": .list(rows())]
        let output = try page.generate(values: namespace)
        if arguments.count > 2 {
            let expected = try String(decoding: Data(contentsOf: URL(fileURLWithPath: arguments[2])), as: UTF8.self)
            guard expected == output else { throw BenchError.mismatch }
            print("output identical to Tornado's (\(output.utf8.count) bytes)")
        }
        for _ in 0..<max(1, renders / 10) { _ = try page.generate(values: namespace) }
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure {
            for _ in 0..<renders { bytes &+= try page.generate(values: namespace).utf8.count }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Rendering from Swift values (conversion included) instead of prepared TemplateValues.
        let plain: [[String: Any]] = (0..<1000).map { i in
            ["id": i, "name": "User <\(i)> & Co. \"\(String(repeating: "x", count: i % 7))\"",
             "email": "user\(i)@example.com", "active": i % 3 != 0, "score": Double(i) * 1.25]
        }
        let convertingRenders = max(1, renders / 5)
        let converting = try clock.measure {
            for _ in 0..<convertingRenders { bytes &+= try page.generate(["title": "Users & <friends>", "rows": plain]).utf8.count }
        }
        let convertingSeconds = Double(converting.components.seconds) + Double(converting.components.attoseconds) / 1e18
        func fixed(_ value: Double) -> String { String((value * 10).rounded() / 10) }
        print(
            "RESULT renders_per_sec=\(fixed(Double(renders) / seconds)) renders=\(renders) seconds=\(fixed(seconds))"
                + " bytes=\(output.utf8.count) converting_renders_per_sec=\(fixed(Double(convertingRenders) / convertingSeconds))"
        )
        if bytes == 0 { print("") }
    }
}
