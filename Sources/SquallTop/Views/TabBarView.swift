import SquallMonitorProtocol

/// The row of tab titles under the header.
public enum TabBarView {
    /// Each tab's title text and its columns, left to right.
    public static func layout(width: Int, model: DashboardModel) -> [(tab: Tab, x: Int, text: String)] {
        var out: [(Tab, Int, String)] = []
        var x = 0
        let compact = width < 90
        for tab in Tab.allCases {
            var title = compact && tab == .connections ? "Conns" : tab.title
            if tab == .warnings, !model.warnings.isEmpty { title += " (\(model.warnings.count))" }
            let text = " \(tab.digit) \(title) "
            out.append((tab, x, text))
            x += TextLayout.width(of: text) + 1
        }
        return out
    }

    /// Draws the tab bar on row `y`.
    public static func draw(into b: inout ScreenBuffer, y: Int, width: Int, model: DashboardModel) {
        b.fill(x: 0, y: y, width: width, height: 1, role: .tab)
        var end = 0
        for (tab, x, text) in layout(width: width, model: model) {
            end = x + b.put(text, x: x, y: y, role: tab == model.tab ? .tabActive : .tab, maxWidth: width - x)
        }
        let hint = "? help  q quit"
        let hx = width - TextLayout.width(of: hint) - 1
        if hx > end + 1 { b.put(hint, x: hx, y: y, role: .tab) }
    }
}
