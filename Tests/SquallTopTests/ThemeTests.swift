import Foundation
import Testing

@testable import SquallTop

struct ThemeTests {
    static let themesDirectory: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Themes").path
    }()

    @Test func aThemeFileSetsColoursAndAttributesPerRole() throws {
        let text = """
            # a comment
            name = Test
            $accent = #112233
            selected = #ffffff on $accent bold underline
            warning = yellow   # inline comment
            critical = 196 reverse
            """
        let theme = try ThemeParser.parse(text, file: "test.theme")
        #expect(theme.name == "Test")
        #expect(
            theme.styles[.selected]
                == Style(
                    foreground: .rgb(255, 255, 255),
                    background: .rgb(0x11, 0x22, 0x33),
                    bold: true,
                    underline: true
                )
        )
        #expect(theme.styles[.warning]?.foreground == .palette(3))
        #expect(theme.styles[.critical] == Style(foreground: .palette(196), reverse: true))
    }

    @Test func rolesMissingFromAFileInheritTheDefault() throws {
        let theme = try ThemeParser.parse("selected = reverse", file: "partial.theme")
        #expect(theme.styles[.title] == Theme.defaultDark.styles[.title])
        #expect(theme.styles[.selected] == Style(reverse: true))
        #expect(theme.name == "partial")
    }

    @Test func errorsNameTheFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("text = #d0d0d0\nselcted = bold", 2, "unknown role 'selcted'"),
            ("\n\ntext = #12345", 3, "'#12345' is not a colour"),
            ("text = red on", 1, "'on' must be followed"),
            ("text = $nope", 1, "undefined variable '$nope'"),
            ("text red", 1, "expected 'role = "),
            ("text = red blue", 1, "foreground given twice"),
        ]
        for (text, line, message) in cases {
            #expect {
                _ = try ThemeParser.parse(text, file: "bad.theme")
            } throws: { error in
                guard let e = error as? ThemeError else { return false }
                return e.line == line && e.file == "bad.theme" && e.message.contains(message)
                    && e.description.hasPrefix("bad.theme:\(line): ")
            }
        }
    }

    @Test func aBrokenThemeFileFallsBackToTheDefaultWithTheError() throws {
        let path = NSTemporaryDirectory() + "squall-top-broken-\(getpid()).theme"
        try "text = #zzzzzz\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let (theme, error) = ThemeLocator.load(path: path)
        #expect(theme == Theme.defaultDark)
        #expect(
            error?.description
                == "\(path):1: '#zzzzzz' is not a colour or attribute (use #rrggbb, 0-255, a colour name, default, bold, underline, reverse or dim)"
        )
    }

    @Test func everyShippedThemeParsesAndSetsEveryRole() throws {
        let locator = ThemeLocator(searchDirectories: [ThemeTests.themesDirectory])
        let names = locator.availableNames()
        #expect(
            Set(names).isSuperset(of: ["default", "light", "high-contrast", "monochrome", "gruvbox", "solarized-dark"])
        )
        for name in names {
            let path = try #require(locator.path(for: name))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            _ = try ThemeParser.parse(text, file: path)
            for role in Role.allCases {
                #expect(text.contains("\n\(role.rawValue) "), "\(name) sets \(role.rawValue)")
            }
        }
    }

    @Test func theDefaultThemeFileMatchesTheBuiltInFallback() throws {
        let (theme, error) = ThemeLocator(searchDirectories: [ThemeTests.themesDirectory]).load("default")
        #expect(error == nil)
        #expect(theme == Theme.defaultDark)
    }

    @Test func anUnknownThemeNameListsTheAvailableOnes() {
        let (theme, error) = ThemeLocator(searchDirectories: [ThemeTests.themesDirectory]).load("nope")
        #expect(theme == Theme.defaultDark)
        #expect(error?.message.contains("gruvbox") == true)
    }

    @Test func theStandardLocatorFindsThemesFromTheRepositoryAndAnInstallation() {
        let repo = URL(fileURLWithPath: ThemeTests.themesDirectory).deletingLastPathComponent().path
        let fromBuild = ThemeLocator.standard(
            executablePath: repo + "/.build/debug/squall-top",
            currentDirectory: "/",
            environment: [:]
        )
        #expect(fromBuild.path(for: "light") == ThemeTests.themesDirectory + "/light.theme")
        let installed = ThemeLocator.standard(
            executablePath: "/usr/local/bin/squall-top",
            currentDirectory: "/",
            environment: [:]
        )
        #expect(installed.searchDirectories.contains("/usr/local/share/squall/Themes"))
    }

    @Test func stylesInheritTextAndBackgroundColours() {
        let theme = Theme(
            name: "t",
            styles: [
                .background: Style(background: .palette(0)), .text: Style(foreground: .palette(7)),
                .title: Style(bold: true),
            ]
        )
        let s = theme.style(for: .title)
        #expect(s.foreground == .palette(7))
        #expect(s.background == .palette(0))
        #expect(s.bold)
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        let orange = ThemeColor.rgb(255, 135, 0)
        #expect(ColorDepth.trueColor.terminalColor(orange) == 0xFF8700)
        #expect(ColorDepth.palette256.terminalColor(orange) == 208)
        #expect(ColorDepth.ansi16.terminalColor(.rgb(250, 0, 0)) == 9)
        #expect(ColorDepth.basic8.terminalColor(.rgb(250, 0, 0)) == 1)
        #expect(ColorDepth.basic8.terminalColor(.palette(12)) == 4)
        #expect(ColorDepth.none.terminalColor(orange) == -1)
        #expect(ColorDepth.palette256.terminalColor(.terminalDefault) == -1)
        #expect(ColorDepth(colors: 256) == .palette256)
        #expect(ColorDepth(colors: 0x1000000) == .trueColor)
    }
}
