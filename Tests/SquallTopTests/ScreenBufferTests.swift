import Testing

@testable import SquallTop

struct ScreenBufferTests {
    @Test func textIsWrittenWithItsRoleAndClippedAtTheEdge() {
        var b = ScreenBuffer(width: 10, height: 2)
        let used = b.put("hello world", x: 3, y: 1, role: .title)
        #expect(used == 7)
        #expect(b.line(1) == "   hello w")
        #expect(b[3, 1].role == .title)
        #expect(b[2, 1].role == .background)
    }

    @Test func wideCharactersTakeTwoCells() {
        var b = ScreenBuffer(width: 6, height: 1)
        let used = b.put("漢字x", x: 0, y: 0, role: .text)
        #expect(used == 5)
        #expect(b[0, 0].character == "漢")
        #expect(b[1, 0].isContinuation)
        #expect(b.line(0) == "漢字x ")
    }

    @Test func aWideCharacterThatDoesNotFitBecomesABlank() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.put("ab漢", x: 0, y: 0, role: .text)
        #expect(b.line(0) == "ab ")
        #expect(!b[2, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = ScreenBuffer(width: 4, height: 1)
        b.put("漢", x: 0, y: 0, role: .text)
        b.put("z", x: 1, y: 0, role: .text)
        #expect(b.line(0) == " z  ")
        #expect(b.cells.allSatisfy { !$0.isContinuation })
    }

    @Test func controlCharactersAreShownAsQuestionMarks() {
        var b = ScreenBuffer(width: 5, height: 1)
        b.put("a\u{1B}[b", x: 0, y: 0, role: .text)
        #expect(b.line(0) == "a?[b ")
    }

    @Test func writesOutsideTheBufferAreIgnored() {
        var b = ScreenBuffer(width: 3, height: 1)
        b.put("xyz", x: -2, y: 0, role: .text)
        b.put("nope", x: 0, y: 5, role: .text)
        b.fill(x: -5, y: -5, width: 100, height: 100, role: .dim)
        #expect(b.line(0) == "   ")
        #expect(b[0, 0].role == .dim)
    }

    @Test func textWidthCountsWideAndCombiningCharacters() {
        #expect(TextLayout.width(of: "abc") == 3)
        #expect(TextLayout.width(of: "漢字") == 4)
        #expect(TextLayout.width(of: "e\u{301}") == 1)
        #expect(TextLayout.width(of: "🙂") == 2)
    }

    @Test func truncationEndsWithAnEllipsisAndRespectsWidth() {
        #expect(TextLayout.truncate("connections", to: 6) == "conne…")
        #expect(TextLayout.truncate("漢字漢字", to: 5) == "漢字…")
        #expect(TextLayout.fit("42", 5, alignRight: true) == "   42")
        #expect(TextLayout.truncate("abc", to: 0) == "")
    }

    @Test func sparklinesAndBarsScaleToTheirCeiling() {
        let g = Glyphs.unicode
        #expect(g.sparkline([0, 0.5, 1], width: 3, ceiling: 1) == "▁▅█")
        #expect(g.sparkline([1, 2, 3, 4], width: 2) == "▆█")
        #expect(Glyphs.ascii.bar(0.5, width: 4) == "##..")
    }

    @Test func formatsAreShortAndReadable() {
        #expect(Format.bytes(512) == "512B")
        #expect(Format.bytes(1536) == "1.5K")
        #expect(Format.duration(0.0123) == "12ms")
        #expect(Format.duration(125) == "2m05s")
        #expect(Format.percent(0.5) == "50%")
    }
}
