/// Sort, filter, selection and scroll of one table; the selection is a row's id, so it follows the row
/// when the table re-sorts.
public struct TableState: Sendable, Equatable {
    /// The index of the sort column in the view's columns.
    public var sortColumn: Int
    /// Largest first.
    public var descending: Bool
    /// The filter text (`/`).
    public var filter: String
    /// The selected row's id.
    public var selectedID: Int?
    /// The selected row's position when it was last seen, used when that row disappears.
    public var selectedIndex: Int
    /// The first row shown.
    public var scroll: Int

    /// Creates a table state.
    public init(sortColumn: Int = 0, descending: Bool = false, filter: String = "") {
        self.sortColumn = sortColumn
        self.descending = descending
        self.filter = filter
        self.selectedID = nil
        self.selectedIndex = 0
        self.scroll = 0
    }

    /// Resolves the selection against `ids` (the rows in display order): the index of the selected id, or
    /// the nearest position when it is gone (then the id moves to that row).
    public mutating func resolve(ids: [Int]) -> Int? {
        guard !ids.isEmpty else {
            selectedIndex = 0
            return nil
        }
        if let id = selectedID, let i = ids.firstIndex(of: id) {
            selectedIndex = i
            return i
        }
        let i = max(0, min(ids.count - 1, selectedIndex))
        selectedIndex = i
        selectedID = ids[i]
        return i
    }

    /// Moves the selection by `delta` rows within `ids` and keeps it visible in `visibleRows`.
    public mutating func move(by delta: Int, ids: [Int], visibleRows: Int) {
        guard !ids.isEmpty else { return }
        let current = resolve(ids: ids) ?? 0
        let i = max(0, min(ids.count - 1, current + delta))
        select(index: i, ids: ids, visibleRows: visibleRows)
    }

    /// Selects the row at `index` and scrolls it into view.
    public mutating func select(index: Int, ids: [Int], visibleRows: Int) {
        guard !ids.isEmpty else { return }
        let i = max(0, min(ids.count - 1, index))
        selectedIndex = i
        selectedID = ids[i]
        keepVisible(i, visibleRows: visibleRows, count: ids.count)
    }

    /// Adjusts ``scroll`` so row `index` is within the `visibleRows` shown.
    public mutating func keepVisible(_ index: Int, visibleRows: Int, count: Int) {
        let rows = max(1, visibleRows)
        if index < scroll { scroll = index }
        if index >= scroll + rows { scroll = index - rows + 1 }
        scroll = max(0, min(scroll, max(0, count - rows)))
    }
}
